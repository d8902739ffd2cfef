package node

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// wholeChain writes blocks as a tutorial node's /chain answer.
func wholeChain(blocks []*blockchain.Block, edit func(i int, wire []byte) []byte) string {
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		w := b.WireJSON()
		if edit != nil {
			w = edit(i, w)
		}
		parts[i] = string(w)
	}
	return fmt.Sprintf(`{"length": %d, "chain": [%s], "peers": []}`, len(blocks), strings.Join(parts, ", "))
}

// TestSkipOursSkipsOnlyOurExactBytes: the blocks an answer shares with our
// chain byte for byte are passed over, and the first other block comes back
// decoded, with the last shared one as its parent.
func TestSkipOursSkipsOnlyOurExactBytes(t *testing.T) {
	ours := newMemNode(t, Options{})
	growChain(t, ours.Chain(), "ours", 5) // 6 blocks
	peer := newMemNode(t, Options{})
	growChain(t, peer.Chain(), "peer", 7)
	ourBlocks, peerBlocks := chainBlocks(ours.Chain()), chainBlocks(peer.Chain())
	spaced := func(at int) func(int, []byte) []byte {
		return func(i int, w []byte) []byte {
			if i == at {
				return bytes.Replace(w, []byte(`"index": `), []byte(`"index":  `), 1)
			}
			return w
		}
	}
	tests := []struct {
		name     string
		answer   string
		skipped  int64
		nextAt   int64 // -1: the answer ended
		parseErr bool
	}{
		{name: "our chain", answer: wholeChain(ourBlocks, nil), skipped: 6, nextAt: -1},
		{name: "our chain and more", answer: wholeChain(append(ourBlocks[:6:6], mineAfter(t, ours.Chain())...), nil), skipped: 6, nextAt: 6},
		{name: "another chain", answer: wholeChain(peerBlocks, nil), skipped: 1, nextAt: 1},
		{name: "ours, one block spaced otherwise", answer: wholeChain(ourBlocks, spaced(3)), skipped: 3, nextAt: 3},
		{name: "ours from block 2", answer: wholeChain(ourBlocks[2:], nil), skipped: 0, nextAt: 2},
		{name: "ours, then a broken block", answer: wholeChain(ourBlocks, func(i int, w []byte) []byte {
			if i == 4 {
				return bytes.Replace(w, []byte(`"nonce": `), []byte(`"nonce": x`), 1)
			}
			return w
		}), parseErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := &chainStream{n: ours.Node, ctx: context.Background(), peer: "test", op: "read",
				sc: blockchain.NewDumpScanner(strings.NewReader(tt.answer), 1<<20)}
			skipped, last, next, err := cs.skipOurs(ours.Chain())
			if tt.parseErr {
				if err == nil {
					t.Fatalf("skipOurs = %d, %v, %v, no error for a broken block", skipped, last, next)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if skipped != tt.skipped {
				t.Errorf("skipped %d blocks, want %d", skipped, tt.skipped)
			}
			if skipped > 0 && (last == nil || last.Index() != skipped-1 || last.Hash() != ourBlocks[skipped-1].Hash()) {
				t.Errorf("the last block skipped is not our block %d", skipped-1)
			}
			switch {
			case tt.nextAt < 0 && next != nil:
				t.Errorf("next = block %d, want the end", next.Index())
			case tt.nextAt >= 0 && next == nil:
				t.Errorf("next = the end, want block %d", tt.nextAt)
			case tt.nextAt >= 0 && next.Index() != tt.nextAt:
				t.Errorf("next = block %d, want block %d", next.Index(), tt.nextAt)
			}
		})
	}
}

// mineAfter returns two blocks that extend c, without adding them to it.
func mineAfter(t *testing.T, c *blockchain.Chain) []*blockchain.Block {
	t.Helper()
	copyChain := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	if err := copyChain.Extend(chainBlocks(c)[1:]); err != nil {
		t.Fatal(err)
	}
	growChain(t, copyChain, "more", 2)
	return chainBlocks(copyChain)[c.Len():]
}

// TestRegisterWithPeerHoldingOurChain: registering with a peer whose whole
// chain starts with ours adopts only what is new, and a peer that differs
// inside the shared part is judged block by block.
func TestRegisterWithPeerHoldingOurChain(t *testing.T) {
	b := newMemNode(t, Options{})
	growChain(t, b.Chain(), "b", 4)
	longer := append(chainBlocks(b.Chain()), mineAfter(t, b.Chain())...)
	tampered := wholeChain(longer, func(i int, w []byte) []byte {
		if i == 2 {
			return bytes.Replace(w, []byte(`"nonce": `), []byte(`"nonce": 1`), 1)
		}
		return w
	})
	tests := []struct {
		name    string
		answer  string
		length  int
		adopted bool
		errText string
	}{
		{name: "the same chain", answer: wholeChain(chainBlocks(b.Chain()), nil), length: 5},
		{name: "ours and two more", answer: wholeChain(longer, nil), length: 7, adopted: true},
		{name: "ours with block 2 changed", answer: tampered, errText: "invalid chain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			peer := fakePeer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, tt.answer)
			})
			res, err := b.RegisterWith(context.Background(), peer)
			if tt.errText != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("RegisterWith = %+v, %v; want an error with %q", res, err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Length != tt.length || res.Adopted != tt.adopted {
				t.Errorf("RegisterWith = %+v, want length %d adopted %v", res, tt.length, tt.adopted)
			}
		})
	}
	if b.Chain().Len() != 7 {
		t.Errorf("b's chain has %d blocks, want the 7 it adopted", b.Chain().Len())
	}
}
