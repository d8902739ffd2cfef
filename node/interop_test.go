package node

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/internal/pynode"
)

// seedNodeScript is the tutorial-rules reference node, beside the repository.
var seedNodeScript = filepath.Join("..", "..", "shared", "reference", "seed_node.py")

var (
	pythonOnce sync.Once
	pythonErr  error
)

// requirePython skips the test when python3 with Flask and requests, or the
// reference node, is missing.
func requirePython(t *testing.T) {
	t.Helper()
	pythonOnce.Do(func() {
		if _, err := os.Stat(seedNodeScript); err != nil {
			pythonErr = fmt.Errorf("the reference node %s is missing: %w", seedNodeScript, err)
			return
		}
		if _, err := exec.LookPath("python3"); err != nil {
			pythonErr = fmt.Errorf("python3 is not installed: %w", err)
			return
		}
		if out, err := exec.Command("python3", "-c", "import flask, requests").CombinedOutput(); err != nil {
			pythonErr = fmt.Errorf("python3 lacks Flask or requests (pip install flask requests): %v: %s", err, bytes.TrimSpace(out))
		}
	})
	if pythonErr != nil {
		t.Skipf("interop test needs the Python reference node: %v", pythonErr)
	}
}

// lockedBuffer collects a child's output for failure reports.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startPython runs the reference node on a loopback port it binds itself,
// waits until it answers GET /chain, and kills it when the test ends. It
// returns the node's base URL as it names itself (http://127.0.0.1:PORT/).
func startPython(t *testing.T) string {
	t.Helper()
	return startPythonScript(t, seedNodeScript)
}

// startPythonScript is startPython for a script run with args.
func startPythonScript(t *testing.T, script string, args ...string) string {
	t.Helper()
	requirePython(t)
	py := pynode.Start(t, script, args...)
	base := py.URL + "/"
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("reference node %s output:\n%s", base, py.Output())
		}
	})
	return base
}

// pyTx posts a transaction to a node's API.
func pyTx(t *testing.T, base, author, content string) {
	t.Helper()
	body, _ := blockchain.Canonical(map[string]any{"author": author, "content": content})
	if status, _, data := post(t, base+"new_transaction", body, false); status != 201 {
		t.Fatalf("POST %snew_transaction: %d %s", base, status, data)
	}
}

// apiMine asks a node to mine and returns the new block's index.
func apiMine(t *testing.T, base string) int64 {
	t.Helper()
	status, data := call(t, "GET", base+"mine", nil)
	obj := decodeObject(t, data)
	idx, _ := obj["index"].(blockchain.Int)
	n, ok := idx.Int64()
	if status != 200 || !ok {
		t.Fatalf("GET %smine: %d %s", base, status, data)
	}
	return n
}

func sameChain(t *testing.T, base string, c *blockchain.Chain) bool {
	blocks, _ := chainOf(t, base)
	return slices.Equal(hashes(blocks), hashes(chainBlocks(c)))
}

func TestInteropWeRegisterWithPython(t *testing.T) {
	t.Parallel()
	py := startPython(t)
	pyTx(t, py, "alice", "pay bob 5")
	pyTx(t, py, "bob", "héllo wörld ✓ 😀")
	apiMine(t, py)
	pyTx(t, py, "carol", "third")
	apiMine(t, py)

	n := newMemNode(t, Options{})
	res, err := n.RegisterWith(context.Background(), py)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Adopted || res.Length != 3 {
		t.Errorf("RegisterWith(python) = %+v, want its 3 blocks adopted", res)
	}
	if !sameChain(t, py, n.Chain()) {
		t.Error("our chain differs from the Python node's")
	}
	if _, pyPeers := chainOf(t, py); !slices.Equal(pyPeers, []string{n.url}) {
		t.Errorf("the Python node's peers = %v, want [%s]", pyPeers, n.url)
	}
	if !slices.Equal(n.PeerURLs(), []string{py}) {
		t.Errorf("our peers = %v, want [%s]", n.PeerURLs(), py)
	}
}

