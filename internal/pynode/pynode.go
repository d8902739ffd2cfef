// Package pynode runs a Python reference node (a Flask script such as
// ../shared/reference/seed_node.py) for tests, on a port the child binds
// itself.
//
// Probing a free port in Go, closing it and handing the number to the child
// races with every other listener on the machine: between the probe and
// Flask's bind another test (or another package's test binary) can take the
// port, and then the child fails to start or, worse, the readiness probe
// gets its answer from the other server. Here the child binds 127.0.0.1:0
// and prints the port it holds, so there is no window.
package pynode

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds the child's start: importing Flask under a loaded
// 2-core machine with other race-enabled test binaries takes seconds, not
// milliseconds.
const startTimeout = 60 * time.Second

// listenZero runs the script given as its first argument as __main__ with
// Flask.run replaced: the server binds port 0 of the host asked for and
// prints the port before it serves. The script's own --port is ignored.
const listenZero = `import os, runpy, sys
import flask
from werkzeug.serving import make_server

def run(self, host="127.0.0.1", port=None, threaded=True, **kwargs):
    srv = make_server(host or "127.0.0.1", 0, self, threaded=threaded)
    print("pynode listening on port %d" % srv.port, flush=True)
    srv.serve_forever()

flask.Flask.run = run
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
runpy.run_path(script, run_name="__main__")
`

const portLine = "pynode listening on port "

// Node is a running reference node.
type Node struct {
	// URL is the node's base URL, http://127.0.0.1:PORT, without a final
	// slash.
	URL string
	out *lockedBuffer
}

// Output returns what the node has written so far (stdout and stderr).
func (n *Node) Output() string { return n.out.String() }

// Start runs python3 with script and args (the script's own, "--port 0" is
// appended for scripts that require the flag), waits until the node answers
// GET /chain with 200, and kills it when the test ends. It fails the test
// when the node does not start within a minute.
func Start(t testing.TB, script string, args ...string) *Node {
	t.Helper()
	argv := append([]string{"-c", listenZero, script}, args...)
	argv = append(argv, "--port", "0")
	cmd := exec.Command("python3", argv...)
	out := &lockedBuffer{}
	cmd.Stderr = out
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("start the reference node: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the reference node: %v", err)
	}
	ports := make(chan int, 1)
	go scanPort(stdout, out, ports)
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(startTimeout)
	var port int
	select {
	case port = <-ports:
	case <-exited:
		t.Fatalf("the reference node %s exited before it listened; its output:\n%s", script, out.String())
	case <-time.After(time.Until(deadline)):
		t.Fatalf("the reference node %s did not listen within %s; its output:\n%s", script, startTimeout, out.String())
	}
	n := &Node{URL: "http://127.0.0.1:" + strconv.Itoa(port), out: out}
	if err := waitReady(n.URL, exited, deadline); err != nil {
		t.Fatalf("%v; its output:\n%s", err, out.String())
	}
	return n
}

// scanPort copies the child's stdout to out and sends the port of its first
// port line.
func scanPort(stdout io.Reader, out io.Writer, ports chan<- int) {
	sc := bufio.NewScanner(stdout)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(out, line)
		if rest, ok := strings.CutPrefix(line, portLine); ok && !sent {
			if p, err := strconv.Atoi(rest); err == nil {
				ports <- p
				sent = true
			}
		}
	}
	io.Copy(io.Discard, stdout)
}

// waitReady polls GET /chain until it answers 200, the process exits or the
// deadline passes. The socket listens before the port is printed, so this
// normally succeeds at once; it guards against a server that is slow to
// accept.
func waitReady(base string, exited <-chan struct{}, deadline time.Time) error {
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-exited:
			return errors.New("the reference node exited")
		default:
		}
		resp, err := client.Get(base + "/chain")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer on %s/chain by the deadline (last: %v)", base, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// lockedBuffer collects a child's output while the test may read it.
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
