// Package lab is the tamper lab: a sandbox copy of the chain in which a
// person edits a block, watches it and every later block turn invalid,
// re-mines them, and compares the forged fork with the honest chain under
// the longest-chain rule. The screen (package ui) hosts it full-screen; it
// only reads the real chain (Chain), and its searches join the screen's
// SearchSet and context so that the screen's Close stops them.
package lab

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// Chain is what the tamper lab may see of the real chain: reading only.
// The lab is handed no way to add, replace or store a block, so its
// sandbox can never reach the store or a peer. *blockchain.Chain
// satisfies it.
type Chain interface {
	Len() int
	Range(from, to int64) ([]*blockchain.Block, error)
	Difficulty() int
}

// refreshBlocks returns the real chain's blocks, reading only what was
// added since prev when prev's tip is still in the chain.
func refreshBlocks(real Chain, prev []*blockchain.Block) []*blockchain.Block {
	n := real.Len()
	if k := len(prev); k > 0 && n >= k {
		added, err := real.Range(int64(k-1), int64(n))
		if err == nil && len(added) > 0 && added[0].Hash() == prev[k-1].Hash() {
			if n == k {
				return prev
			}
			return append(prev[:k:k], added[1:]...)
		}
	}
	blocks, err := real.Range(0, int64(n))
	if err != nil {
		return prev
	}
	return blocks
}

// Options configure the tamper lab.
type Options struct {
	// Miner runs the searches of re-mining; nil means common.DefaultMiner.
	Miner common.Miner
	// Context ends every search the lab starts; nil means
	// context.Background.
	Context context.Context
	// Searches is the set the lab's searches join while they run, so that
	// whoever owns the set stops them on the way out (the screen's Close);
	// nil means a set of the lab's own.
	Searches *common.SearchSet
	// Difficulty is the re-mining target in leading zero hex digits; it
	// never goes below the chain's floor. Zero means the floor.
	Difficulty int
	// Workers is the number of hashing goroutines; 0 means all cores.
	Workers int
	// Pace is the re-mining pace. The lab has no single-step key, so Step
	// runs at 10 attempts a second.
	Pace miner.Pace
	// Clock stamps forged blocks and times the searches; nil means time.Now.
	Clock func() time.Time
	// Styles are the screen's styles; nil means common.NewStyles(nil).
	Styles *common.Styles
	// Lesson holds the blocks mined so far (on the real chain, say), so the
	// lab's difficulty lesson starts with them; the zero value starts empty.
	Lesson DifficultyLesson
	// Width and Height are the lab's size in cells until the next
	// tea.WindowSizeMsg; zero means 100x30.
	Width, Height int
}

// ClosedMsg is sent when the person leaves the lab; the sandbox has
// been discarded and any re-mining stopped. The parent model closes the lab.
type ClosedMsg struct{}

type mode int

const (
	labBrowse mode = iota
	labEditing
	labConfirmLeave
)

// Model is the tamper lab: a sandbox copy of the chain in which a person edits
// a block, watches it and every later block turn invalid, re-mines them,
// and compares the forged fork with the honest chain under the
// longest-chain rule. Model is a Bubble Tea component with value semantics
// (Update returns the new Model); it must be used from one goroutine (the
// Bubble Tea loop). Its searches run in their own goroutines and report
// through commands that Update re-arms.
type Model struct {
	real       Chain
	realBlocks []*blockchain.Block // snapshot, refreshed on every Update
	sandbox    *blockchain.Sandbox
	original   []string // the real hashes at the lab's opening, by height
	remined    map[int64]bool
	floor      int
	difficulty int

	// Verdicts, recomputed only when the sandbox or the real chain changes:
	// each is a pass over the whole chain, too slow for every frame of a
	// long one.
	checks       []blockchain.BlockCheck
	firstInvalid int64
	fork         blockchain.ForkComparison
	forkKey      [3]int64 // first invalid, sandbox and real lengths of fork

	miner    common.Miner
	ctx      context.Context
	searches *common.SearchSet
	cfg      miner.Config // Workers and Pace; Difficulty is set per search
	clock    func() time.Time
	styles   common.Styles
	keys     keyMap
	width    int
	height   int

	mode       mode
	selected   int64
	editor     labEditor
	run        remineRun
	lesson     DifficultyLesson
	showLesson bool
	status     string
	closed     bool
	quitting   bool // the leave question was asked by q: yes quits the program
}

