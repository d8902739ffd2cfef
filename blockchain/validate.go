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

// CheckGenesis checks that b is the seed's genesis block.
func CheckGenesis(b *Block) error {
	if b.index != 0 || b.Hash() != GenesisHash {
		return &GenesisError{Hash: b.Hash()}
	}
	if claimed, ok := b.ClaimedHash(); ok && claimed != GenesisHash {
		return &HashMismatchError{Index: 0, Claimed: claimed, Computed: GenesisHash}
	}
	return nil
}

// CheckLink checks that b may follow parent: index parent+1, previous_hash
// equal to the parent's hash, and the rules of CheckBlock.
func CheckLink(parent, b *Block, difficulty int) error {
	if b.index != parent.index+1 {
		return &IndexError{Index: b.index, Want: parent.index + 1}
	}
	if !b.prevOK || b.prevRaw != parent.hash {
		return &PreviousHashError{Index: b.index, PreviousHash: b.previousHash, ParentHash: parent.Hash()}
	}
	return CheckBlock(b, difficulty)
}

// Follows reports, without hashing again, whether b follows parent under
// the rules, judged on the digests computed when the blocks were built. It
// is for showing blocks a Chain has already validated (a screen redraws
// them many times a second); CheckLink is the validation.
func Follows(parent, b *Block, difficulty int) bool {
	return b.index == parent.index+1 && b.prevOK && b.prevRaw == parent.hash &&
		(!b.hasClaimed || (b.claimedOK && b.claimedRaw == b.hash)) &&
		MeetsDifficulty(&b.hash, difficulty)
}

// ValidateChain checks a whole chain from the genesis and returns the first
// violation (a RuleError naming the block), or nil when the chain is valid.
func ValidateChain(blocks []*Block, difficulty int) error {
	if len(blocks) == 0 {
		return &MalformedBlockError{Index: -1, Why: "the chain is empty: it must start with the genesis block"}
	}
	if err := CheckGenesis(blocks[0]); err != nil {
		return err
	}
	for i := 1; i < len(blocks); i++ {
		if err := CheckLink(blocks[i-1], blocks[i], difficulty); err != nil {
			return err
		}
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
	if err := CheckGenesis(blocks[0]); err != nil {
		errs = append(errs, err)
	}
	for i := 1; i < len(blocks); i++ {
		if err := CheckLink(blocks[i-1], blocks[i], difficulty); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
