package ui

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// mineState is where the mining pane's search is in its life.
type mineState int

const (
	mineIdle     mineState = iota // no search
	mineStarting                  // a template is being built and the search started
	mineRunning                   // the search runs; Progress arrives
	mineStoring                   // a block was found and is being stored
)

// rateWindow is how many one-second rate samples the sparkline keeps.
const rateWindow = 60

// maxTrailShown bounds the attempts a paced search lists.
const maxTrailShown = 16

// spinnerFrames are bubbles' spinner.Dot frames (a glyph and a space),
// turned once per progress event rather than by the spinner's timer, so
// the spinner shows the search is alive without a timer of its own.
var spinnerFrames = spinner.Dot.Frames

// miningPane shows the nonce search: the settings when idle; live, the block
// being mined, the nonce ticking, the candidate and best hashes, the rate
// with a sparkline of the last minute, and the honest odds of having found a
// block by now.
type miningPane struct {
	// Settings the keys change.
	target  int        // leading zero hex digits searched for
	pace    miner.Pace // attempts per second, or step
	auto    bool       // mine whenever something is pending
	workers int        // goroutines hashing in an unlimited search (never 0)

	state    mineState
	index    int64 // the height being mined
	txs      int   // transactions in the template
	searched int   // the target of the running search
	progress miner.Progress
	seen     bool // progress has arrived for this search
	ticks    int  // progress events seen in all, for the spinner

	trail []miner.Attempt // the latest attempts of a paced search, oldest first

	rates   []float64 // one sample per second of search time, oldest first
	rateSec int64     // the search second of the latest sample; -1 for none

	width, height int
}

// SetSize fits the pane to width×height cells.
func (p miningPane) SetSize(width, height int) miningPane {
	p.width, p.height = width, height
	return p
}

// Started records a search for block index with txs transactions.
func (p miningPane) Started(index int64, txs int) miningPane {
	p.state, p.index, p.txs, p.searched = mineRunning, index, txs, p.target
	p.progress, p.seen, p.rateSec, p.trail = miner.Progress{}, false, -1, nil
	// The sparkline is this search's: a paced search after a fast one
	// would otherwise draw flat bars on the fast one's scale.
	p.rates = nil
	return p
}

// Update takes the search's Progress events.
func (p miningPane) Update(msg tea.Msg) (miningPane, tea.Cmd) {
	if pr, ok := msg.(miner.Progress); ok {
		p.progress, p.seen = pr, true
		p.ticks++
		if len(pr.Trail) > 0 {
			// Each Progress carries the attempts since the one before.
			p.trail = append(p.trail, pr.Trail...)
			if len(p.trail) > maxTrailShown {
				p.trail = append(p.trail[:0:0], p.trail[len(p.trail)-maxTrailShown:]...)
			}
		}
		if sec := int64(pr.Elapsed / time.Second); sec != p.rateSec {
			p.rateSec = sec
			p.rates = append(p.rates, pr.Rate)
			if len(p.rates) > rateWindow {
				p.rates = append(p.rates[:0:0], p.rates[len(p.rates)-rateWindow:]...)
			}
		}
	}
	return p, nil
}

// Title is the pane's title: what is being mined and how.
func (p miningPane) Title() string {
	switch p.state {
	case mineRunning, mineStoring:
		return p.runningTitle()
	case mineStarting:
		return "3 Mining · starting"
	}
	return "3 Mining · idle"
}

// runningTitle is the title of a search in the longest wording that fits
// the frame: a narrow pane loses the kernel, the workers, then the
// difficulty's zeros, and keeps the pace whole.
func (p miningPane) runningTitle() string {
	block := "3 Mining block #" + strconv.FormatInt(p.index, 10)
	zeros := " · difficulty " + strings.Repeat("0", p.searched) + " (" + strconv.Itoa(p.searched) + ")"
	workers := " · " + common.Plural(int64(p.searchWorkers()), "worker")
	pace := " · pace " + p.pace.String()
	for _, t := range []string{
		block + zeros + workers + pace + kernelNote(p.progress.Kernel),
		block + zeros + workers + pace,
		block + zeros + pace,
		block + " · difficulty " + strconv.Itoa(p.searched) + pace,
	} {
		if common.Width(t) <= p.width-8 {
			return t
		}
	}
	return block + pace
}

