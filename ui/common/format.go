package common

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"blockscope/blockchain"
)

// GroupDigits writes n with thousands separators: 1234567 -> "1,234,567".
func GroupDigits(n int64) string {
	if n < 0 && n != math.MinInt64 {
		return "-" + GroupDigits(-n)
	}
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// SICount writes a count compactly: 999, 12.3 k, 1.24 M, 3.1 G.
func SICount(x float64) string {
	switch a := math.Abs(x); {
	case a < 1e3:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a < 1e6:
		return trimFloat(x/1e3) + " k"
	case a < 1e9:
		return trimFloat(x/1e6) + " M"
	case a < 1e12:
		return trimFloat(x/1e9) + " G"
	case a < 1e15:
		return trimFloat(x/1e12) + " T"
	}
	return strconv.FormatFloat(x, 'e', 2, 64)
}

// trimFloat writes three significant digits.
func trimFloat(x float64) string {
	switch a := math.Abs(x); {
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// HashRate writes attempts per second with its unit: "5.91 MH/s".
func HashRate(perSecond float64) string {
	if perSecond < 1000 {
		return strconv.FormatFloat(perSecond, 'f', 0, 64) + " H/s"
	}
	return SICount(perSecond) + "H/s"
}

// Seconds writes a duration in seconds for the status line and the mining
// pane: "0.21 s", "4.8 s", "73 s", "12 min".
func Seconds(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 0.001:
		return "<0.001 s"
	case s < 0.1:
		return strconv.FormatFloat(s, 'f', 3, 64) + " s"
	case s < 10:
		return strconv.FormatFloat(s, 'f', 2, 64) + " s"
	case s < 100:
		return strconv.FormatFloat(s, 'f', 1, 64) + " s"
	case s < 600:
		return strconv.FormatFloat(s, 'f', 0, 64) + " s"
	case s < 36000:
		return strconv.FormatFloat(s/60, 'f', 0, 64) + " min"
	}
	return strconv.FormatFloat(s/3600, 'f', 0, 64) + " h"
}

// Age writes how long ago something happened, compactly: "4s", "12m", "3h", "2d".
func Age(now, then time.Time) string {
	d := now.Sub(then)
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// ClockTime writes a block's time in now's time zone: the time of day when
// it is the same day as now, else the date.
func ClockTime(now, t time.Time) string {
	t = t.In(now.Location())
	if y1, m1, d1 := t.Date(); true {
		if y2, m2, d2 := now.Date(); y1 == y2 && m1 == m2 && d1 == d2 {
			return t.Format("15:04:05")
		}
	}
	return t.Format("2006-01-02")
}

// Percent writes a probability as a percentage without claiming certainty
// it does not have: "<1%" and ">99%" at the ends.
func Percent(p float64) string {
	switch {
	case p <= 0:
		return "0%"
	case p < 0.01:
		return "<1%"
	case p >= 1:
		return "100%"
	case p > 0.99:
		return ">99%"
	}
	return strconv.Itoa(int(math.Round(p*100))) + "%"
}

// ExpectedAttempts is 16^d, the mean number of attempts to find a hash with
// d leading zero hex digits.
func ExpectedAttempts(difficulty int) float64 { return math.Pow(16, float64(difficulty)) }

// ChanceFound is the probability that at least one of n attempts met
// difficulty d: 1-(1-16^-d)^n, computed so that it stays accurate when 16^-d
// is tiny.
func ChanceFound(difficulty int, attempts int64) float64 {
	if attempts <= 0 {
		return 0
	}
	p := math.Pow(16, -float64(difficulty))
	return -math.Expm1(float64(attempts) * math.Log1p(-p))
}

// Sparkline draws values as block characters scaled to their maximum.
func Sparkline(values []float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	levels := []rune(bars)
	top := 0.0
	for _, v := range values {
		top = math.Max(top, v)
	}
	var b strings.Builder
	for _, v := range values {
		i := 0
		if top > 0 {
			i = int(math.Round(v / top * float64(len(levels)-1)))
		}
		b.WriteRune(levels[max(0, min(i, len(levels)-1))])
	}
	return b.String()
}

// WorkBar draws a bar width cells wide filled to fraction f (clamped to
// 0..1), with eighth-cell resolution.
func WorkBar(f float64, width int) (filled, empty string) {
	if width <= 0 {
		return "", ""
	}
	f = math.Max(0, math.Min(1, f))
	eighths := int(math.Round(f * float64(width*8)))
	full := eighths / 8
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	partials := []rune(" ▏▎▍▌▋▊▉")
	used := full
	if r := eighths % 8; r > 0 && full < width {
		b.WriteRune(partials[r])
		used++
	}
	return b.String(), strings.Repeat(" ", width-used)
}

// Fit pads or truncates s (which may hold ANSI styling) to exactly width
// cells.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = ansi.StringWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// Width is the width of s in cells, styling ignored.
func Width(s string) int { return ansi.StringWidth(s) }

// Clip truncates plain text to width cells with an ellipsis.
func Clip(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// ClipMiddle cuts plain text to width cells by putting an ellipsis in its
// middle: for a file's path, whose start says where and whose end names
// the file. A third of the room keeps the start, the rest the end.
func ClipMiddle(s string, width int) string {
	w := ansi.StringWidth(s)
	if w <= width {
		return s
	}
	if width < 3 {
		return Clip(s, width)
	}
	head := (width - 1) / 3
	tail := width - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, w-tail, "")
}

// OneLine replaces the control characters of text typed elsewhere (new
// lines, tabs, escapes) so it cannot break the layout or drive the terminal.
// A peer's string that is not UTF-8 (a lone surrogate) is shown as Python
// writes it (see blockchain.DisplayString).
func OneLine(s string) string {
	if !utf8.ValidString(s) {
		return blockchain.DisplayString(s)
	}
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '·'
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }

// Plural writes n with a noun in the right number: "1 block", "3 blocks".
func Plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%s %ss", GroupDigits(n), noun)
}

// ZerosText counts a hash's leading zeros in words: "no leading zeros",
// "1 leading zero", "3 leading zeros".
func ZerosText(n int) string {
	if n == 0 {
		return "no leading zeros"
	}
	return Plural(int64(n), "leading zero")
}

// HashCell draws the first width cells of a hex hash with its leading zeros
// marked: they are the work, the rest is noise.
func (k Styles) HashCell(hash string, zeros, width int) string {
	if width <= 0 {
		return ""
	}
	show, cut := hash, false
	if len(show) > width {
		show, cut = show[:width-1], true
	}
	z := min(zeros, len(show))
	out := k.Zeros.Render(show[:z]) + k.Hash.Render(show[z:])
	if cut {
		out += k.Dim.Render("…")
	}
	return out
}

// PadLeft right-aligns s in width cells.
func PadLeft(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return strings.Repeat(" ", width-w) + s
	}
	return s
}

// PadRight left-aligns s in width cells.
func PadRight(s string, width int) string {
	if n := width - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// NonceText writes a block's nonce with thousands separators, or, for a
// peer's nonce with no int64 form (a float, past 2^63), as Python writes it.
func NonceText(b *blockchain.Block) string {
	if n, ok := b.NonceValue().(blockchain.Int); ok {
		if v, fits := n.Int64(); fits {
			return GroupDigits(v)
		}
	}
	return blockchain.DisplayValue(b.NonceValue())
}

// CountCell writes n in at most width cells: exact with thousands
// separators when they fit, exact without them when that fits, else
// rounded ("16.8 M"), so a column of counts keeps its width.
func CountCell(n int64, width int) string {
	if s := GroupDigits(n); len(s) <= width {
		return s
	}
	if s := strconv.FormatInt(n, 10); len(s) <= width {
		return s
	}
	s := SICount(float64(n))
	if len(s) > width {
		s = strings.Replace(s, " ", "", 1)
	}
	return Clip(s, width)
}

// NonceCell writes a block's nonce in at most width cells for a column:
// as CountCell writes an integer nonce, and a peer's nonce with no int64
// form (a float, past 2^63) as Python writes it, cut with an ellipsis.
// The inspector shows every nonce whole.
func NonceCell(b *blockchain.Block, width int) string {
	if n, ok := b.NonceValue().(blockchain.Int); ok {
		if v, fits := n.Int64(); fits {
			return CountCell(v, width)
		}
	}
	return Clip(blockchain.DisplayValue(b.NonceValue()), width)
}
