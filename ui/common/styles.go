package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// Styles holds every style of the screen, built once from one renderer so
// that the colour profile (and NO_COLOR) is decided in one place. Colours are
// adaptive (light and dark terminals) and never carry meaning alone: every
// state they mark is also spelled out in words or glyphs.
type Styles struct {
	Header      Style // the top line: name and chain summary
	HeaderName  Style // "blockscope" in the header
	Dim         Style // secondary text: ages, separators, hints
	Title       Style // pane titles in unfocused panes
	TitleActive Style // pane titles in the focused pane
	Border      Style // unfocused pane borders
	BorderFocus Style // the focused pane's border (also drawn heavier)
	Zeros       Style // the leading zeros of a hash that count as work
	Hash        Style // the rest of a hash
	Selected    Style // the selected row of the focused pane
	Good        Style // passed checks (always with ✓ and words)
	Bad         Style // failed checks and errors (always with ✗ or "error:")
	Warn        Style // notices that need attention
	Label       Style // field labels in the inspector and the form
	Key         Style // key names in help
	Bar         Style // the filled part of the expected-work bar
	Spark       Style // the hash-rate sparkline
	Status      Style // the status line
	Input       Style // text typed into the form and the filter
	Plain       Style // no style, but the screen's renderer (the inputs' prompts)

	Help help.Styles // the bubbles help bar and full help
}

// Style is one style of the screen: the lipgloss style, and the escape
// sequences it wraps a line in, found once when the styles are built. A
// frame draws hundreds of styled pieces and lipgloss's Render costs
// microseconds a call, so Render writes a line as two concatenations, small
// enough to be inlined (the result then often stays on the stack). Text
// of several lines goes through the lipgloss style (s.Style.Render). The
// zero Style draws text as it is.
type Style struct {
	lipgloss.Style
	pre, post string
}

// newStyle compiles st: it renders a probe and keeps what lipgloss wrapped
// it in.
func newStyle(st lipgloss.Style) Style {
	const probe = "X"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	if i < 0 || out == probe {
		return Style{Style: st}
	}
	return Style{Style: st, pre: out[:i], post: out[i+len(probe):]}
}

// Render styles one line of text (no new lines) as lipgloss would, but
// writes nothing at all for an empty one.
func (s Style) Render(line string) string {
	if s.pre == "" || line == "" {
		return line
	}
	return s.pre + line + s.post
}

// Colourless reports whether the style draws nothing but the text (NO_COLOR,
// or not a terminal, for a style of colours only).
func (s Style) Colourless() bool { return s.pre == "" }

// NewStyles builds the styles with renderer r; nil means lipgloss's default
// renderer, which follows the terminal and NO_COLOR.
func NewStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	var (
		accent  = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B4A2FF"}
		dim     = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
		faint   = lipgloss.AdaptiveColor{Light: "#A8A8A8", Dark: "#4E4E4E"}
		green   = lipgloss.AdaptiveColor{Light: "#1C7C32", Dark: "#5FD37A"}
		red     = lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF7A70"}
		amber   = lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#F2C14E"}
		zeros   = lipgloss.AdaptiveColor{Light: "#0B6E4F", Dark: "#7CF2C4"}
		text    = lipgloss.AdaptiveColor{Light: "#1E1E1E", Dark: "#E4E4E4"}
		selectB = lipgloss.AdaptiveColor{Light: "#DCD6F7", Dark: "#3B3363"}
	)
	s := Styles{
		Header:      newStyle(r.NewStyle().Foreground(text)),
		HeaderName:  newStyle(r.NewStyle().Bold(true).Foreground(accent)),
		Dim:         newStyle(r.NewStyle().Foreground(dim)),
		Title:       newStyle(r.NewStyle().Foreground(dim)),
		TitleActive: newStyle(r.NewStyle().Bold(true).Foreground(accent)),
		Border:      newStyle(r.NewStyle().Foreground(faint)),
		BorderFocus: newStyle(r.NewStyle().Foreground(accent)),
		Zeros:       newStyle(r.NewStyle().Bold(true).Foreground(zeros)),
		Hash:        newStyle(r.NewStyle().Foreground(dim)),
		Selected:    newStyle(r.NewStyle().Background(selectB).Bold(true)),
		Good:        newStyle(r.NewStyle().Foreground(green)),
		Bad:         newStyle(r.NewStyle().Bold(true).Foreground(red)),
		Warn:        newStyle(r.NewStyle().Foreground(amber)),
		Label:       newStyle(r.NewStyle().Foreground(dim)),
		Key:         newStyle(r.NewStyle().Bold(true).Foreground(accent)),
		Bar:         newStyle(r.NewStyle().Foreground(accent)),
		Spark:       newStyle(r.NewStyle().Foreground(green)),
		Status:      newStyle(r.NewStyle().Foreground(text)),
		Input:       newStyle(r.NewStyle().Foreground(text)),
		Plain:       newStyle(r.NewStyle()),
	}
	sep := r.NewStyle().Foreground(faint)
	s.Help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       s.Key.Style,
		ShortDesc:      s.Dim.Style,
		ShortSeparator: sep,
		FullKey:        s.Key.Style,
		FullDesc:       s.Dim.Style,
		FullSeparator:  sep,
	}
	return s
}