// kernelNote names the miner's hashing kernel in the title once the search
// has reported it.
func kernelNote(kernel string) string {
	if kernel == "" {
		return ""
	}
	return " · " + kernel
}

// View draws the pane in its box; pending is the size of the pool, for the
// idle screen.
func (p miningPane) View(st common.Styles, focused bool, pending int) string {
	width, height := p.width, p.height
	var lines []string
	switch p.state {
	case mineIdle:
		lines = p.idleLines(st, pending)
	case mineStarting:
		lines = []string{st.Dim.Render(" building the template and starting the search…")}
	default:
		lines = p.liveLines(st, width-2, height-2)
	}
	return st.Frame(p.Title(), lines, width, height, focused)
}

// searchWorkers is how many goroutines the running search hashes on: a
// paced search runs one.
func (p miningPane) searchWorkers() int {
	if p.progress.Workers > 0 {
		return p.progress.Workers
	}
	if p.pace != miner.Unlimited {
		return 1
	}
	return p.workers
}

func (p miningPane) idleLines(st common.Styles, pending int) []string {
	auto := "auto-mine off"
	if p.auto {
		auto = "auto-mine on: mining starts when a transaction arrives"
	}
	first := " idle · " + common.GroupDigits(int64(pending)) + " pending · difficulty " + strings.Repeat("0", p.target) + " (" + strconv.Itoa(p.target) + ") · pace " + p.pace.String() + " · " + auto
	hint := " " + st.Key.Render("m") + st.Dim.Render(" mines the pending transactions · ") +
		st.Key.Render("a") + st.Dim.Render(" auto-mine · ") + st.Key.Render("+/-") + st.Dim.Render(" difficulty · ") +
		st.Key.Render("p") + st.Dim.Render(" pace")
	if pending == 0 {
		hint = " " + st.Dim.Render("nothing to mine: ") + st.Key.Render("n") + st.Dim.Render(" adds a transaction")
	}
	odds := st.Dim.Render(" a block at difficulty " + strconv.Itoa(p.target) + " takes ~" + common.SICount(common.ExpectedAttempts(p.target)) + " attempts on average (16^" + strconv.Itoa(p.target) + ")")
	return []string{first, hint, odds}
}

func (p miningPane) liveLines(st common.Styles, inner, rows int) []string {
	pr := p.progress
	d := p.searched
	if p.state == mineStoring {
		return []string{
			st.Good.Render(" ✓ found") + " block #" + strconv.FormatInt(p.index, 10) + " after " + common.Plural(int64(pr.Attempts), "attempt") + " · storing it…",
		}
	}
	spin := spinnerFrames[p.ticks%len(spinnerFrames)]
	if !p.seen {
		return []string{" " + spin + "searching block #" + strconv.FormatInt(p.index, 10) + " (" + common.Plural(int64(p.txs), "transaction") + ")…", p.stepHint(st)}
	}
	attempts := int64(pr.Attempts)
	line1 := " " + spin + p.nonceLine(st)
	line2 := p.rateLine(st, inner)
	expected := common.ExpectedAttempts(d)

	chance := common.ChanceFound(d, attempts)
	head := " chance found by now " + common.Percent(chance) + "  ["
	work := "] " + strconv.Itoa(int(float64(attempts)/expected*100+0.5)) + "% of expected work"
	// The bar takes the room the words leave; the caveat goes first when
	// there is none, but never the numbers.
	tail := " · each try is a fresh lottery, not progress"
	barW := inner - len(head) - len(work) - len(tail)
	if barW < 10 {
		tail = " · not progress"
		barW = inner - len(head) - len(work) - len(tail)
	}
	if barW < 10 {
		tail = ""
		barW = inner - len(head) - len(work)
	}
	barW = max(6, min(30, barW))
	filled, empty := common.WorkBar(float64(attempts)/expected, barW)
	line3 := head + st.Bar.Render(filled) + empty + work + st.Dim.Render(tail)

	lines := []string{line1, line2, line3}
	// Slow paces have room to show each attempt: the nonce and its hash.
	if p.pace != miner.Unlimited {
		for i := len(p.trail) - 1; i >= 0 && len(lines) < rows; i-- {
			a := p.trail[i]
			h := hex.EncodeToString(a.Hash[:])
			z := blockchain.LeadingZeros(h)
			lines = append(lines, st.Dim.Render("   tried nonce ")+common.PadLeft(common.GroupDigits(a.Nonce), 9)+st.Dim.Render(" → ")+st.HashCell(h, z, 24)+st.Dim.Render(" "+strconv.Itoa(z)+" of "+strconv.Itoa(d)+" zeros"))
		}
	}
	return lines
}