// New opens the lab on a sandbox copy of real's blocks, with block at
// selected.
func New(real Chain, at int64, opts Options) Model {
	blocks := refreshBlocks(real, nil)
	floor := real.Difficulty()
	l := Model{
		real:       real,
		realBlocks: blocks,
		sandbox:    blockchain.NewSandbox(blocks, floor),
		remined:    map[int64]bool{},
		floor:      floor,
		difficulty: max(opts.Difficulty, floor),
		miner:      opts.Miner,
		ctx:        opts.Context,
		searches:   opts.Searches,
		cfg:        miner.Config{Workers: opts.Workers, Pace: opts.Pace},
		clock:      opts.Clock,
		keys:       newKeyMap(),
		width:      opts.Width,
		height:     opts.Height,
		lesson:     opts.Lesson,
	}
	l.lesson.floor = floor
	if l.clock == nil {
		l.clock = time.Now
	}
	if l.miner == nil {
		l.miner = common.DefaultMiner
	}
	if l.ctx == nil {
		l.ctx = context.Background()
	}
	if l.searches == nil {
		l.searches = common.NewSearchSet()
	}
	if l.cfg.Pace == miner.Step {
		l.cfg.Pace = 10
	}
	if opts.Styles != nil {
		l.styles = *opts.Styles
	} else {
		l.styles = common.NewStyles(nil)
	}
	if l.width <= 0 {
		l.width = 100
	}
	if l.height <= 0 {
		l.height = 30
	}
	l.original = make([]string, len(blocks))
	for i, b := range blocks {
		l.original[i] = b.Hash()
	}
	l.selected = max(0, min(at, int64(len(blocks)-1)))
	l.checks = l.sandbox.Checks()
	l.recheck(int64(len(blocks)))
	return l
}

// recheck recomputes the verdicts after the sandbox changed at heights from
// and above.
func (l *Model) recheck(from int64) {
	l.checks = l.sandbox.ChecksFrom(l.checks, from)
	l.firstInvalid = -1
	for i, c := range l.checks {
		if c.Err != nil {
			l.firstInvalid = int64(i)
			break
		}
	}
	l.compare()
}

// compare judges the fork against the real chain's current snapshot. The
// verdict depends only on the sandbox's validity and the two lengths, so it
// is judged again only when one of them changed.
func (l *Model) compare() {
	key := [3]int64{l.firstInvalid, int64(l.sandbox.Len()), int64(len(l.realBlocks))}
	if key == l.forkKey && l.fork.Verdict != 0 {
		return
	}
	l.fork = l.sandbox.Compare(l.realBlocks, l.firstInvalid)
	l.forkKey = key
}

// SetSize fits the lab to a window of width×height cells.
func (l Model) SetSize(width, height int) Model {
	l.width, l.height = width, height
	common.SetInputWidth(&l.editor.input, l.fieldWidth())
	return l
}

// fieldWidth is the width of the editor's focused field: half the line,
// which leaves room for the other field of the line.
func (l Model) fieldWidth() int { return max(12, (l.width-4)/2) }

// Init implements the Bubble Tea component convention; the lab starts idle.
func (l Model) Init() tea.Cmd { return nil }

// Dirty reports whether leaving would discard edits or re-mining.
func (l Model) Dirty() bool { return l.sandbox.Dirty() }

// Running reports whether a re-mining search is under way.
func (l Model) Running() bool { return l.run.active }

// Lesson returns the difficulty lesson of the blocks the lab has mined.
func (l Model) Lesson() DifficultyLesson { return l.lesson }

// Close stops any search and discards the sandbox. The parent calls it when
// the program quits with the lab open; leaving with esc does it already.
func (l Model) Close() Model {
	l.stopSearch()
	l.closed = true
	return l
}

// Update handles keys, window sizes and the search's events.
func (l Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	// The honest chain may grow at any time (auto-mine keeps running), so
	// every message refreshes the snapshot the comparison is drawn from.
	l.realBlocks = refreshBlocks(l.real, l.realBlocks)
	l.compare()
	if l.closed {
		return l, nil
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return l.SetSize(msg.Width, msg.Height), nil
	case searchMsg:
		return l.searchEvent(msg)
	case tea.MouseMsg:
		return l.mouse(msg), nil
	case tea.KeyMsg:
		switch l.mode {
		case labEditing:
			return l.editKey(msg)
		case labConfirmLeave:
			return l.confirmKey(msg)
		}
		return l.browseKey(msg)
	}
	if l.mode == labEditing {
		// The input's own messages: a paste from the clipboard (ctrl+v).
		return l.edit(msg)
	}
	return l, nil
}

