package blockchain_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"blockscope/blockchain"
	"blockscope/internal/pydiff"
)

// diffCasesEnv sets how many random cases the differential tests judge; the
// default keeps CI quick, a long run sets e.g. 100000.
const diffCasesEnv = "BLOCKSCOPE_DIFF_CASES"

// referenceDir is ../shared/reference beside the project root.
var referenceDir = filepath.Join("..", "..", "shared", "reference")

// diffCases returns how many cases to judge: n, or the count in the
// environment.
func diffCases(t *testing.T, n int) int {
	t.Helper()
	if s := os.Getenv(diffCasesEnv); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("%s=%q: want a positive count", diffCasesEnv, s)
		}
		return v
	}
	return n
}

// TestDifferentialAgainstPython judges random chains, broken in every way
// the rules can break and holding every odd value Python reads, with the
// reference node's chain_error (one python3 process, the cases batched over
// its stdin) and with blockscope, whole (ParseChainDump) and streaming
// (DumpScanner and JudgeJSON), and wants the same verdict on each.
func TestDifferentialAgainstPython(t *testing.T) {
	n := diffCases(t, 2000)
	cases := pydiff.NewGen(uint64(n)).Cases(n)
	verdicts := pydiff.JudgeWithPython(t, referenceDir, cases)
	valid, disagree := 0, 0
	for i, c := range cases {
		if strings.HasPrefix(verdicts[i], "E") {
			t.Errorf("case %d (%s): the reference crashed: %s", i, c.What, verdicts[i])
			continue
		}
		py := verdicts[i] == "1"
		if py {
			valid++
		}
		for _, judge := range []struct {
			how string
			err error
		}{{"whole", judgeWhole(c.Text)}, {"streaming", judgeStreaming(c.Text)}} {
			if (judge.err == nil) != py {
				disagree++
				if disagree <= 10 {
					t.Errorf("case %d (%s): %s, blockscope says %v, Python says %q\n%.2000s", i, c.What, judge.how, judge.err, verdicts[i], c.Text)
				}
			}
		}
	}
	t.Logf("%d cases (%d valid by the reference), %d disagreements", n, valid, disagree)
	if valid < n/5 || valid > n*4/5 {
		t.Errorf("%d of %d cases valid: the generator should make both kinds", valid, n)
	}
}

func judgeWhole(text []byte) error {
	d, err := blockchain.ParseChainDump(text, blockchain.SeedDifficulty)
	if err != nil {
		return err
	}
	return d.Err()
}

// judgeStreaming judges a dump as a node reading a peer's answer as a
// stream does: DumpScanner hands out each block's text, JudgeJSON judges it.
func judgeStreaming(text []byte) error {
	sc := blockchain.NewDumpScanner(bytes.NewReader(text), 0)
	var parent *blockchain.Block
	for {
		raw, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b, err := blockchain.JudgeJSON(parent, raw, blockchain.SeedDifficulty)
		if err != nil {
			return err
		}
		parent = b
	}
	if parent == nil {
		return errors.New("no blocks")
	}
	return nil
}
