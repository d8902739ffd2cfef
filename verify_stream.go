package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"

	"blockscope/blockchain"
)

// verifyBatchBlocks is how many blocks a verify worker reads at a time:
// enough to make handing batches around cheap, few enough that the
// batches in flight hold a few MiB.
const verifyBatchBlocks = 512

// verifyBatch is a run of a dump's chain entries, read by a worker.
type verifyBatch struct {
	first int    // position of the first entry in the chain list
	text  []byte // the entries' texts, one after another
	ends  []int  // the end of each entry's text in text
	// fast holds what the fast reading found of an entry in the canonical
	// form (blockchain.ReadCanonicalWire); blocks and errs the full
	// reading of the others.
	fast   []blockchain.WireFacts
	isFast []bool
	blocks []*blockchain.Block
	errs   []error // why an entry is not a block, nil when it is
	// syntax is why Python cannot read an entry's text, at position
	// syntaxAt: the whole dump is then no chain.
	syntax   error
	syntaxAt int
	done     chan struct{}
}

// entry returns the text of the batch's entry i.
func (vb *verifyBatch) entry(i int) []byte {
	start := 0
	if i > 0 {
		start = vb.ends[i-1]
	}
	return vb.text[start:vb.ends[i]]
}

// read reads the batch's entries: the fast way when an entry is in the
// canonical form, else decoded as Python's json.loads does into a block.
// It is the costly part of verifying, run on every core.
func (vb *verifyBatch) read(difficulty int) {
	defer close(vb.done)
	vb.fast = make([]blockchain.WireFacts, len(vb.ends))
	vb.isFast = make([]bool, len(vb.ends))
	vb.blocks = make([]*blockchain.Block, len(vb.ends))
	vb.errs = make([]error, len(vb.ends))
	for i := range vb.ends {
		text := vb.entry(i)
		if vb.fast[i], vb.isFast[i] = blockchain.ReadCanonicalWire(text, difficulty); vb.isFast[i] {
			continue
		}
		v, err := blockchain.DecodePython(text)
		if err != nil {
			vb.syntax, vb.syntaxAt = err, vb.first+i
			return
		}
		vb.blocks[i], vb.errs[i] = blockchain.BlockFromValue(v)
	}
}

// verifyStream judges a dump read from r as the network's nodes do, block
// by block as it arrives (the per-block judgement, blockchain.Judge), and
// reports every problem rather than the first. Reading runs on every core;
// memory holds the batches in flight, not the chain. A failure to read r
// is returned as the error; a text that is no dump is a problem.
func verifyStream(r io.Reader, difficulty int) (*dumpReport, error) {
	sc := blockchain.NewDumpScanner(r, 0)
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *verifyBatch, 2*workers)
	order := make(chan *verifyBatch, 2*workers)
	stop := make(chan struct{})
	scanned := make(chan error, 1)
	go func() { scanned <- produceBatches(sc, work, order, stop) }()
	for range workers {
		go func() {
			for vb := range work {
				vb.read(difficulty)
			}
		}()
	}
	j := &dumpJudge{report: &dumpReport{}, difficulty: difficulty}
	for vb := range order {
		<-vb.done
		if !j.judgeBatch(vb) {
			close(stop)
			for range order { // let the producer end
			}
			break
		}
	}
	scanErr := <-scanned
	return j.finish(sc, scanErr)
}

