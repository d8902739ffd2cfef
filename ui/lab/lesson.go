package lab

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"blockscope/ui/common"

	"github.com/charmbracelet/x/ansi"
)

// lessonKeep bounds the blocks a DifficultyLesson remembers.
const lessonKeep = 64

// DifficultyLesson is the "difficulty" lesson: for each block mined, the
// measured attempts against the expected 16^d, and the history of block
// times, so a person sees the work grow 16x per extra zero. It is a value:
// Add returns the new lesson.
type DifficultyLesson struct {
	floor   int
	records []MinedRecord // oldest first, at most lessonKeep
}

// NewDifficultyLesson returns an empty lesson for a chain with floor.
func NewDifficultyLesson(floor int) DifficultyLesson { return DifficultyLesson{floor: floor} }

// Add records a mined block.
func (d DifficultyLesson) Add(r MinedRecord) DifficultyLesson {
	recs := make([]MinedRecord, 0, min(len(d.records)+1, lessonKeep))
	if len(d.records) >= lessonKeep {
		recs = append(recs, d.records[len(d.records)-lessonKeep+1:]...)
	} else {
		recs = append(recs, d.records...)
	}
	d.records = append(recs, r)
	return d
}

// Records returns the blocks recorded, oldest first. The slice must not be
// modified.
func (d DifficultyLesson) Records() []MinedRecord { return d.records }

// lessonRow sums the blocks mined at one difficulty.
type lessonRow struct {
	difficulty int
	blocks     int
	attempts   float64
	time       float64 // seconds
}

// byDifficulty returns one row per difficulty from the floor to one past the
// highest mined, so the next 16x step is always in view.
func (d DifficultyLesson) byDifficulty() []lessonRow {
	top := d.floor + 1
	for _, r := range d.records {
		top = max(top, r.Difficulty+1)
	}
	rows := make([]lessonRow, 0, top-d.floor+1)
	for diff := d.floor; diff <= top; diff++ {
		row := lessonRow{difficulty: diff}
		for _, r := range d.records {
			if r.Difficulty == diff {
				row.blocks++
				row.attempts += float64(r.Attempts)
				row.time += r.Duration.Seconds()
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// Lines renders the lesson as at most height lines of width cells.
func (d DifficultyLesson) Lines(s common.Styles, width, height int) []string {
	out := []string{s.Dim.Render("each extra zero multiplies the expected work by 16 (measured vs expected)")}
	out = append(out, s.Label.Render(fmt.Sprintf("%-10s %14s %7s %15s %10s %12s", "difficulty", "expected 16^d", "blocks", "measured mean", "ratio", "mean time")))
	rows := d.byDifficulty()
	// Keep the rows nearest the top when the difficulty table would crowd
	// out the history: the highest difficulties are the lesson.
	maxRows := max(1, height/2-2)
	if len(rows) > maxRows {
		rows = rows[len(rows)-maxRows:]
	}
	for _, r := range rows {
		exp := common.ExpectedAttempts(r.difficulty)
		measured, ratio, mean := "—", "—", "—"
		if r.blocks > 0 {
			m := r.attempts / float64(r.blocks)
			measured = common.GroupDigits(int64(math.Round(m)))
			ratio = fmt.Sprintf("%.2f×", m/exp)
			mean = common.Seconds(secondsDuration(r.time / float64(r.blocks)))
		}
		out = append(out, fmt.Sprintf("d=%-8d %14s %7d %15s %10s %12s", r.difficulty, common.GroupDigits(int64(exp)), r.blocks, measured, ratio, mean))
	}
	room := height - len(out) - 1
	if len(d.records) == 0 {
		out = append(out, s.Dim.Render("no block mined yet: re-mine (r) at different difficulties (+/-) to fill this in"))
		return clipLines(out, width, height)
	}
	out = append(out, s.Label.Render("attempts per block, oldest first, log scale: each ruler mark is 16x the last"))
	barWidth := max(4, width-lessonBarOffset-6) // room for the last ruler mark
	top := d.floor + 1
	for _, r := range d.records {
		top = max(top, r.Difficulty+1)
	}
	out = append(out, strings.Repeat(" ", lessonBarOffset)+s.Dim.Render(lessonRuler(top, barWidth)))
	recs := d.records
	if room-2 < len(recs) {
		recs = recs[max(0, len(recs)-max(room-2, 0)):]
	}
	for _, r := range recs {
		// log16 of attempts: one zero of difficulty is one unit of the ruler.
		units := math.Log(float64(max(r.Attempts, 1))) / math.Log(16)
		filled, _ := common.WorkBar(units/float64(top), barWidth)
		who := "honest"
		if r.Forged {
			who = "forged"
		}
		out = append(out, fmt.Sprintf(lessonRowFormat, who, r.Index, r.Difficulty, common.GroupDigits(int64(r.Attempts)), common.Seconds(r.Duration))+s.Bar.Render(filled))
	}
	times := make([]float64, len(d.records))
	for i, r := range d.records {
		// Log scale, so a 16x longer block is a visible step, not a wall.
		times[i] = math.Log1p(r.Duration.Seconds() * 1e6)
	}
	out = append(out, s.Label.Render("block times (log scale) ")+s.Spark.Render(common.Sparkline(times)))
	return clipLines(out, width, height)
}

// lessonRowFormat is a block's row before its bar: who mined it, the
// block, its target, its attempts and its time.
const lessonRowFormat = "%s #%-4d d=%-2d %11s %8s  "

// lessonBarOffset is where the bars of the block rows begin, measured from
// a row as lessonRowFormat writes it.
var lessonBarOffset = ansi.StringWidth(fmt.Sprintf(lessonRowFormat, "honest", 0, 0, "", ""))

// lessonRuler marks 16^1 .. 16^top along a bar of width cells.
func lessonRuler(top, width int) string {
	cells := []rune(strings.Repeat(" ", width+6))
	for k := 1; k <= top; k++ {
		at := int(math.Round(float64(k) / float64(top) * float64(width)))
		label := []rune("|16^" + strconv.Itoa(k))
		if at+len(label) > len(cells) || (at > 0 && cells[at-1] != ' ') {
			continue
		}
		copy(cells[at:], label)
	}
	return strings.TrimRight(string(cells), " ")
}

func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// clipLines keeps at most height lines, each fitted to width cells.
func clipLines(lines []string, width, height int) []string {
	if len(lines) > height {
		lines = lines[:max(height, 0)]
	}
	for i, ln := range lines {
		lines[i] = common.Fit(ln, width)
	}
	return lines
}
