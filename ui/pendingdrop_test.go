package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// TestPendingCopyMenu: y on a pending transaction, in the list and in the
// transaction view, offers its JSON on 3 (as with a block) and its content
// on 4; 1 and 2 are greyed out with the reason, and pressing one copies
// nothing and says why.
func TestPendingCopyMenu(t *testing.T) {
	clip := &fakeClipboard{}
	h := newHarness(t, func(o *Options) { o.Clipboard = clip.copy })
	h.addTx("alice", "pay bob 5")
	h.addTx("bob", "two\nlines\tand a tab")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 2 })
	tx := h.chain.Pending()[1]
	json, err := blockchain.AppendPython(nil, tx.Tx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		keys   []string
		want   string // on the clipboard; "" for nothing copied
		status string
	}{
		{"list, JSON", []string{"1", "j", "y", "3"}, string(json), "copied the transaction from bob as JSON"},
		{"list, content", []string{"y", "4"}, tx.Content(), "copied the content of the transaction from bob (19 characters)"},
		{"tx view, JSON", []string{"enter", "y", "3"}, string(json), "copied the transaction from bob as JSON"},
		{"tx view, content", []string{"y", "4"}, tx.Content(), "copied the content of the transaction from bob"},
		{"no hash", []string{"y", "1"}, "", "nothing copied: a transaction has no hash"},
		{"no check command", []string{"y", "2"}, "", "nothing copied: a transaction has no check command"},
	}
	for _, tc := range tests {
		before := len(clip.copied)
		h.keys(tc.keys[:len(tc.keys)-1]...)
		h.mustContain("1  (a transaction has no hash; the block that takes it will)", "3  the transaction from bob as JSON", "4  the content of the transaction from bob")
		h.keys(tc.keys[len(tc.keys)-1])
		h.until(tc.name, func(m Model) bool { return strings.Contains(m.View(), tc.status) })
		if h.m.modes.has(modeCopy) {
			t.Fatalf("%s: the menu stayed open", tc.name)
		}
		switch {
		case tc.want == "" && len(clip.copied) != before:
			t.Errorf("%s: copied %q", tc.name, clip.last())
		case tc.want != "" && clip.last() != tc.want:
			t.Errorf("%s: the clipboard holds %q, want %q", tc.name, clip.last(), tc.want)
		}
	}
}

// TestDropPendingKey: d asks, y drops the selected transaction (the one of
// two identical copies that was picked), n and esc keep it; from the list
// and from the transaction view, which closes once its transaction is gone.
func TestDropPendingKey(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		left     []string // the pool's contents afterwards
		status   string
		modeLeft mode
	}{
		{"list, yes", []string{"1", "j", "d", "y"}, []string{"one", "same"}, "dropped from this node's pool for good: the transaction from bob", modeBrowse},
		{"list, the second copy", []string{"1", "j", "j", "d", "y"}, []string{"one", "same"}, "dropped from this node's pool for good: the transaction from bob", modeBrowse},
		{"list, no", []string{"1", "d", "n"}, []string{"one", "same", "same"}, "", modeBrowse},
		{"list, esc", []string{"1", "d", "esc"}, []string{"one", "same", "same"}, "", modeBrowse},
		{"tx view, yes", []string{"1", "enter", "d", "y"}, []string{"same", "same"}, "dropped from this node's pool for good: the transaction from alice", modeBrowse},
		{"tx view, no", []string{"1", "enter", "d", "n"}, []string{"one", "same", "same"}, "", modeTx},
		{"chain pane: no question", []string{"2", "d"}, []string{"one", "same", "same"}, "", modeBrowse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.addTx("alice", "one")
			h.addTx("bob", "same")
			h.addTx("bob", "same") // the fixed clock makes it byte-identical
			h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 3 })
			picked := h.chain.Pending()
			h.keys(tc.keys[:len(tc.keys)-1]...)
			if tc.name != "chain pane: no question" {
				h.mustContain("Drop a pending transaction", "Drop it from this node's pool for good?")
			}
			h.keys(tc.keys[len(tc.keys)-1])
			h.until("answered", func(m Model) bool {
				return len(m.chain.Pending()) == len(tc.left) && strings.Contains(m.View(), tc.status)
			})
			h.until("the pane shows the pool", func(m Model) bool { return len(m.pending.txs) == len(tc.left) })
			var got []string
			for _, p := range h.chain.Pending() {
				got = append(got, p.Content())
			}
			if strings.Join(got, ",") != strings.Join(tc.left, ",") {
				t.Fatalf("pool %q, want %q", got, tc.left)
			}
			if tc.name == "list, the second copy" && h.chain.Pending()[1].Seq != picked[1].Seq {
				t.Fatalf("dropped copy #%d, want #%d", picked[1].Seq, picked[2].Seq)
			}
			if top := h.m.modes.top(); top != tc.modeLeft {
				t.Fatalf("mode %v after the answer, want %v", top, tc.modeLeft)
			}
		})
	}
}

