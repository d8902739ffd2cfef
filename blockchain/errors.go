package blockchain

import (
	"errors"
	"fmt"
)

// RuleError is implemented by every violation of the seed's consensus rules,
// so callers can tell an invalid block from an I/O failure with errors.As.
type RuleError interface {
	error
	// BlockIndex is the index of the block that breaks the rule (-1 when
	// the block is too malformed to have one).
	BlockIndex() int64
}

// MalformedBlockError reports a block whose fields have the wrong shape.
type MalformedBlockError struct {
	Index int64
	Why   string
}

func (e *MalformedBlockError) Error() string {
	if e.Index < 0 {
		return "block invalid: " + e.Why
	}
	return fmt.Sprintf("block %d invalid: %s", e.Index, e.Why)
}

// BlockIndex implements RuleError.
func (e *MalformedBlockError) BlockIndex() int64 { return e.Index }

// IndexError reports a block whose index does not follow its parent's.
type IndexError struct {
	Index, Want int64
	// Value is the index as Python writes it when it is no integer (a
	// string, 1.5, NaN); the block is then named by Want, its place.
	Value string
}

func (e *IndexError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("block %d invalid: index %s does not follow block %d (want %d)", e.Want, e.Value, e.Want-1, e.Want)
	}
	return fmt.Sprintf("block %d invalid: index %d does not follow block %d (want %d)", e.Index, e.Index, e.Want-1, e.Want)
}

// BlockIndex implements RuleError.
func (e *IndexError) BlockIndex() int64 { return e.Index }

// PreviousHashError reports a block whose previous_hash is not its parent's hash.
type PreviousHashError struct {
	Index        int64
	PreviousHash string // what the block says
	ParentHash   string // the hash of block Index-1
}

func (e *PreviousHashError) Error() string {
	return fmt.Sprintf("block %d invalid: previous_hash %s does not match block %d (%s)", e.Index, short(e.PreviousHash), e.Index-1, short(e.ParentHash))
}

// BlockIndex implements RuleError.
func (e *PreviousHashError) BlockIndex() int64 { return e.Index }

// HashMismatchError reports a block whose "hash" field is not the hash of its contents.
type HashMismatchError struct {
	Index    int64
	Claimed  string
	Computed string
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("block %d invalid: hash %s does not match its contents (they hash to %s)", e.Index, short(e.Claimed), short(e.Computed))
}

// BlockIndex implements RuleError.
func (e *HashMismatchError) BlockIndex() int64 { return e.Index }

// InsufficientWorkError reports a hash without enough leading zeros.
type InsufficientWorkError struct {
	Index      int64
	Hash       string
	Difficulty int
}

func (e *InsufficientWorkError) Error() string {
	return fmt.Sprintf("block %d invalid: hash %s does not meet difficulty %d (has %d leading zeros)", e.Index, short(e.Hash), e.Difficulty, LeadingZeros(e.Hash))
}

// BlockIndex implements RuleError.
func (e *InsufficientWorkError) BlockIndex() int64 { return e.Index }

// GenesisError reports a chain that does not start with the seed's genesis.
type GenesisError struct {
	Hash string // the first block's hash
}

func (e *GenesisError) Error() string {
	return fmt.Sprintf("block 0 invalid: genesis %s is not the seed's genesis %s", short(e.Hash), short(GenesisHash))
}

// BlockIndex implements RuleError.
func (e *GenesisError) BlockIndex() int64 { return 0 }

// TransactionError reports a transaction that breaks the pool's rules.
type TransactionError struct {
	Field string // the offending field, or "" for the whole transaction
	Why   string
}

func (e *TransactionError) Error() string {
	if e.Field == "" {
		return "transaction invalid: " + e.Why
	}
	return fmt.Sprintf("transaction invalid: %s %s", e.Field, e.Why)
}

// IsRuleError reports whether err is (or wraps) a consensus rule violation.
func IsRuleError(err error) bool {
	var re RuleError
	return errors.As(err, &re)
}

func short(h string) string {
	if len(h) > 16 {
		return h[:12] + "…"
	}
	if h == "" {
		return `""`
	}
	return h
}

// PoolFullError reports a transaction refused because the pending pool has
// reached its bound in count or bytes (ChainOptions.MaxPendingCount,
// MaxPendingBytes). It is not a fault of the transaction: the same one is
// accepted once a block has taken pending transactions out of the pool.
type PoolFullError struct {
	Count, MaxCount int   // pending transactions now, and the bound
	Bytes, MaxBytes int64 // their canonical bytes now, and the bound
	TxBytes         int   // the refused transaction's canonical bytes
}

func (e *PoolFullError) Error() string {
	if e.Count >= e.MaxCount {
		return fmt.Sprintf("the pending pool is full (%d transactions, the limit): mine a block or try again later", e.Count)
	}
	return fmt.Sprintf("the pending pool is full (%d bytes pending, %d more would pass the limit of %d): mine a block or try again later", e.Bytes, e.TxBytes, e.MaxBytes)
}
