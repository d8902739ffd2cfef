package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"blockscope/blockchain"
)

const verifyUsage = `usage: blockscope verify [flags] FILE|URL|-

Judges a chain dump in the /chain format ({"length", "chain", ...} or a bare
list of blocks) exactly as the tutorial's Python nodes judge it: the text as
json.loads reads it, the genesis, every link, every hash over json.dumps of
what was read, and its proof of work. A "length" that disagrees with the
chain plays no part in validity: it gets a warning line. FILE is a file, - is stdin, URL is a node (http or
https; a URL without a path means {URL}/chain).

Prints one line per problem naming the block, then a summary. Exit status:
0 valid, 1 invalid, 2 usage or I/O error.

Flags:
`

// runVerify implements "blockscope verify" and returns the exit status.
func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify")
	fs.SetOutput(stderr)
	difficulty := fs.Int("difficulty", blockchain.SeedDifficulty, "proof-of-work floor every block after the genesis must meet")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for fetching a URL")
	maxBytes := fs.Int64("max-bytes", 0, "refuse dumps larger than this many bytes (0: no limit; a dump is read as it streams, in memory bounded by its largest block)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), verifyUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "blockscope verify: want one FILE, URL or -, got %d arguments\n", fs.NArg())
		fs.Usage()
		return 2
	}
	if *difficulty < 0 || *difficulty > blockchain.MaxDifficulty {
		fmt.Fprintf(stderr, "blockscope verify: -difficulty %d: must be between 0 and %d\n", *difficulty, blockchain.MaxDifficulty)
		return 2
	}
	if *timeout <= 0 || *maxBytes < 0 {
		fmt.Fprintln(stderr, "blockscope verify: -timeout must be positive and -max-bytes 0 or more")
		return 2
	}
	source := fs.Arg(0)
	dump, err := openDump(source, stdin, *timeout, *maxBytes)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope verify: %v\n", err)
		return 2
	}
	report, err := verifyStream(dump, *difficulty)
	dump.Close()
	if err != nil {
		fmt.Fprintf(stderr, "blockscope verify: %v\n", err)
		return 2
	}
	for _, p := range report.Problems {
		fmt.Fprintln(stdout, blockchain.DisplayString(p))
	}
	for _, w := range report.Warnings {
		fmt.Fprintln(stdout, w)
	}
	fmt.Fprintln(stdout, report.Summary(source))
	if len(report.Problems) > 0 {
		return 1
	}
	return 0
}

// openDump opens a dump on stdin ("-"), at an http(s) URL or in a file, to
// be read as it streams; maxBytes > 0 bounds it.
func openDump(source string, stdin io.Reader, timeout time.Duration, maxBytes int64) (io.ReadCloser, error) {
	var rc io.ReadCloser
	name := source
	switch {
	case source == "-":
		rc, name = io.NopCloser(stdin), "stdin"
	case strings.Contains(source, "://"):
		u, err := url.Parse(source)
		if err != nil {
			return nil, fmt.Errorf("bad URL %q: %w", source, err)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("URL %s: only http and https are supported", source)
		}
		if rc, err = fetchDump(u, timeout, maxBytes); err != nil {
			return nil, err
		}
		name = "GET " + u.String()
	default:
		f, err := os.Open(source)
		if err != nil {
			return nil, err
		}
		rc = f
	}
	if maxBytes > 0 {
		rc = &limitedDump{rc: rc, name: name, max: maxBytes}
	}
	return rc, nil
}

// fetchDump GETs a node's chain; a URL without a path means its /chain.
// timeout bounds the whole exchange.
func fetchDump(u *url.URL, timeout time.Duration, maxBytes int64) (io.ReadCloser, error) {
	if u.Path == "" || u.Path == "/" {
		u = u.JoinPath("chain")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	fail := func(err error) (io.ReadCloser, error) {
		resp.Body.Close()
		cancel()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("GET %s: %s", u, resp.Status))
	}
	if maxBytes > 0 && resp.ContentLength > maxBytes {
		return fail(fmt.Errorf("GET %s: %d bytes is more than -max-bytes %d", u, resp.ContentLength, maxBytes))
	}
	return &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}, nil
}

// cancelOnClose ends a request's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// limitedDump fails a read beyond -max-bytes.
type limitedDump struct {
	rc        io.ReadCloser
	name      string
	max, read int64
}

func (l *limitedDump) Read(p []byte) (int, error) {
	n, err := l.rc.Read(p)
	l.read += int64(n)
	if l.read > l.max {
		return n, fmt.Errorf("%s: more than -max-bytes %d bytes", l.name, l.max)
	}
	return n, err
}

func (l *limitedDump) Close() error { return l.rc.Close() }

// dumpReport is what verify found in a dump.
type dumpReport struct {
	// Problems holds one line per problem, each naming the block.
	Problems []string
	// Warnings holds lines about what plays no part in validity (a
	// "length" that disagrees with the chain).
	Warnings []string
	// Blocks counts the blocks the dump lists; Parsed, those that parse.
	Blocks, Parsed int
	// Transactions counts the transactions of the blocks that parse.
	Transactions int
	// Tip is the last block when it parses.
	Tip *blockchain.Block
}

// Summary is the report's final line.
func (r *dumpReport) Summary(source string) string {
	if len(r.Problems) > 0 {
		return fmt.Sprintf("INVALID %s: %s in %s", source, plural(len(r.Problems), "problem"), plural(r.Blocks, "block"))
	}
	return fmt.Sprintf("VALID %s: %s, %s, tip #%d %s", source, plural(r.Blocks, "block"), plural(r.Transactions, "transaction"), r.Tip.Index(), r.Tip.Hash())
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// verifyDump judges a dump held in memory (see verifyStream).
func verifyDump(data []byte, difficulty int) *dumpReport {
	r, err := verifyStream(bytes.NewReader(data), difficulty)
	if err != nil {
		// A bytes.Reader does not fail.
		return &dumpReport{Problems: []string{"reading the dump failed: " + err.Error()}}
	}
	return r
}

// blockProblem words a problem, naming an entry that is no block by its
// position in the list and, when it has an index, by that too.
func blockProblem(err error) string {
	var entry *blockchain.EntryError
	if !errors.As(err, &entry) {
		return err.Error()
	}
	i := entry.Position
	var mal *blockchain.MalformedBlockError
	if errors.As(entry.Err, &mal) {
		if mal.Index < 0 {
			return fmt.Sprintf("block at position %d invalid: %s", i, mal.Why)
		}
		if mal.Index != int64(i) {
			return fmt.Sprintf("block %d (at position %d) invalid: %s", mal.Index, i, mal.Why)
		}
	}
	return entry.Err.Error()
}

// describeJSON writes a short value as Python would, else "value".
func describeJSON(v any) string {
	text, err := blockchain.AppendPython(nil, v)
	if err != nil || len(text) > 40 {
		return "value"
	}
	return string(text)
}
