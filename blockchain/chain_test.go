package blockchain

import (
	"context"
	"errors"
	"testing"
	"time"
)

func fixedClock() func() time.Time {
	t := time.Unix(1764000000, 0)
	return func() time.Time { t = t.Add(time.Second); return t }
}

// mineNext mines every pending transaction of c onto its tip and adds the block.
func mineNext(t *testing.T, c *Chain) *Block {
	t.Helper()
	tmpl, err := c.Template()
	if err != nil || tmpl == nil {
		t.Fatalf("Template = %v, %v", tmpl, err)
	}
	b, err := Mine(context.Background(), tmpl, c.Difficulty())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func addTx(t *testing.T, c *Chain, author, content string) PendingTx {
	t.Helper()
	p, err := c.AddTransaction(map[string]any{"author": author, "content": content})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChainMineAndPending(t *testing.T) {
	c := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	if c.Len() != 1 || c.Tip().Hash() != GenesisHash {
		t.Fatal("a new chain must hold just the genesis")
	}
	changes, cancel := c.Subscribe()
	defer cancel()
	addTx(t, c, "alice", "pay bob 5")
	addTx(t, c, "bob", "héllo wörld ✓")
	select {
	case <-changes:
	default:
		t.Fatal("no change notification after AddTransaction")
	}
	if got := c.Pending(); len(got) != 2 || got[0].Author() != "alice" || got[1].Content() != "héllo wörld ✓" {
		t.Fatalf("pending = %+v", got)
	}
	b := mineNext(t, c)
	if len(b.Transactions()) != 2 || c.Len() != 2 || len(c.Pending()) != 0 {
		t.Fatalf("after mining: %d txs in block, len %d, %d pending", len(b.Transactions()), c.Len(), len(c.Pending()))
	}
	if tmpl, _ := c.Template(); tmpl != nil {
		t.Fatal("template with nothing pending")
	}
	if err := c.AddBlock(b); !IsRuleError(err) {
		t.Fatalf("adding the same block twice: %v, want a rule error", err)
	}
	if err := ValidateChain(allBlocks(c), 2); err != nil {
		t.Fatal(err)
	}
}

func TestTransactionValidation(t *testing.T) {
	tests := []struct {
		name string
		in   any
		ok   bool
	}{
		{"valid with extra fields", map[string]any{"author": "a", "content": "c", "extra": []any{Int("1")}}, true},
		{"not an object", []any{}, false},
		{"missing author", map[string]any{"content": "c"}, false},
		{"empty content", map[string]any{"author": "a", "content": "  "}, false},
		{"author not a string", map[string]any{"author": Int("5"), "content": "c"}, false},
		{"author only Python whitespace (U+001F)", map[string]any{"author": "\x1f\u00a0", "content": "c"}, false},
		{"nested as deep as allowed", map[string]any{"author": "a", "content": "c", "deep": nested(MaxTransactionDepth - 1)}, true},
		{"nested deeper than a chain can carry", map[string]any{"author": "a", "content": "c", "deep": nested(MaxTransactionDepth)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := NewTransaction(tt.in, time.Unix(1764000000, 500000000))
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			var te *TransactionError
			if !tt.ok && !errors.As(err, &te) {
				t.Fatalf("%v is not a TransactionError", err)
			}
			if tt.ok && tx["timestamp"] != 1764000000.5 {
				t.Fatalf("timestamp = %v", tx["timestamp"])
			}
		})
	}
}

func TestReplaceRestoresDroppedTransactions(t *testing.T) {
	// Both clocks tick alike, so block 1 and its transaction are the same on both sides.
	ours := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	theirs := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	addTx(t, ours, "s", "in both")
	addTx(t, theirs, "s", "in both")
	mineNext(t, ours)
	addTx(t, ours, "o", "only ours")
	mineNext(t, ours)
	addTx(t, ours, "p", "still pending")
	mineNext(t, theirs)
	addTx(t, theirs, "t", "theirs 2")
	mineNext(t, theirs)
	addTx(t, theirs, "t", "theirs 3")
	mineNext(t, theirs)

	if _, err := theirs.Replace(allBlocks(ours)); !errors.Is(err, ErrNotLonger) {
		t.Fatalf("shorter chain: %v, want ErrNotLonger", err)
	}
	res, err := ours.Replace(allBlocks(theirs))
	if err != nil {
		t.Fatal(err)
	}
	if ours.Len() != 4 || ours.Tip().Hash() != theirs.Tip().Hash() {
		t.Fatal("did not adopt the longer chain")
	}
	if res.ForkHeight != 2 || res.Dropped != 1 || res.Restored != 1 {
		t.Fatalf("result %+v", res)
	}
	var contents []string
	for _, p := range ours.Pending() {
		contents = append(contents, p.Content())
	}
	if len(contents) != 2 || contents[0] != "still pending" || contents[1] != "only ours" {
		t.Fatalf("pending after replace = %q", contents)
	}
	bad := append([]*Block(nil), allBlocks(theirs)...)
	bad[2] = bad[2].WithNonce(bad[2].Nonce() + 1)
	bad = append(bad, bad[3])
	if _, err := ours.Replace(bad); !IsRuleError(err) {
		t.Fatalf("invalid chain adopted or wrong error: %v", err)
	}
}

// TestIdenticalTransactionsEachCount: two submissions stamped within the
// clock's resolution are byte-identical; each is one pending copy, and a
// block holding one copy takes exactly one out of the pool.
func TestIdenticalTransactionsEachCount(t *testing.T) {
	same := func() time.Time { return time.Unix(1764000000, 0) }
	c := NewMemoryChain(ChainOptions{Clock: same})
	for i := 0; i < 3; i++ {
		addTx(t, c, "alice", "same")
	}
	// A block from elsewhere holding one copy.
	tx := c.Pending()[0].Tx
	tmpl, _ := NewBlock(1, []any{tx}, 1764000001.5, GenesisHash, 0)
	b, err := Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	if n := len(c.Pending()); n != 2 {
		t.Fatalf("%d copies pending after a block took one, want 2", n)
	}
	mined := mineNext(t, c)
	if len(mined.Transactions()) != 2 || len(c.Pending()) != 0 {
		t.Fatalf("mining the rest: %d in the block, %d left pending", len(mined.Transactions()), len(c.Pending()))
	}
	if tmpl, _ := c.Template(); tmpl != nil {
		t.Fatal("a copy stayed pending: every later block would mine it again")
	}
}

// nested returns a list nested n levels deep.
func nested(n int) any {
	var v any = []any{}
	for i := 1; i < n; i++ {
		v = []any{v}
	}
	return v
}

func TestBlockRefusesTransactionsTooDeepToServe(t *testing.T) {
	ok, err := NewBlock(1, []any{nested(maxDepth - 4)}, 1.5, GenesisHash, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseBlock(ok.WireJSON()); err != nil {
		t.Fatalf("a transaction %d levels deep: %v", maxDepth-4, err)
	}
	deep, err := NewBlock(1, []any{nested(maxDepth - 3)}, 1.5, GenesisHash, 0)
	if err != nil {
		t.Fatal(err)
	}
	var me *MalformedBlockError
	if _, err := ParseBlock(deep.WireJSON()); !errors.As(err, &me) {
		t.Fatalf("a transaction %d levels deep: %v, want MalformedBlockError", maxDepth-3, err)
	}
}

// slowBackend holds appendBlock until released, as a slow fsync would.
type slowBackend struct {
	memoryBackend
	writing chan struct{}
	release chan struct{}
}

func (s *slowBackend) appendBlock(b *Block, drop []uint64) error {
	if b.Index() > 0 {
		close(s.writing)
		<-s.release
	}
	return s.memoryBackend.appendBlock(b, drop)
}

// allBlocks reads a test chain's every block, or nil when they cannot be read.
func allBlocks(c *Chain) []*Block {
	blocks, err := c.Range(0, int64(c.Len()))
	if err != nil {
		return nil
	}
	return blocks
}

// TestReadersDoNotWaitForTheDisk: while a block is being written, the chain
// and the pool can still be read (a screen redraws, /chain answers).
func TestReadersDoNotWaitForTheDisk(t *testing.T) {
	be := &slowBackend{writing: make(chan struct{}), release: make(chan struct{})}
	c, err := newChain(be, ChainOptions{Clock: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	addTx(t, c, "alice", "pay bob 5")
	tmpl, _ := c.Template()
	b, err := Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	added := make(chan error, 1)
	go func() { added <- c.AddBlock(b) }()
	<-be.writing
	read := make(chan int, 1)
	go func() { read <- c.Len() + len(c.Pending()) + len(allBlocks(c)) }()
	select {
	case n := <-read:
		if n != 1+1+1 {
			t.Errorf("mid-write the chain shows %d (want the old state: 1 block, 1 pending)", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading the chain waited for the disk write")
	}
	close(be.release)
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 || len(c.Pending()) != 0 {
		t.Fatalf("after the write: %d blocks, %d pending", c.Len(), len(c.Pending()))
	}
}