func TestInteropPythonRegistersWithUs(t *testing.T) {
	t.Parallel()
	py := startPython(t)
	n := newMemNode(t, Options{})
	// Values whose canonical form is easy to get wrong: Python must
	// recompute the same hashes from what we serve.
	txs := []string{
		`{"author": "alice", "content": "h\u00e9llo \ud83d\ude00 <&>/\\\"", "n": 0, "f": 0.0, "big": 123456789012345678901234567890}`,
		`{"author": "bob", "content": "floats", "x": [1e-05, 1e+16, 0.1, -2.5, 1e300], "nested": {"b": null, "a": true}}`,
	}
	for _, tx := range txs {
		if status, _, body := post(t, n.url+"new_transaction", []byte(tx), false); status != 201 {
			t.Fatalf("POST /new_transaction: %d %s", status, body)
		}
		apiMine(t, n.url)
	}
	body, _ := blockchain.Canonical(map[string]any{"node_address": n.url})
	if status, _, data := post(t, py+"register_with", body, false); status != 200 {
		t.Fatalf("POST %sregister_with: %d %s", py, status, data)
	}
	if !sameChain(t, py, n.Chain()) {
		t.Error("the Python node did not adopt our chain")
	}
	if !slices.Equal(n.PeerURLs(), []string{py}) {
		t.Errorf("our peers = %v, want the Python node %s", n.PeerURLs(), py)
	}
}

func TestInteropBlocksFlowBothWays(t *testing.T) {
	t.Parallel()
	py := startPython(t)
	n := newMemNode(t, Options{})
	if _, err := n.RegisterWith(context.Background(), py); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		pyTx(t, py, "py", "round "+strconv.Itoa(round))
		idx := apiMine(t, py)
		waitFor(t, 10*time.Second, fmt.Sprintf("python's block #%d to reach us", idx), func() bool { return n.Chain().Len() == int(idx)+1 })
		if !sameChain(t, py, n.Chain()) {
			t.Fatalf("round %d: chains differ after python mined", round)
		}

		pyTx(t, n.url, "go", "round "+strconv.Itoa(round))
		idx = apiMine(t, n.url)
		waitFor(t, 10*time.Second, fmt.Sprintf("our block #%d to reach python", idx), func() bool {
			blocks, _ := chainOf(t, py)
			return len(blocks) == int(idx)+1
		})
		if !sameChain(t, py, n.Chain()) {
			t.Fatalf("round %d: chains differ after we mined", round)
		}
	}
	evs := drainEvents(n.Node)
	if countEvents(evs, EventBlockReceived) != 3 || countEvents(evs, EventBlockMined) != 3 {
		t.Errorf("events: %d received, %d mined; want 3 and 3", countEvents(evs, EventBlockReceived), countEvents(evs, EventBlockMined))
	}
}

func TestInteropConvergeAfterPartition(t *testing.T) {
	t.Parallel()
	t.Run("python longer: we adopt and lose nothing", func(t *testing.T) {
		t.Parallel()
		py := startPython(t)
		n := newMemNode(t, Options{})
		var all []string
		for i := range 3 {
			c := fmt.Sprintf("python block %d", i)
			pyTx(t, py, "py", c)
			apiMine(t, py)
			all = append(all, "py/"+c)
		}
		pyTx(t, py, "py", "python pending")
		for _, c := range []string{"ours 1", "ours 2"} {
			pyTx(t, n.url, "go", c)
			all = append(all, "go/"+c)
		}
		apiMine(t, n.url)
		pyTx(t, n.url, "go", "ours pending")
		all = append(all, "go/ours pending")

		res, err := n.RegisterWith(context.Background(), py)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Adopted || res.Replace.Dropped != 1 || res.Replace.Restored != 2 {
			t.Errorf("RegisterWith = %+v, want python's chain adopted, our block's 2 transactions restored", res)
		}
		if !sameChain(t, py, n.Chain()) {
			t.Fatal("chains differ after registering")
		}
		inChain, pending := txKeys(n.Chain())
		for _, k := range all {
			if inChain[k]+pending[k] != 1 {
				t.Errorf("transaction %s: %d in the chain, %d pending; want exactly one copy", k, inChain[k], pending[k])
			}
		}
		// Mining the restored transactions brings them to python too.
		idx := apiMine(t, n.url)
		waitFor(t, 10*time.Second, "our block to reach python", func() bool {
			blocks, _ := chainOf(t, py)
			return len(blocks) == int(idx)+1
		})
		if !sameChain(t, py, n.Chain()) {
			t.Error("chains differ after mining the restored transactions")
		}
	})
	t.Run("ours longer: python adopts", func(t *testing.T) {
		t.Parallel()
		py := startPython(t)
		n := newMemNode(t, Options{})
		pyTx(t, py, "py", "python's only block")
		apiMine(t, py)
		for i := range 3 {
			pyTx(t, n.url, "go", fmt.Sprintf("our block %d", i))
			apiMine(t, n.url)
		}
		res, err := n.RegisterWith(context.Background(), py)
		if err != nil {
			t.Fatal(err)
		}
		if res.Adopted || !res.Nudged {
			t.Errorf("RegisterWith = %+v, want python nudged to fetch ours", res)
		}
		if !sameChain(t, py, n.Chain()) {
			t.Error("python did not converge on our longer chain")
		}
	})
}
