package ui

import (
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"blockscope/blockchain"
)

// fakeCheck stands for the start-up check of a long stored chain: the
// screen reads it as it would read the chain's CheckProgress.
type fakeCheck struct {
	p atomic.Pointer[blockchain.CheckProgress]
}

func (f *fakeCheck) set(p blockchain.CheckProgress) { f.p.Store(&p) }
func (f *fakeCheck) read() blockchain.CheckProgress { return *f.p.Load() }

// withCheck makes the model read the check's progress from f, as if its
// chain were being checked when the screen started.
func withCheck(f *fakeCheck) func(Model) Model {
	return func(m Model) Model {
		m.progress = progressState{read: f.read, check: f.read(), armed: true}
		return m
	}
}

// TestGoldenCheckProgress: while the stored chain is checked in the
// background, the header says how far the check has come, read on the
// progress tick.
func TestGoldenCheckProgress(t *testing.T) {
	var f fakeCheck
	f.set(blockchain.CheckProgress{Checked: 4096, Total: 1_000_000})
	g := startGoldenModel(t, 100, 30, nil, withCheck(&f))
	g.waitScreen(t, "checking 4,096/1,000,000")
	f.set(blockchain.CheckProgress{Checked: 412_000, Total: 1_000_000})
	g.waitScreen(t, "checking 412,000/1,000,000")
	g.finish(t)
}

// TestGoldenCheckDamage: damage the check found is the first thing the
// header says, with the block's height, and the chain's length is the part
// below it.
func TestGoldenCheckDamage(t *testing.T) {
	var f fakeCheck
	f.set(blockchain.CheckProgress{Checked: 412_000, Total: 1_000_000})
	g := startGoldenModel(t, 100, 30, nil, withCheck(&f))
	g.waitScreen(t, "checking 412,000")
	damage := &blockchain.DamagedStoreError{Err: &blockchain.MalformedBlockError{Index: 412_345, Why: "its hash does not match its contents"}}
	f.set(blockchain.CheckProgress{Checked: 412_345, Total: 1_000_000, Done: true, Err: damage})
	g.waitScreen(t, "store damaged at block 412,345")
	g.finish(t)
}

// TestProgressTickStops: the progress tick re-arms itself only while
// something is under way, and one tick at a time.
func TestProgressTickStops(t *testing.T) {
	var f fakeCheck
	f.set(blockchain.CheckProgress{Checked: 1, Total: 10})
	m := withCheck(&f)(newHarness(t, nil).m)
	next, cmd := m.Update(progressTickMsg{})
	m = next.(Model)
	if cmd == nil || !m.progress.armed {
		t.Fatal("the tick stopped while the check runs")
	}
	if m, again := m.armProgress(); again != nil || !m.progress.armed {
		t.Fatal("a second tick was started beside the first")
	}
	f.set(blockchain.CheckProgress{Checked: 10, Total: 10, Done: true})
	next, cmd = m.Update(progressTickMsg{})
	if m = next.(Model); cmd != nil || m.progress.armed {
		t.Fatal("the tick went on after the check ended")
	}
	if strings.Contains(m.View(), "checking") {
		t.Fatal("the header still shows the check after it passed")
	}
}

// TestGoldenFilterProgress: a filter over a long chain says how far it has
// searched, read on the progress tick, and esc stops it.
func TestGoldenFilterProgress(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("/")
	m := h.m
	var cancelled atomic.Bool
	search := &filterSearch{total: 1_000_000, cancel: func() { cancelled.Store(true) }}
	m.filter.input.SetValue("alice")
	m.filter.scanning, m.filter.search = true, search
	search.searched.Store(300_000)
	next, _ := m.Update(progressTickMsg{})
	m = next.(Model)
	if !strings.Contains(m.View(), "searching 300,000/1,000,000 … esc cancels") {
		t.Fatalf("no progress on the filter line:\n%s", m.View())
	}
	teatest.RequireEqualOutput(t, []byte(m.View()+"\n"))
	next, _ = m.Update(tea.KeyMsg{Type: tea.KeyEscape})
	m = next.(Model)
	if !cancelled.Load() || m.filter.search != nil || m.filter.scanning {
		t.Fatalf("esc left the search running (cancelled %v)", cancelled.Load())
	}
}
