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
	Header      lipgloss.Style // the top line: name and chain summary
	HeaderName  lipgloss.Style // "blockscope" in the header
	Dim         lipgloss.Style // secondary text: ages, separators, hints
	Title       lipgloss.Style // pane titles in unfocused panes
	TitleActive lipgloss.Style // pane titles in the focused pane
	Border      lipgloss.Style // unfocused pane borders
	BorderFocus lipgloss.Style // the focused pane's border (also drawn heavier)
	Zeros       lipgloss.Style // the leading zeros of a hash that count as work
	Hash        lipgloss.Style // the rest of a hash
	Selected    lipgloss.Style // the selected row of the focused pane
	Good        lipgloss.Style // passed checks (always with ✓ and words)
	Bad         lipgloss.Style // failed checks and errors (always with ✗ or "error:")
	Warn        lipgloss.Style // notices that need attention
	Label       lipgloss.Style // field labels in the inspector and the form
	Key         lipgloss.Style // key names in help
	Bar         lipgloss.Style // the filled part of the expected-work bar
	Spark       lipgloss.Style // the hash-rate sparkline
	Status      lipgloss.Style // the status line
	Input       lipgloss.Style // text typed into the form and the filter
	Plain       lipgloss.Style // no style, but the screen's renderer (the inputs' prompts)

	Help help.Styles // the bubbles help bar and full help

	// Ink holds the same styles compiled to their escape sequences, for
	// the lines drawn every frame: lipgloss's Render costs microseconds a
	// call, and a frame has hundreds.
	Ink Inks
}

// Ink is a style compiled for one line of text: the escape sequences that
// go before and after it. Rendering is two concatenations.
type Ink struct{ pre, post string }

// compile finds the sequences lipgloss wraps a single line in.
func compile(st lipgloss.Style) Ink {
	const probe = "X"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	if i < 0 || out == probe {
		return Ink{}
	}
	return Ink{pre: out[:i], post: out[i+len(probe):]}
}

// Render styles one line of text (no new lines).
func (k Ink) Render(s string) string {
	if k.pre == "" || s == "" {
		return s
	}
	return k.pre + s + k.post
}

// Inks mirrors the Styles fields drawn every frame.
type Inks struct {
	Header, HeaderName, Dim, Title, TitleActive, Border, BorderFocus Ink
	Zeros, Hash, Selected, Good, Bad, Warn, Label, Key, Bar, Spark   Ink
	Status, Input                                                    Ink
}

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
		Header:      r.NewStyle().Foreground(text),
		HeaderName:  r.NewStyle().Bold(true).Foreground(accent),
		Dim:         r.NewStyle().Foreground(dim),
		Title:       r.NewStyle().Foreground(dim),
		TitleActive: r.NewStyle().Bold(true).Foreground(accent),
		Border:      r.NewStyle().Foreground(faint),
		BorderFocus: r.NewStyle().Foreground(accent),
		Zeros:       r.NewStyle().Bold(true).Foreground(zeros),
		Hash:        r.NewStyle().Foreground(dim),
		Selected:    r.NewStyle().Background(selectB).Bold(true),
		Good:        r.NewStyle().Foreground(green),
		Bad:         r.NewStyle().Bold(true).Foreground(red),
		Warn:        r.NewStyle().Foreground(amber),
		Label:       r.NewStyle().Foreground(dim),
		Key:         r.NewStyle().Bold(true).Foreground(accent),
		Bar:         r.NewStyle().Foreground(accent),
		Spark:       r.NewStyle().Foreground(green),
		Status:      r.NewStyle().Foreground(text),
		Input:       r.NewStyle().Foreground(text),
		Plain:       r.NewStyle(),
	}
	sep := r.NewStyle().Foreground(faint)
	s.Ink = Inks{
		Header: compile(s.Header), HeaderName: compile(s.HeaderName), Dim: compile(s.Dim),
		Title: compile(s.Title), TitleActive: compile(s.TitleActive), Border: compile(s.Border),
		BorderFocus: compile(s.BorderFocus), Zeros: compile(s.Zeros), Hash: compile(s.Hash),
		Selected: compile(s.Selected), Good: compile(s.Good), Bad: compile(s.Bad), Warn: compile(s.Warn),
		Label: compile(s.Label), Key: compile(s.Key), Bar: compile(s.Bar), Spark: compile(s.Spark),
		Status: compile(s.Status), Input: compile(s.Input),
	}
	s.Help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       s.Key,
		ShortDesc:      s.Dim,
		ShortSeparator: sep,
		FullKey:        s.Key,
		FullDesc:       s.Dim,
		FullSeparator:  sep,
	}
	return s
}
