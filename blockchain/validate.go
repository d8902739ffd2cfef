package blockchain

// CheckBlock checks the rules a block must meet on its own: its claimed hash
// is the hash of its contents and meets the difficulty. The genesis is valid
// by identity instead (see CheckGenesis).
func CheckBlock(b *Block, difficulty int) error {
	if claimed, ok := b.ClaimedHash(); ok && !b.claimMatches(claimed) {
		return &HashMismatchError{Index: b.index, Claimed: claimed, Computed: b.Hash()}
	}
	if !MeetsDifficulty(&b.hash, difficulty) {
		return &InsufficientWorkError{Index: b.index, Hash: b.Hash(), Difficulty: difficulty}
	}
	return nil
}

// claimMatches compares a claimed hex hash with the computed digest without
// allocating. Like the seed, it accepts only lowercase hex.
func (b *Block) claimMatches(claimed string) bool {
	if len(claimed) != 64 {
		return false
	}
	for i, c := range b.hash {
		if claimed[2*i] != hexDigits[c>>4] || claimed[2*i+1] != hexDigits[c&0xf] {
			return false
		}
	}
	return true
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
	if !parent.claimMatches(b.previousHash) {
		return &PreviousHashError{Index: b.index, PreviousHash: b.previousHash, ParentHash: parent.Hash()}
	}
	return CheckBlock(b, difficulty)
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