// produceBatches cuts the scanner's entries into batches, handing each to
// the workers and, in order, to the judge, until the chain ends or stop
// closes. It closes both channels and returns the scanner's error.
func produceBatches(sc *blockchain.DumpScanner, work, order chan<- *verifyBatch, stop <-chan struct{}) error {
	defer close(work)
	defer close(order)
	vb := &verifyBatch{done: make(chan struct{})}
	send := func() bool {
		select {
		case order <- vb:
		case <-stop:
			return false
		}
		work <- vb
		vb = &verifyBatch{first: vb.first + len(vb.ends), done: make(chan struct{})}
		return true
	}
	for {
		text, err := sc.Next()
		if err != nil {
			if len(vb.ends) > 0 {
				send()
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
		vb.text = append(vb.text, text...)
		vb.ends = append(vb.ends, len(vb.text))
		if len(vb.ends) == verifyBatchBlocks && !send() {
			return nil
		}
	}
}

// dumpJudge judges a dump's entries in order, keeping only the one before.
type dumpJudge struct {
	report     *dumpReport
	difficulty int
	// The entry before: a block (prev), the text of one read the fast way
	// (prevFast, prevText), or neither when it was no block.
	prev      *blockchain.Block
	prevFast  *blockchain.WireFacts
	prevText  []byte
	notAChain string
}

// judgeBatch judges a read batch and reports whether to go on.
func (j *dumpJudge) judgeBatch(vb *verifyBatch) bool {
	for i := range vb.ends {
		pos := vb.first + i
		if vb.syntax != nil && pos == vb.syntaxAt {
			j.notAChain = fmt.Sprintf("Python cannot read the text: chain[%d]: %v", pos, vb.syntax)
			return false
		}
		r := j.report
		r.Blocks++
		if vb.isFast[i] && pos > 0 {
			j.judgeFast(&vb.fast[i], vb.entry(i))
			continue
		}
		b, err := vb.blocks[i], vb.errs[i]
		if vb.isFast[i] { // the first entry: judged as the genesis, in full
			b, err = blockchain.ParseBlock(vb.entry(i))
		}
		if err != nil {
			r.Problems = append(r.Problems, blockProblem(&blockchain.EntryError{Position: pos, Err: err}))
			j.prev, j.prevFast = nil, nil
			continue
		}
		r.Parsed++
		r.Transactions += len(b.Transactions())
		if err := j.judge(pos, b); err != nil {
			r.Problems = append(r.Problems, err.Error())
		}
		j.prev, j.prevFast = b, nil
	}
	return true
}

// judgeFast judges a block read the fast way, whose own hash and work are
// right: when the entry before was one too, by comparing index and hashes,
// else (or when they do not link, to word why) in full.
func (j *dumpJudge) judgeFast(f *blockchain.WireFacts, text []byte) {
	r := j.report
	r.Parsed++
	r.Transactions += f.Transactions
	linked := j.prevFast != nil && f.Index == j.prevFast.Index+1 &&
		len(f.PreviousHash) == 66 && string(f.PreviousHash[1:65]) == hex.EncodeToString(j.prevFast.Hash[:])
	if !linked && (j.prevFast != nil || j.prev != nil) {
		b, err := blockchain.ParseBlock(text)
		if err == nil {
			err = j.judge(r.Blocks-1, b)
		}
		if err != nil {
			r.Problems = append(r.Problems, err.Error())
		}
	}
	j.prev, j.prevFast, j.prevText = nil, f, text
}

// judge judges the block at position pos after the entry before it; after
// an entry that is no block, on its own (its claimed hash, its work).
func (j *dumpJudge) judge(pos int, b *blockchain.Block) error {
	if j.prevFast != nil {
		// The entry before was read the fast way: read it in full.
		prev, err := blockchain.ParseBlock(j.prevText)
		if err != nil {
			return err
		}
		j.prev, j.prevFast = prev, nil
	}
	switch _, claims := b.ClaimedHash(); {
	case pos == 0:
		return blockchain.Judge(nil, b, j.difficulty)
	case j.prev != nil:
		return blockchain.Judge(j.prev, b, j.difficulty)
	case !claims:
		return &blockchain.MalformedBlockError{Index: b.Index(), Why: `missing field "hash"`}
	default:
		return blockchain.CheckBlock(b, j.difficulty)
	}
}

// finish completes the report once the chain list is read: the fields
// around it must be JSON Python reads, and "length" is compared.
func (j *dumpJudge) finish(sc *blockchain.DumpScanner, scanErr error) (*dumpReport, error) {
	var de *blockchain.DumpError
	switch {
	case j.notAChain != "":
	case errors.As(scanErr, &de):
		j.notAChain = de.Error()
	case scanErr != nil:
		return nil, scanErr
	case j.report.Blocks == 0:
		j.notAChain = "the chain is empty: it must start with the genesis block"
	}
	var length any
	for _, name := range sc.FieldNames() {
		v, err := blockchain.DecodePython(sc.Field(name))
		if err != nil && j.notAChain == "" {
			j.notAChain = fmt.Sprintf("Python cannot read the text: %q: %v", name, err)
		}
		if name == "length" {
			length = v
		}
	}
	if j.notAChain != "" {
		return &dumpReport{Problems: []string{"not a chain dump: " + j.notAChain}}, nil
	}
	if j.prevFast != nil { // the tip, read the fast way
		j.report.Tip, _ = blockchain.ParseBlock(j.prevText)
	} else {
		j.report.Tip = j.prev
	}
	if length != nil && !lengthAgrees(length, j.report.Blocks) {
		j.report.Warnings = append(j.report.Warnings, fmt.Sprintf(`warning: "length" %s does not match the %d blocks in "chain" (it plays no part in validity)`, describeJSON(length), j.report.Blocks))
	}
	return j.report, nil
}

// lengthAgrees reports whether a "length" value equals n under Python's
// equality (3.0 and 3 agree, True is 1).
func lengthAgrees(v any, n int) bool {
	switch x := v.(type) {
	case blockchain.Int:
		i, ok := x.Int64()
		return ok && i == int64(n)
	case float64:
		return x == float64(n)
	case bool:
		return x == (n == 1) && (n == 0 || n == 1)
	}
	return false
}
