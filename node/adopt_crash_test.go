package node

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"blockscope/blockchain"
)

// TestCrashDuringAdoption kills a node with SIGKILL while it adopts a long
// chain in batches, at random points of the answer, and checks that its
// store then holds a valid chain: its own old one (which the peer's forks
// from at height 1), or a longer piece of the peer's.
func TestCrashDuringAdoption(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const length, batch, rounds = 400, 25, 4
	src := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	growChain(t, src, "peer", length-1)
	peerBlocks := chainBlocks(src)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 10))
	for round := range rounds {
		// The first round is killed before a batch is complete, the others
		// once the child has written one, while it reads on.
		killAt := batch - 5
		if round > 0 {
			killAt = 2*batch + rng.IntN(length-3*batch)
		}
		t.Run(fmt.Sprintf("kill after %d blocks sent", killAt), func(t *testing.T) {
			dir := t.TempDir()
			store, chain := openStoreChain(t, dir)
			growChain(t, chain, fmt.Sprintf("own %d", round), 3)
			old := hashes(chainBlocks(chain))
			store.Close()

			sent := make(chan struct{})
			peer := fakePeer(t, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"length": %d, "chain": [`, length)
				for i, b := range peerBlocks {
					if i > 0 {
						fmt.Fprint(w, ", ")
					}
					w.Write(b.WireJSON())
					if i == killAt {
						http.NewResponseController(w).Flush()
						close(sent)
						<-r.Context().Done() // the rest never comes
						return
					}
				}
			})
			child := startChildNode(t, dir, fmt.Sprintf("%s=%d", childAdoptBatchEnv, batch))
			go http.Post(child.url+"register_with", "application/json", strings.NewReader(`{"node_address": "`+peer+`"}`))
			select {
			case <-sent:
			case <-time.After(30 * time.Second):
				t.Fatalf("the peer's chain was not fetched; child output:\n%s", child.output.String())
			}
			if round > 0 {
				waitFor(t, 30*time.Second, "a batch adopted", func() bool {
					_, body := call(t, http.MethodGet, child.url+"chain?from=100000", nil)
					return !strings.HasPrefix(string(body), fmt.Sprintf(`{"length": %d,`, len(old)))
				})
			}
			if err := child.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-child.exited

			store, chain = openStoreChain(t, dir)
			defer store.Close()
			got := hashes(chainBlocks(chain))
			switch {
			case slices.Equal(got, old):
				t.Logf("the old chain of %d blocks", len(got))
			case len(got) > len(old) && len(got) <= length && slices.Equal(got, hashes(peerBlocks[:len(got)])):
				t.Logf("%d blocks of the peer's chain", len(got))
			default:
				t.Fatalf("after the kill the store holds %d blocks, neither the old chain nor a longer piece of the peer's", len(got))
			}
		})
	}
}