// TestDropPendingMinedMeanwhile: a block takes the transaction while the
// question is up; y then drops nothing and says which block took it.
func TestDropPendingMinedMeanwhile(t *testing.T) {
	h := newHarness(t, nil)
	h.addTx("alice", "pay bob 5")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 1 })
	h.keys("1", "enter", "d")
	tmpl, err := h.chain.Template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.chain.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	h.keys("y")
	h.until("the race is reported", func(m Model) bool {
		return strings.Contains(m.View(), "not dropped: block #1 took the transaction from alice")
	})
	if h.m.modes.has(modeTx) {
		t.Fatal("the transaction view still shows a transaction that is no longer pending")
	}
}

// TestDropPendingHoldsMining: with auto-mine on, the running search stops
// when y is pressed, and the next one mines the pool without the dropped
// transaction.
func TestDropPendingHoldsMining(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Auto = true })
	h.addTx("alice", "keep me")
	h.addTx("bob", "drop me")
	first := h.nextSearch()
	for len(first.template.Transactions()) != 2 {
		first = h.nextSearch() // the pool changed while the first one started
	}
	h.keys("1", "j", "d", "y")
	if h.m.mining.search != nil || h.m.mining.state != mineIdle {
		t.Fatalf("mining state %v right after y: the search on the old template may still find a block", h.m.mining.state)
	}
	next := h.nextSearch()
	// The stop runs in a command of its own, maybe after the next start.
	h.until("the search on the old template stops", func(Model) bool { return first.isStopped() })
	txs := next.template.Transactions()
	if len(txs) != 1 || blockchain.TxContent(txs[0]) != "keep me" {
		t.Fatalf("the next template holds %v", txs)
	}
}

// TestDropPendingSurvivesRestart drops a transaction on a stored chain
// through the screen and opens the store again: it stays gone.
func TestDropPendingSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	open := func() (*blockchain.Store, *blockchain.Chain) {
		s, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := blockchain.OpenChain(s, blockchain.ChainOptions{Clock: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		return s, c
	}
	s, c := open()
	h := newHarness(t, func(o *Options) { o.Chain = c })
	h.addTx("alice", "stays")
	h.addTx("bob", "goes")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 2 })
	h.keys("1", "j", "d", "y")
	h.until("dropped", func(m Model) bool {
		return strings.Contains(m.View(), "dropped from this node's pool for good: the transaction from bob")
	})
	h.cancel()
	h.m.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, c = open()
	defer s.Close()
	if p := c.Pending(); len(p) != 1 || p[0].Content() != "stays" {
		t.Fatalf("after reopening, pending = %+v", p)
	}
}

// TestDropPendingWaitsForAStoredBlock: while a block mined here is being
// stored (it may hold the transaction), y drops nothing and says why.
func TestDropPendingWaitsForAStoredBlock(t *testing.T) {
	h := newHarness(t, nil)
	h.addTx("alice", "pay bob 5")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 1 })
	h.keys("1", "d")
	h.m.mining.state = mineStoring
	h.keys("y")
	h.mustContain("not dropped yet: a block mined here is being stored")
	if len(h.chain.Pending()) != 1 || h.m.mining.dropping != 0 {
		t.Fatalf("pending %d, dropping %d", len(h.chain.Pending()), h.m.mining.dropping)
	}
}

// TestPendingDroppedSays: each outcome of a drop has its own status line,
// and only a failure of the disk is shown as an error.
func TestPendingDroppedSays(t *testing.T) {
	tx := blockchain.PendingTx{Seq: 7, Tx: map[string]any{"author": "alice", "content": "pay bob 5"}}
	tests := []struct {
		err    error
		status string
		isErr  bool
	}{
		{nil, "dropped from this node's pool for good: the transaction from alice (“pay bob 5”)", false},
		{&blockchain.NotPendingError{Seq: 7, Block: 12}, "not dropped: block #12 took the transaction from alice", false},
		{&blockchain.NotPendingError{Seq: 7, Block: -1, Copies: 1}, "not dropped: the pool changed under the transaction from alice", false},
		{&blockchain.NotPendingError{Seq: 7, Block: -1}, "not dropped: the transaction from alice (“pay bob 5”) is no longer pending", false},
		{errors.New("disk full"), "could not drop the transaction from alice (“pay bob 5”): disk full", true},
	}
	for _, tc := range tests {
		h := newHarness(t, nil)
		h.send(pendingDroppedMsg{tx: tx, err: tc.err})
		if !strings.Contains(h.m.status.text, tc.status) || h.m.status.err != tc.isErr {
			t.Errorf("%v: status %q (error %v), want %q (error %v)", tc.err, h.m.status.text, h.m.status.err, tc.status, tc.isErr)
		}
	}
}