func (p miningPane) stepHint(st common.Styles) string {
	if p.pace != miner.Step {
		return ""
	}
	return " " + st.Key.Render("space") + st.Dim.Render(" tries one nonce · ") + st.Key.Render("p") + st.Dim.Render(" changes the pace")
}

// nonceLine is the nonce being tried, its hash and the best hash so far.
// Before the first attempt there is none of them to show: a nonce of -1
// and a hash of zeros would look like news.
func (p miningPane) nonceLine(st common.Styles) string {
	pr, d := p.progress, p.searched
	if pr.Nonce < 0 {
		return "nonce —   candidate —   best —" + st.Dim.Render("   (the first attempt is under way)")
	}
	cand := hex.EncodeToString(pr.Candidate[:])
	line := "nonce " + common.GroupDigits(pr.Nonce) + "   candidate " + st.HashCell(cand, blockchain.LeadingZeros(cand), 11)
	if pr.BestNonce < 0 {
		return line + "   best —"
	}
	best := hex.EncodeToString(pr.Best[:])
	return line + "   best " + st.HashCell(best, pr.BestZeros, 11) + " (" + strconv.Itoa(pr.BestZeros) + " of " + strconv.Itoa(d) + " zeros)"
}

// minSpark is the least room the rate line leaves its sparkline before it
// words itself more briefly.
const minSpark = 8

// rateLine is the pane's second line: the rate with this search's
// sparkline, the time a block takes on average at that rate, and the time
// and attempts of this search. The words come in shorter forms for
// narrower panes and the sparkline takes the room they leave, so that no
// number is ever cut.
func (p miningPane) rateLine(st common.Styles, inner int) string {
	pr, d := p.progress, p.searched
	expected := common.SICount(common.ExpectedAttempts(d))
	done := common.SICount(float64(pr.Attempts))
	elapsed := "elapsed " + common.Seconds(pr.Elapsed)
	speed, eta := common.HashRate(pr.Rate), ""
	if pr.Rate > 0 {
		eta = "~" + aboutDuration(common.ExpectedAttempts(d)/pr.Rate) + " a block"
	}
	if p.pace == miner.Step {
		// A rate means nothing when a person sets it; say what to press.
		speed, eta = st.Key.Render("space")+" tries one nonce", ""
	}
	tiers := [][]string{
		{eta + " at this rate", elapsed, "attempts this search " + done + " of ~" + expected + " expected"},
		{eta, elapsed, "attempts " + done + " of ~" + expected + " expected"},
		{eta, elapsed, "attempts " + done + " of ~" + expected},
	}
	var words string
	room := 0
	for _, tier := range tiers {
		if eta == "" {
			tier = tier[1:]
		}
		words = strings.Join(tier, "   ")
		room = inner - 1 - common.Width(speed) - 1 - 3 - common.Width(words)
		if room >= min(minSpark, len(p.rates)) {
			break
		}
	}
	spark := ""
	if p.pace != miner.Step && room > 0 && len(p.rates) > 0 {
		spark = " " + st.Spark.Render(common.Sparkline(p.rates[max(0, len(p.rates)-room):]))
	}
	return " " + speed + spark + "   " + words
}

// aboutDuration writes an expected time of sec seconds, from a fraction
// of a second to the years a high target takes: "0.18 s", "23 min",
// "5 h", "3 days", "41 years".
func aboutDuration(sec float64) string {
	const day, year = 86400.0, 365.25 * 86400
	switch {
	case sec < 600:
		return common.Seconds(time.Duration(sec * float64(time.Second)))
	case sec < 3*3600:
		return strconv.FormatFloat(sec/60, 'f', 0, 64) + " min"
	case sec < 2*day:
		return strconv.FormatFloat(sec/3600, 'f', 0, 64) + " h"
	case sec < 2*year:
		return strconv.FormatFloat(sec/day, 'f', 0, 64) + " days"
	}
	return common.SICount(sec/year) + " years"
}
