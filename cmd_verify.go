package main

import (
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

// defaultMaxDumpBytes bounds what verify reads: about a million blocks of the
// seed's usual size, far beyond any real dump, yet a bound.
const defaultMaxDumpBytes = 512 << 20

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
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	difficulty := fs.Int("difficulty", blockchain.SeedDifficulty, "proof-of-work floor every block after the genesis must meet")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for fetching a URL")
	maxBytes := fs.Int64("max-bytes", defaultMaxDumpBytes, "refuse dumps larger than this many bytes")
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
	if *timeout <= 0 || *maxBytes <= 0 {
		fmt.Fprintln(stderr, "blockscope verify: -timeout and -max-bytes must be positive")
		return 2
	}
	source := fs.Arg(0)
	data, err := readDump(source, stdin, *timeout, *maxBytes)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope verify: %v\n", err)
		return 2
	}
	report := verifyDump(data, *difficulty)
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

// readDump reads a dump from stdin ("-"), an http(s) URL or a file, at most
// maxBytes of it.
func readDump(source string, stdin io.Reader, timeout time.Duration, maxBytes int64) ([]byte, error) {
	if source == "-" {
		return readLimited(stdin, "stdin", maxBytes)
	}
	if strings.Contains(source, "://") {
		u, err := url.Parse(source)
		if err != nil {
			return nil, fmt.Errorf("bad URL %q: %w", source, err)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("URL %s: only http and https are supported", source)
		}
		return fetchDump(u, timeout, maxBytes)
	}
	f, err := os.Open(source)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, source, maxBytes)
}

// fetchDump GETs a node's chain; a URL without a path means its /chain.
func fetchDump(u *url.URL, timeout time.Duration, maxBytes int64) ([]byte, error) {
	if u.Path == "" || u.Path == "/" {
		u = u.JoinPath("chain")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	client := &http.Client{Timeout: timeout}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("GET %s: %d bytes is more than -max-bytes %d", u, resp.ContentLength, maxBytes)
	}
	data, err := readLimited(resp.Body, u.String(), maxBytes)
	if err != nil {
		return nil, fmt.Errorf("GET %w", err)
	}
	return data, nil
}

func readLimited(r io.Reader, name string, maxBytes int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%s: more than -max-bytes %d bytes", name, maxBytes)
	}
	return data, nil
}

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

// verifyDump judges a dump as the network's nodes do (the one judgement,
// blockchain.ParseChainDump) and reports every problem rather than the
// first.
func verifyDump(data []byte, difficulty int) *dumpReport {
	r := &dumpReport{}
	d, err := blockchain.ParseChainDump(data, difficulty)
	if err != nil {
		r.Problems = append(r.Problems, "not a chain dump: "+strings.TrimPrefix(err.Error(), "not a chain: "))
		return r
	}
	r.Blocks = len(d.Blocks)
	for _, b := range d.Blocks {
		if b != nil {
			r.Parsed++
			r.Transactions += len(b.Transactions())
		}
	}
	r.Tip = d.Blocks[len(d.Blocks)-1]
	if !d.LengthAgrees() {
		r.Warnings = append(r.Warnings, fmt.Sprintf(`warning: "length" %s does not match the %d blocks in "chain" (it plays no part in validity)`, describeJSON(d.Length), len(d.Blocks)))
	}
	for _, p := range d.Problems {
		r.Problems = append(r.Problems, blockProblem(p))
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