func (l Model) browseKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := l.keys
	rows, _ := l.chainRows()
	if mv, ok := k.Movement(msg, rows); ok {
		l.selected = int64(mv.Apply(int(l.selected), l.sandbox.Len()))
		return l, nil
	}
	switch {
	case key.Matches(msg, k.Tamper):
		return l.beginEdit()
	case key.Matches(msg, k.Remine):
		if l.run.active {
			return l, nil
		}
		return l.startRun()
	case key.Matches(msg, k.Stop):
		if l.run.active {
			l.stopSearch()
			l.run.message = fmt.Sprintf("stopped: block #%d unfinished after %s", l.run.index, common.Plural(int64(l.run.attempts), "attempt"))
		}
	case key.Matches(msg, k.Harder):
		if l.difficulty < blockchain.MaxDifficulty {
			l.difficulty++
		}
		l.status = fmt.Sprintf("re-mining at difficulty %d: about %s attempts a block", l.difficulty, common.SICount(common.ExpectedAttempts(l.difficulty)))
	case key.Matches(msg, k.Easier):
		if l.difficulty > l.floor {
			l.difficulty--
			l.status = fmt.Sprintf("re-mining at difficulty %d: about %s attempts a block", l.difficulty, common.SICount(common.ExpectedAttempts(l.difficulty)))
		} else {
			l.status = fmt.Sprintf("difficulty %d is the chain's floor: blocks with fewer zeros are invalid", l.floor)
		}
	case key.Matches(msg, k.Lesson):
		l.showLesson = !l.showLesson
	case key.Matches(msg, k.Leave), key.Matches(msg, k.Quit):
		l.quitting = key.Matches(msg, k.Quit)
		if l.sandbox.Dirty() {
			l.mode = labConfirmLeave
			return l, nil
		}
		return l.leave()
	}
	return l, nil
}

func (l Model) confirmKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, l.keys.Confirm):
		return l.leave()
	case key.Matches(msg, l.keys.Cancel):
		l.mode, l.quitting = labBrowse, false
	}
	return l, nil
}

// leave discards the sandbox and closes the lab, or quits the program when
// q asked.
func (l Model) leave() (Model, tea.Cmd) {
	l = l.Close()
	if l.quitting {
		return l, tea.Quit
	}
	return l, func() tea.Msg { return ClosedMsg{} }
}

func (l Model) beginEdit() (Model, tea.Cmd) {
	if l.selected == 0 {
		l.status = blockchain.ErrGenesisImmutable.Error()
		return l, nil
	}
	if l.run.active {
		// Editing makes the search's template stale; the person sees the
		// run stop rather than a block that no longer fits.
		l.stopSearch()
		l.run.message = fmt.Sprintf("re-mining stopped to edit block #%d", l.selected)
	}
	l.editor = newLabEditor(l.sandbox.Block(l.selected), l.styles)
	common.SetInputWidth(&l.editor.input, l.fieldWidth())
	l.mode = labEditing
	l.status = ""
	return l, nil
}

func (l Model) editKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := l.keys
	switch {
	case key.Matches(msg, k.EditDone):
		l.mode = labBrowse
		return l, nil
	case key.Matches(msg, k.EditNext):
		l.editor.setFocus(l.editor.focus + 1)
		return l, nil
	case key.Matches(msg, k.EditPrev):
		l.editor.setFocus(l.editor.focus - 1)
		return l, nil
	}
	return l.edit(msg)
}

// edit passes msg to the focused field and applies the edit to the sandbox
// when the text changed and is well formed.
func (l Model) edit(msg tea.Msg) (Model, tea.Cmd) {
	changed, cmd := l.editor.update(msg)
	if !changed {
		return l, cmd
	}
	txs, ts, nonce, err := l.editor.block()
	if err != nil {
		l.editor.err = err.Error()
		return l, cmd
	}
	l.editor.err = ""
	// Hashing one block takes microseconds, so the edit is applied on the
	// keystroke and the verdicts below follow the typing.
	if err := l.sandbox.Edit(l.editor.index, txs, ts, nonce); err != nil {
		l.editor.err = err.Error()
		return l, cmd
	}
	l.recheck(l.editor.index)
	delete(l.remined, l.editor.index)
	return l, cmd
}
