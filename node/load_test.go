package node

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"blockscope/blockchain"
)

// childNodeEnv makes the test binary run a node on the store directory it
// names instead of the tests (see TestMain), for the crash test.
const childNodeEnv = "BLOCKSCOPE_NODE_CHILD_STORE"

// childAdoptBatchEnv sets the child node's adoption batch (blocks);
// childHeldForkEnv the bytes of a fork it holds in memory before staging.
const (
	childAdoptBatchEnv = "BLOCKSCOPE_NODE_CHILD_ADOPT_BATCH"
	childHeldForkEnv   = "BLOCKSCOPE_NODE_CHILD_HELD_FORK"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childNodeEnv); dir != "" {
		os.Exit(runChildNode(dir))
	}
	os.Exit(m.Run())
}

// runChildNode serves a node over the store in dir on 127.0.0.1, prints
// "LISTEN <url>" once it accepts, and runs until its stdin closes (the test
// ends) or it is killed.
func runChildNode(dir string) int {
	if s := os.Getenv(childAdoptBatchEnv); s != "" {
		fmt.Sscan(s, &adoptBatchBlocks)
	}
	if s := os.Getenv(childHeldForkEnv); s != "" {
		fmt.Sscan(s, &maxHeldForkBytes)
	}
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer store.Close()
	chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n, err := New(chain, store, Options{SyncInterval: -1, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer n.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	u, _ := URLForListenAddr(ln.Addr().String())
	fmt.Printf("LISTEN %s\n", u)
	if err := n.Serve(ctx, ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// loadClient posts transactions over keep-alive connections, as many
// clients at once as the test runs.
func loadClient() *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128},
	}
}

// postTx posts one transaction and reports whether it was acknowledged
// (201), and the transport error if the request failed.
func postTx(client *http.Client, base, author, content string) (bool, error) {
	body := `{"author": "` + author + `", "content": "` + content + `"}`
	resp, err := client.Post(base+"new_transaction", "application/json", strings.NewReader(body))
	if err != nil {
		return false, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return false, fmt.Errorf("status %d", resp.StatusCode)
	}
	return true, nil
}

// openStoreChain opens a store and its chain in dir.
func openStoreChain(t testing.TB, dir string) (*blockchain.Store, *blockchain.Chain) {
	t.Helper()
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{})
	if err != nil {
		store.Close()
		t.Fatal(err)
	}
	return store, chain
}

// checkAcknowledged fails for every acknowledged transaction that is not
// exactly once in the served chain or pending pool, and for a served chain
// that is not valid.
func checkAcknowledged(t *testing.T, base string, acked []string) {
	t.Helper()
	blocks, _ := chainOf(t, base)
	if err := blockchain.ValidateChain(blocks, 2); err != nil {
		t.Fatalf("served chain is invalid: %v", err)
	}
	seen := map[string]int{}
	for _, b := range blocks {
		for _, tx := range b.Transactions() {
			seen[blockchain.TxAuthor(tx)+"/"+blockchain.TxContent(tx)]++
		}
	}
	_, data := call(t, "GET", base+"pending_tx", nil)
	v, err := blockchain.Decode(data)
	if err != nil {
		t.Fatalf("GET /pending_tx: %v", err)
	}
	list, _ := v.([]any)
	for _, tx := range list {
		seen[blockchain.TxAuthor(tx)+"/"+blockchain.TxContent(tx)]++
	}
	missing := 0
	for _, k := range acked {
		if seen[k] != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged transaction %s is held %d times, want once", k, seen[k])
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged transactions are missing or duplicated", missing, len(acked))
	}
	t.Logf("%d acknowledged transactions, all present once; chain of %d blocks, %d pending", len(acked), len(blocks), len(list))
}

// runLoad has clients goroutines post up to perClient transactions each
// while a miner asks base to mine, until every client is done or stop is
// closed. It returns the acknowledged transactions and the other failures.
func runLoad(base string, clients, perClient int, tag string, stop <-chan struct{}, acked func(int)) ([]string, []error) {
	client := loadClient()
	defer client.CloseIdleConnections()
	var (
		mu   sync.Mutex
		keys []string
		errs []error
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			author := fmt.Sprintf("client%02d", c)
			for i := range perClient {
				select {
				case <-stop:
					return
				default:
				}
				content := fmt.Sprintf("%s-%d", tag, i)
				ok, err := postTx(client, base, author, content)
				mu.Lock()
				if ok {
					keys = append(keys, author+"/"+content)
					if acked != nil {
						acked(len(keys))
					}
				} else {
					errs = append(errs, err)
				}
				mu.Unlock()
				if err != nil && stop != nil {
					return // the node is gone
				}
			}
		}()
	}
	mined := make(chan struct{})
	go func() {
		defer close(mined)
		for {
			select {
			case <-done:
				return
			default:
			}
			resp, err := client.Get(base + "mine")
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	wg.Wait()
	close(done)
	<-mined
	return keys, errs
}

func TestLoadConcurrentTransactionsWhileMining(t *testing.T) {
	store, chain := openStoreChain(t, t.TempDir())
	defer store.Close()
	tn := startNode(t, chain, store, Options{})
	const clients, perClient = 64, 40
	start := time.Now()
	acked, errs := runLoad(tn.url, clients, perClient, "load", nil, nil)
	took := time.Since(start)
	if len(errs) > 0 {
		t.Fatalf("%d requests failed, first: %v", len(errs), errs[0])
	}
	if len(acked) != clients*perClient {
		t.Fatalf("%d acknowledged, want %d", len(acked), clients*perClient)
	}
	t.Logf("%d durable transactions from %d clients in %s (%.0f/s) while mining", len(acked), clients, took.Round(time.Millisecond), float64(len(acked))/took.Seconds())
	checkAcknowledged(t, tn.url, acked)
	if chain.Len() < 2 {
		t.Error("nothing was mined during the load")
	}
}

// childNode is a node running in a child process.
type childNode struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	url    string
	output *lockedBuffer
	exited chan struct{}
}

