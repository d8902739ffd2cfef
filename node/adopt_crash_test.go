package node

import (
	"context"
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

// TestCrashDuringDeepFork kills a node with SIGKILL while it adopts a peer's
// chain that forks from ours deeper than it holds in memory: while the fork
// is staged in the store, around the switch, and after it. Reopened, the
// store holds our old chain or a longer piece of the peer's, passes the
// check, and no staged blocks are left.
func TestCrashDuringDeepFork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const shared, own, length, batch = 40, 40, 300, 10
	base := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	growChain(t, base, "shared", shared-1)
	src := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	if _, err := src.Replace(chainBlocks(base)); err != nil {
		t.Fatal(err)
	}
	growChain(t, src, "peer", length-shared)
	peerBlocks := chainBlocks(src)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	// The switch comes once the staged chain passes our shared+own blocks.
	kills := []struct {
		at      int
		staging bool // wait for the staging to begin before the kill
		switch_ bool // wait for the switch
	}{
		{at: shared + own/2, staging: true},
		{at: shared + own - batch + rng.IntN(3*batch), staging: true},
		{at: shared + own + rng.IntN(length-shared-own-batch), switch_: true},
		{at: shared + rng.IntN(length-shared-batch)},
	}
	for round, kill := range kills {
		t.Run(fmt.Sprintf("kill after %d blocks sent", kill.at), func(t *testing.T) {
			dir := t.TempDir()
			store, chain := openStoreChain(t, dir)
			if _, err := chain.Replace(chainBlocks(base)); err != nil {
				t.Fatal(err)
			}
			growChain(t, chain, fmt.Sprintf("own %d", round), own)
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
					if i == kill.at {
						http.NewResponseController(w).Flush()
						close(sent)
						<-r.Context().Done() // the rest never comes
						return
					}
				}
			})
			child := startChildNode(t, dir, fmt.Sprintf("%s=%d", childAdoptBatchEnv, batch), childHeldForkEnv+"=2048")
			go http.Post(child.url+"register_with", "application/json", strings.NewReader(`{"node_address": "`+peer+`"}`))
			select {
			case <-sent:
			case <-time.After(30 * time.Second):
				t.Fatalf("the peer's chain was not fetched; child output:\n%s", child.output.String())
			}
			if kill.staging {
				waitFor(t, 30*time.Second, "the staging", func() bool {
					return strings.Contains(child.output.String(), "staging a peer's chain")
				})
			}
			if kill.switch_ {
				waitFor(t, 30*time.Second, "the switch to the peer's chain", func() bool {
					_, body := call(t, http.MethodGet, child.url+"chain?from=100000", nil)
					return !strings.HasPrefix(string(body), fmt.Sprintf(`{"length": %d,`, len(old)))
				})
			}
			if err := child.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-child.exited

			t.Logf("staged blocks left at the kill: %v", stagingLeft(t, dir))
			store, chain = openStoreChain(t, dir)
			if err := chain.WaitCheck(context.Background()); err != nil {
				t.Fatalf("the store does not pass the check after the kill: %v", err)
			}
			<-store.LeftoversSwept()
			got := hashes(chainBlocks(chain))
			store.Close()
			switch {
			case slices.Equal(got, old):
				t.Logf("the old chain of %d blocks", len(got))
			case len(got) > len(old) && len(got) <= length && slices.Equal(got, hashes(peerBlocks[:len(got)])):
				t.Logf("%d blocks of the peer's chain", len(got))
			default:
				t.Fatalf("after the kill the store holds %d blocks, neither the old chain nor a longer piece of the peer's", len(got))
			}
			if stagingLeft(t, dir) {
				t.Error("staged blocks are left in the store after it was opened")
			}
		})
	}
}
