package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"blockscope/blockchain"
)

// syncBuffer is an io.Writer safe for the server's goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		text string
	}{
		{"help", []string{"-h"}, 0, "Usage: blockscope serve"},
		{"unknown flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"argument", []string{"--mem", "extra"}, 2, `unexpected argument "extra"`},
		{"listen off", []string{"--mem", "--listen", "off"}, 2, "needs an address"},
		{"difficulty below the floor", []string{"--mem", "--difficulty", "1"}, 2, "--difficulty 1"},
		{"mem and data-dir", []string{"--mem", "--data-dir", t.TempDir()}, 2, "exclude each other"},
		{"advertise ftp", []string{"--mem", "--advertise", "ftp://x/"}, 2, "--advertise"},
		{"negative sync interval", []string{"--mem", "--sync-interval", "-1s"}, 2, "must not be negative"},
		{"cannot listen", []string{"--mem", "--listen", "256.0.0.1:1"}, 1, "listen on 256.0.0.1:1"},
	}
	for _, tt := range tests {
		var stdout, stderr syncBuffer
		code := serve(context.Background(), tt.args, &stdout, &stderr, nil)
		if code != tt.code || !strings.Contains(stderr.String(), tt.text) {
			t.Errorf("%s: serve %v = %d, stderr %q; want %d mentioning %q", tt.name, tt.args, code, stderr.String(), tt.code, tt.text)
		}
	}
}

// startServe runs serve in the background and returns its URL; stop ends
// it and returns its exit code.
func startServe(t *testing.T, args []string) (url string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	stderr = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	exit := make(chan int, 1)
	go func() { exit <- serve(ctx, args, io.Discard, stderr, func(u string) { urls <- u }) }()
	select {
	case url = <-urls:
	case code := <-exit:
		cancel()
		t.Fatalf("serve exited with %d before listening: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-exit:
			case <-time.After(10 * time.Second):
				t.Errorf("serve did not stop within 10s: %s", stderr.String())
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return url, stderr, stop
}

func httpDo(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestServeOnStore(t *testing.T) {
	dir := t.TempDir()
	url, stderr, stop := startServe(t, []string{"--data-dir", dir, "--listen", "127.0.0.1:0", "--workers", "1"})
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Fatalf("URL %q", url)
	}
	if code, body := httpDo(t, "POST", url+"new_transaction", `{"author": "alice", "content": "on disk"}`); code != 201 {
		t.Fatalf("POST /new_transaction: %d %s", code, body)
	}
	if code, body := httpDo(t, "GET", url+"mine", ""); code != 200 || !strings.Contains(body, "Block #1 is mined.") {
		t.Fatalf("GET /mine: %d %s", code, body)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited with %d after its context ended: %s", code, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{"msg=listening", "msg=\"serving the chain\"", "block #1 mined", "msg=\"shut down\""} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "warning") {
		t.Errorf("a loopback listener must not warn:\n%s", log)
	}
	// The store was closed (it opens again at once) and kept the block.
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("the store is still held after serve returned: %v", err)
	}
	defer store.Close()
	chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{})
	if err != nil || chain.Len() != 2 || blockchain.TxContent(chain.Tip().Transactions()[0]) != "on disk" {
		t.Fatalf("the stored chain: %v", err)
	}
}

func TestServeRegistersWithPeers(t *testing.T) {
	// A peer with a longer chain, and one that is down.
	peerURL, _, _ := startServe(t, []string{"--mem", "--listen", "127.0.0.1:0"})
	for _, c := range []string{"one", "two"} {
		httpDo(t, "POST", peerURL+"new_transaction", `{"author": "peer", "content": "`+c+`"}`)
		if code, body := httpDo(t, "GET", peerURL+"mine", ""); code != 200 {
			t.Fatalf("mine on the peer: %d %s", code, body)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()

	url, stderr, _ := startServe(t, []string{"--mem", "--listen", "127.0.0.1:0", "--peer", down, "--peer", strings.TrimSuffix(peerURL, "/")})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "registered with a peer") {
		if time.Now().After(deadline) {
			t.Fatalf("no registration logged:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, body := httpDo(t, "GET", url+"chain", ""); !strings.HasPrefix(body, `{"length": 3,`) || !strings.Contains(body, `"peers": ["`+peerURL+`"]`) {
		t.Errorf("our /chain after registering: %.200s", body)
	}
	log := stderr.String()
	if !strings.Contains(log, `msg="could not register with a peer" peer=`+down) || !strings.Contains(log, "adopted chain of 3 blocks from "+peerURL) {
		t.Errorf("the log does not report both registrations:\n%s", log)
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8000}, true},
		{&net.TCPAddr{IP: net.ParseIP("127.8.9.10"), Port: 8000}, true},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 8000}, true},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8000}, false},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8000}, false},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 8000}, false},
		{&net.UnixAddr{Name: "/tmp/x", Net: "unix"}, false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.addr); got != tt.want {
			t.Errorf("isLoopback(%v) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

// TestServeSignals runs the real binary and stops it with SIGINT and
// SIGTERM: each time it shuts down cleanly, exit code 0.
func TestServeSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	listening := regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(bin, "serve", "--data-dir", filepath.Join(t.TempDir(), "store"), "--listen", "127.0.0.1:0")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 64)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var log []string
		addr := ""
		timeout := time.After(20 * time.Second)
		for addr == "" {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("serve exited before listening:\n%s", strings.Join(log, "\n"))
				}
				log = append(log, line)
				if m := listening.FindStringSubmatch(line); m != nil {
					addr = m[1]
				}
			case <-timeout:
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("serve did not log its address:\n%s", strings.Join(log, "\n"))
			}
		}
		if code, _ := httpDo(t, "GET", "http://"+addr+"/chain", ""); code != 200 {
			t.Errorf("GET /chain: %d", code)
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		for line := range lines {
			log = append(log, line)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("after %v: %v\n%s", sig, err, strings.Join(log, "\n"))
		}
		if !strings.Contains(strings.Join(log, "\n"), `msg="shut down"`) {
			t.Errorf("after %v the log lacks the shutdown:\n%s", sig, strings.Join(log, "\n"))
		}
	}
}