// startChildNode re-runs the test binary as a node over the store in dir.
func startChildNode(t *testing.T, dir string, env ...string) *childNode {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childNodeEnv+"="+dir), env...)
	out := &lockedBuffer{}
	cmd.Stderr = out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &childNode{cmd: cmd, stdin: stdin, output: out, exited: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-c.exited
		}
	})
	select {
	case line, ok := <-lines:
		u, found := strings.CutPrefix(line, "LISTEN ")
		if !ok || !found {
			t.Fatalf("the child node did not start (%q); its output:\n%s", line, out.String())
		}
		c.url = u
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the child node did not start within 30s; its output:\n%s", out.String())
	}
	return c
}

func TestCrashRestartKeepsAcknowledgedTransactions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	child := startChildNode(t, dir)

	// Kill the node with SIGKILL once enough transactions are acknowledged,
	// with clients and the miner still running at full speed.
	const killAfter = 600
	reached := make(chan struct{})
	var once sync.Once
	stop := make(chan struct{})
	var acked []string
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		acked, _ = runLoad(child.url, 32, 1000, "before", stop, func(n int) {
			if n >= killAfter {
				once.Do(func() { close(reached) })
			}
		})
	}()
	select {
	case <-reached:
	case <-loadDone:
		t.Fatalf("the load ended before %d acknowledgements; child output:\n%s", killAfter, child.output.String())
	}
	if err := child.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-child.exited
	close(stop)
	<-loadDone
	if len(acked) < killAfter {
		t.Fatalf("only %d acknowledged", len(acked))
	}

	restarted := startChildNode(t, dir)
	checkAcknowledged(t, restarted.url, acked)

	// The restarted node works on: more transactions, mined.
	more, errs := runLoad(restarted.url, 8, 10, "after", nil, nil)
	if len(errs) > 0 {
		t.Fatalf("after the restart: %d failures, first %v", len(errs), errs[0])
	}
	if status, body := call(t, "GET", restarted.url+"mine", nil); status != 200 {
		t.Fatalf("GET /mine after the restart: %d %s", status, body)
	}
	checkAcknowledged(t, restarted.url, append(acked, more...))
}

// BenchmarkDurableTransactions measures acknowledged, fsynced transactions
// per second: 64 concurrent keep-alive clients POST /new_transaction to a
// node on a bbolt store over loopback, one transaction per op.
func BenchmarkDurableTransactions(b *testing.B) {
	for _, mining := range []bool{false, true} {
		name := "idle"
		if mining {
			name = "while-mining"
		}
		b.Run(name, func(b *testing.B) {
			store, chain := openStoreChain(b, b.TempDir())
			defer store.Close()
			tn := startNode(b, chain, store, Options{})
			client := loadClient()
			defer client.CloseIdleConnections()
			stopMining := make(chan struct{})
			mined := make(chan struct{})
			go func() {
				defer close(mined)
				for mining {
					select {
					case <-stopMining:
						return
					default:
					}
					if _, err := tn.Mine(context.Background()); err != nil && err != ErrNothingToMine {
						b.Error(err)
						return
					}
				}
			}()
			var seq atomic.Int64
			// RunParallel runs parallelism × GOMAXPROCS goroutines: 64 clients.
			b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					if ok, err := postTx(client, tn.url, "bench", fmt.Sprintf("tx %d", i)); !ok {
						b.Errorf("tx %d: %v", i, err)
						return
					}
				}
			})
			elapsed := time.Since(start)
			b.StopTimer()
			close(stopMining)
			<-mined
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tx/s")
			inChain, pending := txKeys(chain)
			if got := len(inChain) + len(pending); got != b.N {
				b.Errorf("%d transactions held, want %d", got, b.N)
			}
		})
	}
}
