package blockchain

import "crypto/sha256"

// CheckBlock checks the rules a block must meet on its own: its claimed hash
// is the hash of its contents and meets the difficulty. The genesis is valid
// by identity instead (see CheckGenesis).
func CheckBlock(b *Block, difficulty int) error {
	// Validation hashes the preimage again rather than trusting the digest
	// cached when the block was built: it is the work a validator owes.
	sum := sha256.Sum256(b.preimage)
	if sum != b.hash {
		return &HashMismatchError{Index: b.index, Claimed: b.Hash(), Computed: hexString(&sum)}
	}
	if b.hasClaimed && !(b.claimedOK && b.claimedRaw == sum) {
		return &HashMismatchError{Index: b.index, Claimed: b.claimed, Computed: b.Hash()}
	}
	if !MeetsDifficulty(&sum, difficulty) {
		return &InsufficientWorkError{Index: b.index, Hash: b.Hash(), Difficulty: difficulty}
	}
	return nil
}

func hexString(sum *[32]byte) string {
	out := make([]byte, 64)
	for i, c := range sum {
		out[2*i], out[2*i+1] = hexDigits[c>>4], hexDigits[c&0xf]
	}
	return string(out)
}

// CheckGenesis checks that b is the seed's genesis block as the seed's
// chain_error compares it: the whole object equal, under Python's equality,
// to {"index": 0, "transactions": [], "timestamp": 0, "previous_hash": "0",
// "nonce": 0, "hash": GenesisHash}. So a genesis written with "timestamp":
// 0.0 or "nonce": false is the genesis (its own preimage hashes otherwise,
// but its "hash" field is what the next block links to), and one with an
// extra field is not.
func CheckGenesis(b *Block) error {
	if !isGenesis(b) {
		h, claimed := b.ClaimedHash()
		if !claimed {
			h = b.Hash()
		}
		return &GenesisError{Hash: h}
	}
	return nil
}

func isGenesis(b *Block) bool {
	if !b.hasClaimed || b.claimed != GenesisHash || b.index != 0 || len(b.transactions) != 0 {
		return false
	}
	if b.odd != nil && (b.odd.noIndex || b.odd.previousHash != nil || len(b.odd.extra) > 0) {
		return false
	}
	if b.previousHash != "0" {
		return false
	}
	ts, ok := pythonInt(b.timestamp)
	nonce, nok := pythonInt(b.NonceValue())
	return ok && ts == 0 && nok && nonce == 0
}

// linkDigest is the digest a child's previous_hash must name: the parent's
// "hash" field, as the seed compares previous_hash with parent["hash"]
// (which is the computed hash for every block a chain holds after its
// genesis), or the computed hash for a block that claims none.
func (b *Block) linkDigest() ([32]byte, bool) {
	if b.hasClaimed {
		return b.claimedRaw, b.claimedOK
	}
	return b.hash, true
}

// CheckLink checks that b may follow parent: index parent+1, previous_hash
// equal to the parent's hash, and the rules of CheckBlock.
func CheckLink(parent, b *Block, difficulty int) error {
	if b.odd != nil && b.odd.noIndex {
		return &IndexError{Index: b.index, Want: parent.index + 1, Value: DisplayValue(b.odd.index)}
	}
	if b.index != parent.index+1 {
		return &IndexError{Index: b.index, Want: parent.index + 1}
	}
	if want, ok := parent.linkDigest(); !ok || !b.prevOK || b.prevRaw != want {
		return &PreviousHashError{Index: b.index, PreviousHash: b.previousHash, ParentHash: parent.Hash()}
	}
	return CheckBlock(b, difficulty)
}

// Follows reports, without hashing again, whether b follows parent under
// the rules, judged on the digests computed when the blocks were built. It
// is for showing blocks a Chain has already validated (a screen redraws
// them many times a second); CheckLink is the validation.
func Follows(parent, b *Block, difficulty int) bool {
	want, ok := parent.linkDigest()
	return b.index == parent.index+1 && ok && b.prevOK && b.prevRaw == want &&
		(!b.hasClaimed || (b.claimedOK && b.claimedRaw == b.hash)) &&
		MeetsDifficulty(&b.hash, difficulty)
}

// ValidateChain checks a whole chain from the genesis as the seed's nodes
// judge it (see Judge) and returns the first violation (a RuleError naming
// the block), or nil when the chain is valid.
func ValidateChain(blocks []*Block, difficulty int) error {
	if len(blocks) == 0 {
		return &MalformedBlockError{Index: -1, Why: "the chain is empty: it must start with the genesis block"}
	}
	var parent *Block
	for _, b := range blocks {
		if err := Judge(parent, b, difficulty); err != nil {
			return err
		}
		parent = b
	}
	return nil
}

// ValidateChainAll checks a whole chain and returns every violation, each
// checked against the block before it as it stands, for reports such as
// blockscope verify.
func ValidateChainAll(blocks []*Block, difficulty int) []error {
	if len(blocks) == 0 {
		return []error{&MalformedBlockError{Index: -1, Why: "the chain is empty: it must start with the genesis block"}}
	}
	var errs []error
	for i := range blocks {
		if err := judgeAt(blocks, i, difficulty); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
