package lab

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"blockscope/blockchain"
)

// TestLabNamesRRemine checks that r has one name, re-mine, in the help bar
// and the mining box's hint, whether the sandbox is untouched, invalid or
// valid again.
func TestLabNamesRRemine(t *testing.T) {
	clock := &testClock{now: labEpoch}
	l := newTestLab(t, demoChain(t), 1, &fakeMiner{t: t}, clock)
	states := map[string]string{"untouched": ansi.Strip(l.View())}
	l = tamper(t, l, 1, "pay mallory 1000")
	l, _ = press(t, l, keyEnter)
	states["invalid"] = ansi.Strip(l.View())
	l, _ = press(t, l, keyRunes("r"))
	states["valid again"] = ansi.Strip(l.View())
	for name, view := range states {
		if !strings.Contains(view, "r re-mine ·") {
			t.Errorf("%s: the help bar does not name r re-mine:\n%s", name, view)
		}
		if !strings.Contains(view, "r re-mines") && !strings.Contains(view, "re-mined") {
			t.Errorf("%s: the mining box does not say what r re-mines:\n%s", name, view)
		}
		if strings.Contains(view, "forge ahead") || strings.Contains(view, "r forges") {
			t.Errorf("%s: r has a second name:\n%s", name, view)
		}
	}
}

// TestForkVerdictSaysItOnce checks that the reason given after "a peer
// keeps ✓ the honest chain:" (or the forged one) does not name the winner
// again.
func TestForkVerdictSaysItOnce(t *testing.T) {
	for _, fc := range []blockchain.ForkComparison{
		{Verdict: blockchain.ForkInvalid, FirstInvalid: 1, SandboxLen: 4, RealLen: 4},
		{Verdict: blockchain.ForkNotLonger, FirstInvalid: -1, SandboxLen: 4, RealLen: 5},
		{Verdict: blockchain.ForkAdopted, FirstInvalid: -1, SandboxLen: 6, RealLen: 5},
	} {
		why := forkWhy(fc)
		for _, again := range []string{"peers keep", "would adopt", "honest chain", ": "} {
			if strings.Contains(why, again) {
				t.Errorf("verdict %v: the reason %q says %q again", fc.Verdict, why, again)
			}
		}
	}
}

// TestLabHeaderNotCut checks that the lab's top line keeps its start and
// says it works on a copy without cutting a word, at the sizes a newcomer
// tried.
func TestLabHeaderNotCut(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {110, 34}, {200, 50}} {
		l := newTestLab(t, demoChain(t), 1, nil, &testClock{now: labEpoch}).SetSize(size[0], size[1])
		header := strings.SplitN(ansi.Strip(l.View()), "\n", 2)[0]
		if !strings.HasPrefix(header, " Tamper lab · 4 blocks") || !strings.Contains(header, "a copy") || strings.Contains(header, "…") {
			t.Errorf("%dx%d: header %q", size[0], size[1], header)
		}
	}
}

// TestLabNarrowLinesKeepMeaning: on a narrow screen the header, the line
// of a run and the key bar take shorter wordings rather than be cut, and
// the key bar keeps esc leave and q quit while a search runs.
func TestLabNarrowLinesKeepMeaning(t *testing.T) {
	for _, w := range []int{80, 100, 200} {
		l := New(newBenchChain(t, 350), 1, Options{Styles: asciiStyles(), Width: w, Height: 24})
		l.difficulty = 6
		l.run = remineRun{active: true, extending: true, index: 350, nonce: 9_413_040, attempts: 9_489_480}
		for name, line := range map[string]string{
			"header":  l.headerView(w),
			"run":     l.runLine(w - 4),
			"key bar": l.helpView(w),
		} {
			if strings.Contains(line, "…") {
				t.Errorf("%d columns: the %s is cut: %q", w, name, line)
			}
		}
		if run := l.runLine(w - 4); !strings.Contains(run, "attempts 9,489,480 of ~16.8 M") || !strings.Contains(run, "#350") {
			t.Errorf("%d columns: the run line lost the block or the attempts: %q", w, run)
		}
		if bar := l.helpView(w); !strings.Contains(bar, "esc leave · q quit") || !strings.Contains(bar, "s stop") {
			t.Errorf("%d columns: the key bar lost a key: %q", w, bar)
		}
	}
}
