package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/internal/pydiff"
	"blockscope/internal/pynode"
)

// testChain mines a chain of the genesis and three blocks, each holding
// the transactions named, on a memory chain with a deterministic clock.
func testChain(t *testing.T) []*blockchain.Block {
	t.Helper()
	now := time.Unix(1764000000, 0)
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: func() time.Time { now = now.Add(time.Second); return now }})
	for _, contents := range [][]string{{"pay bob 5", "héllo wörld ✓ 中文 😀"}, {"pay carol 7"}, {"pay dave 9", "last"}} {
		for _, content := range contents {
			if _, err := c.AddTransaction(map[string]any{"author": "alice", "content": content}); err != nil {
				t.Fatal(err)
			}
		}
		tmpl, err := c.Template()
		if err != nil {
			t.Fatal(err)
		}
		b, err := blockchain.Mine(context.Background(), tmpl, blockchain.SeedDifficulty)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddBlock(b); err != nil {
			t.Fatal(err)
		}
	}
	blocks, _ := c.Range(0, int64(c.Len()))
	return blocks
}

// dumpOf writes blocks in the /chain format, with the seed's separators.
func dumpOf(t *testing.T, blocks []*blockchain.Block, wrap bool) []byte {
	t.Helper()
	list := make([]any, len(blocks))
	for i, b := range blocks {
		list[i] = b.Map()
	}
	var v any = list
	if wrap {
		v = map[string]any{"length": blockchain.IntOf(int64(len(blocks))), "chain": list, "peers": []any{}}
	}
	data, err := blockchain.Canonical(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// verify runs "blockscope verify" with args and stdin and returns its exit
// status and output.
func verify(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runVerify(args, bytes.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestVerifyDumps(t *testing.T) {
	blocks := testChain(t)
	good := dumpOf(t, blocks, true)
	tests := []struct {
		name     string
		dump     []byte
		wantCode int
		wantOut  []string // lines (or parts of lines) the output must hold
	}{
		{"valid /chain body", good, 0, []string{"VALID -: 4 blocks, 5 transactions, tip #3 " + blocks[3].Hash()}},
		{"valid bare list", dumpOf(t, blocks, false), 0, []string{"VALID -: 4 blocks"}},
		{"one character of a transaction changed", bytes.Replace(good, []byte("pay carol 7"), []byte("pay carol 8"), 1), 1,
			// Block 3 names the hash block 2 claims, as the seed compares
			// previous_hash with parent["hash"]: one problem.
			[]string{"block 2 invalid: hash " + blocks[2].Hash()[:12] + "… does not match its contents", "INVALID -: 1 problem in 4 blocks"}},
		{"a non-ASCII character changed", bytes.Replace(good, []byte(`\u2713`), []byte(`\u2714`), 1), 1,
			[]string{"block 1 invalid: hash", "1 problem"}},
		{"the last block changed", bytes.Replace(good, []byte("pay dave 9"), []byte("pay dave 0"), 1), 1,
			[]string{"block 3 invalid: hash", "INVALID -: 1 problem in 4 blocks"}},
		{"a block missing", dumpOf(t, []*blockchain.Block{blocks[0], blocks[1], blocks[3]}, true), 1,
			[]string{"block 3 invalid: index 3 does not follow block 1 (want 2)"}},
		{"wrong length: a warning, still valid", bytes.Replace(good, []byte(`"length": 4`), []byte(`"length": 5`), 1), 0,
			[]string{`warning: "length" 5 does not match the 4 blocks in "chain"`, "VALID -: 4 blocks"}},
		{"length 4.0 agrees", bytes.Replace(good, []byte(`"length": 4`), []byte(`"length": 4.0`), 1), 0, []string{"VALID -: 4 blocks"}},
		{"another genesis", dumpOf(t, append([]*blockchain.Block{mustBlock(t, 0, "1")}, blocks[1:]...), false), 1,
			[]string{"block 0 invalid: genesis", "block 1 invalid: previous_hash"}},
		{"a block that does not parse, the rest still checked", bytes.Replace(good, []byte(`"nonce": `+fmt.Sprint(blocks[2].Nonce())+`, "previous_hash"`), []byte(`"previous_hash"`), 1), 1,
			[]string{`block 2 invalid: missing field "nonce"`, "INVALID -: 1 problem in 4 blocks"}},
		{"a nonce Python reads as a string, hashed as read", bytes.Replace(good, []byte(`"nonce": `+fmt.Sprint(blocks[2].Nonce())+`, "previous_hash"`), []byte(`"nonce": "x", "previous_hash"`), 1), 1,
			[]string{"block 2 invalid: hash", "INVALID -: 1 problem in 4 blocks"}},
		{"an empty chain", []byte(`{"length": 0, "chain": []}`), 1, []string{"the chain is empty"}},
		{"not JSON", []byte(`<html>`), 1, []string{"not a chain dump: Python cannot read the text: invalid JSON"}},
		{"JSON but not a dump", []byte(`{"message": "hi"}`), 1, []string{`not a chain dump: "chain" must be a list of blocks`}},
		{"a block that is not an object", []byte(`[` + string(blocks[0].WireJSON()) + `, 5]`), 1, []string{"block at position 1 invalid: a block must be a JSON object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := verify(t, tt.dump, "-")
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, map[int]string{0: "VALID ", 1: "INVALID "}[tt.wantCode]) {
				t.Errorf("the last line is not the summary: %q", last)
			}
		})
	}
}

func mustBlock(t *testing.T, index int64, timestamp string) *blockchain.Block {
	t.Helper()
	b, err := blockchain.NewBlock(index, nil, blockchain.Int(timestamp), "0", 0)
	if err != nil {
		t.Fatal(err)
	}
	return b.Sealed()
}

func TestVerifySources(t *testing.T) {
	blocks := testChain(t)
	good := dumpOf(t, blocks, true)
	file := filepath.Join(t.TempDir(), "chain.json")
	if err := os.WriteFile(file, good, 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/chain", "/dumps/chain.json":
			w.Write(good)
		case "/broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // part of stdout, or of stderr when the code is 2
		wantPath string // the path the server saw, if any
	}{
		{"a file", []string{file}, 0, "VALID " + file, ""},
		{"a node URL without a path means /chain", []string{srv.URL}, 0, "VALID " + srv.URL, "/chain"},
		{"a node URL with a slash", []string{srv.URL + "/"}, 0, "VALID", "/chain"},
		{"a URL with a path is fetched as it is", []string{srv.URL + "/dumps/chain.json"}, 0, "VALID", "/dumps/chain.json"},
		{"a server error", []string{srv.URL + "/broken"}, 2, "500 Internal Server Error", "/broken"},
		{"a dump over the size limit", []string{"-max-bytes", "100", file}, 2, "more than -max-bytes 100", ""},
		{"a fetched dump over the size limit", []string{"-max-bytes", "100", srv.URL}, 2, "more than -max-bytes 100", "/chain"},
		{"a higher difficulty than the blocks meet", []string{"-difficulty", "6", file}, 1, "does not meet difficulty 6", ""},
		{"no such file", []string{filepath.Join(t.TempDir(), "missing.json")}, 2, "no such file", ""},
		{"an unsupported scheme", []string{"ftp://example.com/chain"}, 2, "only http and https", ""},
		{"no argument", nil, 2, "want one FILE, URL or -", ""},
		{"two arguments", []string{file, file}, 2, "got 2 arguments", ""},
		{"an unknown flag", []string{"-frobnicate", file}, 2, "flag provided but not defined", ""},
		{"a difficulty out of range", []string{"-difficulty", "65", file}, 2, "must be between 0 and 64", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			paths = nil
			mu.Unlock()
			code, out, errOut := verify(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			where := out
			if code == 2 {
				where = errOut
			}
			if !strings.Contains(where, tt.wantOut) {
				t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", tt.wantOut, out, errOut)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.wantPath != "" && (len(paths) != 1 || paths[0] != tt.wantPath) {
				t.Errorf("server saw %q, want %q", paths, tt.wantPath)
			}
		})
	}
}

func TestVerifyTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	code, _, errOut := verify(t, nil, "-timeout", "200ms", srv.URL)
	if code != 2 || !strings.Contains(errOut, "GET "+srv.URL+"/chain") {
		t.Fatalf("exit %d, stderr %q; want 2 and the failed GET", code, errOut)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("verify took %s with a 200ms timeout", took)
	}
}

// TestVerifySeedNodeDump checks verify against the tutorial's own node: a
// chain it mined (with non-ASCII transactions, which Python escapes) passes,
// from a saved dump and from the node's URL, and the same dump with one
// character changed fails, naming the block.
func TestVerifySeedNodeDump(t *testing.T) {
	base := startSeedNode(t)
	txs := []map[string]any{
		{"author": "alice", "content": "pay bob 5"},
		{"author": "bob", "content": "héllo wörld ✓ 中文 😀"},
		{"author": "carol", "content": "tabs\tand \"quotes\" </script>", "extra": []any{1, 2.5, nil, true}},
		{"author": "dave", "content": "the last one"},
	}
	for i, tx := range txs {
		body, _ := json.Marshal(tx)
		resp, err := http.Post(base+"/new_transaction", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST /new_transaction: %s", resp.Status)
		}
		if i != 2 { // blocks: [alice], [bob], [carol, dave]
			if _, err := httpGet(base + "/mine"); err != nil {
				t.Fatal(err)
			}
		}
	}
	dump, err := httpGet(base + "/chain")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Length int `json:"length"`
	}
	if err := json.Unmarshal(dump, &body); err != nil || body.Length != 4 {
		t.Fatalf("the seed node's chain has length %d (%v), want 4:\n%s", body.Length, err, dump)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "seed-chain.json")
	if err := os.WriteFile(file, dump, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{file, base} {
		if code, out, errOut := verify(t, nil, source); code != 0 || !strings.Contains(out, "VALID "+source+": 4 blocks, 4 transactions") {
			t.Fatalf("verify %s: exit %d\nstdout:\n%s\nstderr:\n%s\ndump:\n%s", source, code, out, errOut, dump)
		}
	}

	tampered := bytes.Replace(dump, []byte("pay bob 5"), []byte("pay bob 6"), 1)
	if bytes.Equal(tampered, dump) {
		t.Fatalf("the dump does not hold the first transaction verbatim:\n%s", dump)
	}
	bad := filepath.Join(dir, "tampered.json")
	if err := os.WriteFile(bad, tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	// Block 1's contents no longer match its hash; block 2 names the hash
	// block 1 claims, which is what the seed compares.
	code, out, errOut := verify(t, nil, bad)
	if code != 1 || !strings.HasPrefix(out, "block 1 invalid: hash") || !strings.Contains(out, "INVALID "+bad+": 1 problem in 4 blocks") {
		t.Fatalf("verify of the tampered dump: exit %d, want 1 naming block 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// startSeedNode runs ../shared/reference/seed_node.py on a free port of
// 127.0.0.1 until the test ends and returns its base URL. It skips the test
// when python3, Flask or requests is missing.
func startSeedNode(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("skipping the seed node interop test: python3 is not installed")
	}
	if out, err := exec.Command(python, "-c", "import flask, requests").CombinedOutput(); err != nil {
		t.Skipf("skipping the seed node interop test: python3 lacks Flask or requests (%v: %s)", err, bytes.TrimSpace(out))
	}
	script := filepath.Join("..", "shared", "reference", "seed_node.py")
	if _, err := os.Stat(script); err != nil {
		t.Fatalf("the reference node is missing: %v", err)
	}
	// The node binds its own port: a port probed here and closed could be
	// taken by another test before Flask binds it.
	return pynode.Start(t, script).URL
}

func httpGet(u string) ([]byte, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return data, nil
}

// TestVerifyDifferentialAgainstPython: verify, with its own fast reading of
// plain blocks, reaches the verdict of the reference's chain_error on
// random dumps (see the blockchain package's differential test).
func TestVerifyDifferentialAgainstPython(t *testing.T) {
	n := 1000
	if s := os.Getenv("BLOCKSCOPE_DIFF_CASES"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	cases := pydiff.NewGen(uint64(n) + 1).Cases(n)
	verdicts := pydiff.JudgeWithPython(t, filepath.Join("..", "shared", "reference"), cases)
	disagree := 0
	for i, c := range cases {
		r := verifyDump(c.Text, blockchain.SeedDifficulty)
		if (len(r.Problems) == 0) != (verdicts[i] == "1") {
			disagree++
			if disagree <= 10 {
				t.Errorf("case %d (%s): verify says %q, Python says %q\n%.2000s", i, c.What, r.Problems, verdicts[i], c.Text)
			}
		}
	}
	t.Logf("%d cases, %d disagreements", n, disagree)
}
