package ui

import (
	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLabHosted opens the lab on the selected block with t, checks that
// keys go to it (not to the screen's shortcuts) and that leaving it shows
// the screen again with the chain untouched.
func TestScreenHostsLab(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 2)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
	tip := h.chain.Tip().Hash()
	h.keys("j", "t")
	if !h.m.modes.has(modeLab) {
		t.Fatal("t did not open the lab")
	}
	h.mustContain("Tamper lab")
	target := h.m.mining.target
	h.keys("n", "m", "+")
	if (h.m.modes.top() == modeForm) || h.m.mining.state != mineIdle {
		t.Error("keys in the lab reached the screen's shortcuts")
	}
	if h.m.mining.target != target {
		t.Error("+ in the lab changed the screen's target")
	}
	h.keys("esc")
	h.until("lab closed", func(m Model) bool { return !m.modes.has(modeLab) })
	h.mustContain("Pending", "Chain", "Mining", "left the tamper lab")
	if h.chain.Tip().Hash() != tip || h.chain.Len() != 3 {
		t.Error("the lab changed the real chain")
	}
	h.miner.none(t)
}

func TestScreenOpensLabAtStart(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Lab = true })
	if !h.m.modes.has(modeLab) {
		t.Fatal("Options.Lab did not open the lab")
	}
	h.mustContain("Tamper lab")
	h.keys("ctrl+c")
	h.until("ctrl+c quits from the lab", func(Model) bool { return h.quit })
}

// TestScreenSizesTheLab: the window size reaches the lab, opened before
// the first size is known, so that it fits the window.
func TestScreenSizesTheLab(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Lab = true })
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	lines := strings.Split(h.view(), "\n")
	if len(lines) > 24 {
		t.Errorf("the lab draws %d lines in a 24-line window", len(lines))
	}
	for i, l := range lines {
		if w := common.Width(l); w > 80 {
			t.Errorf("line %d is %d wide in an 80-column window", i, w)
		}
	}
}

// TestInspectorOpensLab: t in the block inspector opens the lab on the
// inspected block, and leaving the lab returns to the inspector.
func TestInspectorOpensLab(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 3)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 4 })
	h.keys("j", "enter")
	if !h.m.modes.has(modeInspect) {
		t.Fatal("enter did not open the inspector")
	}
	inspected := h.m.insp.block.Index()
	h.mustContain("t tamper")
	h.keys("t")
	if !h.m.modes.has(modeLab) {
		t.Fatal("t in the inspector did not open the lab")
	}
	h.mustContain("Tamper lab", "Block #"+strconv.FormatInt(inspected, 10)+" · t to tamper")
	h.keys("esc")
	h.until("lab closed", func(m Model) bool { return !m.modes.has(modeLab) })
	if !h.m.modes.has(modeInspect) {
		t.Error("leaving the lab did not return to the inspector")
	}
}

// TestLabLessonHasTheScreensBlocks: a block mined on the screen is in the
// lab's difficulty lesson, as honest work.
func TestLabLessonHasTheScreensBlocks(t *testing.T) {
	h := newHarness(t, nil)
	s := startMining(t, h)
	b, err := blockchain.Mine(h.ctx, s.template, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.emit(miner.Found{Block: b, Attempts: 321, Elapsed: 480 * time.Millisecond})
	s.emit(miner.Done{Attempts: 321, Found: true})
	h.until("block stored", func(m Model) bool { return m.chainP.length == 2 && m.mining.state == mineIdle })
	h.keys("t", "d")
	h.mustContain("Difficulty lesson", "honest #1", "321", "0.48 s")
}

// TestLabSeesTheHonestChainGrow: while the lab is open, a block added to
// the real chain (auto-mine, a peer) reaches the comparison without a key.
func TestLabSeesTheHonestChainGrow(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 2)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
	h.keys("t")
	h.mustContain("(3 blocks against 3)")
	mineChain(t, h.chain, 1)
	h.until("comparison follows the chain", func(m Model) bool { return strings.Contains(m.View(), "(3 blocks against 4)") })
}

// TestCloseStopsTheLabsSearch: the lab's re-mining joins the screen's
// searches and its context, so Close stops a search the lab left running,
// and the end of the screen's context ends it.
func TestCloseStopsTheLabsSearch(t *testing.T) {
	for _, how := range []string{"Close", "context"} {
		t.Run(how, func(t *testing.T) {
			h := newHarness(t, nil)
			mineChain(t, h.chain, 2)
			h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
			h.keys("t", "r")
			s := h.nextSearch()
			if !h.m.lab.Running() {
				t.Fatal("r in the lab started no run")
			}
			switch how {
			case "Close":
				h.m.Close()
				if !s.isStopped() {
					t.Error("Close left the lab's search running")
				}
			case "context":
				h.cancel()
				if s.ctx.Err() == nil {
					t.Error("the lab's search outlives the screen's context")
				}
			}
		})
	}
}
