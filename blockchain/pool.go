package blockchain

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// PendingTx is a transaction waiting to be mined, in arrival order.
type PendingTx struct {
	// Seq orders pending transactions by arrival; it is the store's key.
	Seq uint64
	// Tx is the transaction as a decoded JSON object, with the timestamp
	// this node added. It must not be modified.
	Tx map[string]any
	// Canonical is Tx's canonical JSON, which identifies the transaction
	// when a block from elsewhere already holds it.
	Canonical []byte
}

// Author returns the transaction's author field, or "" when it has none.
func (p PendingTx) Author() string { return TxAuthor(p.Tx) }

// Content returns the transaction's content field, or "" when it has none.
func (p PendingTx) Content() string { return TxContent(p.Tx) }

// Received returns the timestamp this node gave the transaction.
func (p PendingTx) Received() time.Time {
	f, _ := numberValue(p.Tx["timestamp"])
	return FloatTime(f)
}

// TxAuthor returns the author of a transaction in a block ("" when the
// transaction is not an object or has no string author).
func TxAuthor(tx any) string { return txString(tx, "author") }

// TxContent returns the content of a transaction in a block.
func TxContent(tx any) string { return txString(tx, "content") }

func txString(tx any, field string) string {
	m, ok := tx.(map[string]any)
	if !ok {
		return ""
	}
	s, _ := m[field].(string)
	return s
}

// Now returns t as float seconds since the epoch, as Python's time.time().
func Now(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// FloatTime converts float seconds since the epoch to a time.Time.
func FloatTime(f float64) time.Time {
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9))
}

// NewTransaction validates a transaction as the seed's node does (a JSON
// object with non-empty string author and content; other fields are kept
// verbatim) and stamps it with the float timestamp of now, replacing any
// timestamp it had. It returns the transaction to add to the pool.
func NewTransaction(v any, now time.Time) (map[string]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &TransactionError{Why: fmt.Sprintf("a transaction must be a JSON object, not %s", kindOf(v))}
	}
	for _, field := range []string{"author", "content"} {
		raw, present := obj[field]
		if !present {
			return nil, &TransactionError{Field: field, Why: "is missing"}
		}
		s, ok := raw.(string)
		if !ok {
			return nil, &TransactionError{Field: field, Why: fmt.Sprintf("must be a string, not %s", kindOf(raw))}
		}
		if strings.TrimFunc(s, isPythonSpace) == "" {
			return nil, &TransactionError{Field: field, Why: "must not be empty"}
		}
	}
	if d := Depth(obj); d > MaxTransactionDepth {
		return nil, &TransactionError{Why: fmt.Sprintf("nests %d levels deep; at most %d are accepted, so that every node can still read the chain", d, MaxTransactionDepth)}
	}
	tx := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		tx[k] = v
	}
	tx["timestamp"] = Now(now)
	if _, err := Canonical(tx); err != nil {
		return nil, &TransactionError{Why: err.Error()}
	}
	return tx, nil
}

// isPythonSpace reports whether Python's str.strip() removes r: Go's
// unicode.IsSpace plus the ASCII separators U+001C..U+001F, which Python
// counts as whitespace.
func isPythonSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// Default bounds of the pending pool: room for hours of a busy tutorial
// network, small enough that a full pool mines into a block this machine
// and its peers handle comfortably.
const (
	DefaultMaxPendingCount = 100_000
	DefaultMaxPendingBytes = 64 << 20
)

// poolBudget counts the pending pool's bytes and the places reserved by
// transactions being stored, against the pool's bounds. The chain's mu
// guards it.
type poolBudget struct {
	maxCount      int
	maxBytes      int64
	bytes         int64 // canonical bytes of the transactions in the pool
	reservedCount int
	reservedBytes int64
}

func newPoolBudget(maxCount int, maxBytes int64) poolBudget {
	if maxCount <= 0 {
		maxCount = DefaultMaxPendingCount
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxPendingBytes
	}
	return poolBudget{maxCount: maxCount, maxBytes: maxBytes}
}

// reserve takes a place for a transaction of size canonical bytes in a
// pool of count transactions, or returns a *PoolFullError.
func (b *poolBudget) reserve(count, size int) error {
	n, used := count+b.reservedCount, b.bytes+b.reservedBytes
	if n+1 > b.maxCount || used+int64(size) > b.maxBytes {
		return &PoolFullError{Count: n, MaxCount: b.maxCount, Bytes: used, MaxBytes: b.maxBytes, TxBytes: size}
	}
	b.reservedCount++
	b.reservedBytes += int64(size)
	return nil
}

// release gives back a place reserve took.
func (b *poolBudget) release(size int) {
	b.reservedCount--
	b.reservedBytes -= int64(size)
}
