package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// boxChars are the glyphs of one border weight.
type boxChars struct{ tl, tr, bl, br, h, v string }

var (
	lightBox = boxChars{"╭", "╮", "╰", "╯", "─", "│"}
	heavyBox = boxChars{"┏", "┓", "┗", "┛", "━", "┃"}
)

// Frame draws lines in a box of exactly width×height cells with the title
// set into the top border. The focused pane is drawn with a heavy border and
// a ▶ before its title, so focus shows without colour. Lines longer than the
// Box are cut with an ellipsis; missing lines are left blank.
func (s Styles) Frame(title string, lines []string, width, height int, focused bool) string {
	return s.Box(title, "", lines, width, height, focused, focused)
}

// Modal draws a box for an overlay (form, help, network): heavy, since it
// has the keyboard, but without the pane marker.
func (s Styles) Modal(title string, lines []string, width, height int) string {
	return s.Box(title, "", lines, width, height, true, false)
}

// FrameFooter is frame with a note (such as a scroll position) set into the
// right of the bottom border.
func (s Styles) FrameFooter(title, footer string, lines []string, width, height int, focused bool) string {
	return s.Box(title, footer, lines, width, height, focused, focused)
}

// TitleNote is title followed by " · note" when a frame width cells wide
// has the room for both (with the focus marker), else title alone: a note
// (such as a list's order) is left out whole rather than cut.
func TitleNote(title, note string, width int) string {
	full := title + " · " + note
	if ansi.StringWidth(full) <= width-8 {
		return full
	}
	return title
}

// Box draws the frame: heavy or light, with or without the ▶ marker.
func (s Styles) Box(title, footer string, lines []string, width, height int, heavy, marker bool) string {
	if width < 4 || height < 2 {
		return ""
	}
	box, border, titleStyle := lightBox, s.Border, s.Title
	if heavy {
		box, border, titleStyle = heavyBox, s.BorderFocus, s.TitleActive
	}
	if marker {
		title = "▶ " + title
	}
	inner := width - 2
	title = Clip(title, inner-4)
	rest := inner - 3 - ansi.StringWidth(title)

	var b strings.Builder
	b.Grow(height * (width + 16))
	b.WriteString(border.Render(box.tl + box.h + " "))
	b.WriteString(titleStyle.Render(title))
	b.WriteString(border.Render(" " + strings.Repeat(box.h, rest) + box.tr))
	b.WriteByte('\n')
	side := border.Render(box.v)
	blank := strings.Repeat(" ", inner)
	for i := 0; i < height-2; i++ {
		b.WriteString(side)
		if i < len(lines) {
			b.WriteString(Fit(lines[i], inner))
		} else {
			b.WriteString(blank)
		}
		b.WriteString(side)
		b.WriteByte('\n')
	}
	footer = Clip(footer, inner-4)
	if footer == "" {
		b.WriteString(border.Render(box.bl + strings.Repeat(box.h, inner) + box.br))
		return b.String()
	}
	fw := ansi.StringWidth(footer)
	b.WriteString(border.Render(box.bl + strings.Repeat(box.h, inner-fw-3) + " "))
	b.WriteString(s.Dim.Render(footer))
	b.WriteString(border.Render(" " + box.h + box.br))
	return b.String()
}

// JoinColumns sets blocks of lines side by side; every block must have the
// same number of lines, each already padded to its block's width.
func JoinColumns(blocks ...string) string {
	split := make([][]string, len(blocks))
	rows := 0
	for i, blk := range blocks {
		split[i] = strings.Split(blk, "\n")
		rows = max(rows, len(split[i]))
	}
	var b strings.Builder
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte('\n')
		}
		for _, lines := range split {
			if r < len(lines) {
				b.WriteString(lines[r])
			}
		}
	}
	return b.String()
}

// Overlay draws box (a block of lines) over base, centred in the rows
// from top to top+rows-1, replacing the cells under it; the rest of base
// stays visible around it. The band keeps the lines above and below it
// (a header, a status line and key bar) in sight. A box taller than the
// band loses lines from its middle: its first lines, its last line but
// one (where a box says how to close it or asks its question) and its
// bottom border stay.
func Overlay(base, box string, width, top, rows int) string {
	baseLines := strings.Split(base, "\n")
	boxLines := FitRows(strings.Split(box, "\n"), rows)
	bw := 0
	for _, l := range boxLines {
		bw = max(bw, ansi.StringWidth(l))
	}
	x := max(0, (width-bw)/2)
	y := max(0, top+(rows-len(boxLines))/2)
	for i, l := range boxLines {
		r := y + i
		if r >= len(baseLines) {
			break
		}
		under := baseLines[r]
		left := Fit(ansi.Truncate(under, x, ""), x)
		right := ansi.TruncateLeft(under, x+bw, "")
		baseLines[r] = left + Fit(l, bw) + right
	}
	return strings.Join(baseLines, "\n")
}

// FitRows shortens lines to at most rows, dropping lines before the last
// two (see Overlay).
func FitRows(lines []string, rows int) []string {
	if len(lines) <= rows || rows < 3 {
		return lines[:min(len(lines), max(0, rows))]
	}
	out := append([]string(nil), lines[:rows-2]...)
	return append(out, lines[len(lines)-2:]...)
}
