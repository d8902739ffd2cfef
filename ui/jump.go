package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/ui/common"
)

// jumpBar is the line ":" opens: a block number typed and enter selects
// that block in the chain pane, as vim and less jump to a line.
type jumpBar struct {
	input textinput.Model
	err   string // why the typed number is not a block, or ""
}

func newJumpBar(st common.Styles) jumpBar {
	return jumpBar{input: common.NewInput(st, ":", "block number", 20)}
}

// jumpKeys are the keys of the jump line; every other key is text.
type jumpKeys struct {
	Go, Cancel key.Binding
}

func newJumpKeys() jumpKeys {
	return jumpKeys{
		Go:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to the block")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k jumpKeys) help() common.BindingsHelp { return common.BindingsHelp{k.Go, k.Cancel} }

// openJump opens the jump line.
func (m Model) openJump() Model {
	m.jump.err = ""
	common.ClearInput(&m.jump.input)
	m.jump.input.Focus()
	m.modes = m.modes.push(modeJump)
	return m
}

// jumpKey handles a key on the jump line: enter selects the block typed
// (lifting a filter that hides it), esc cancels.
func (m Model) jumpKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.jkeys.Cancel):
		m.modes = m.modes.pop()
		m.jump.input.Blur()
		return m, nil
	case key.Matches(k, m.jkeys.Go):
		return m.jumpTo(), nil
	}
	var cmd tea.Cmd
	m.jump.input, cmd = m.jump.input.Update(k)
	m.jump.err = ""
	return m, cmd
}

// jumpTo selects the block typed, or says why it cannot.
func (m Model) jumpTo() Model {
	text := strings.TrimPrefix(strings.TrimSpace(m.jump.input.Value()), "#")
	h, err := strconv.ParseInt(text, 10, 64)
	last := m.chainP.length - 1
	switch {
	case err != nil || h < 0:
		m.jump.err = "type a block number, 0 to " + strconv.FormatInt(last, 10)
		return m
	case h > last:
		m.jump.err = "the chain ends at #" + strconv.FormatInt(last, 10)
		return m
	}
	if m.chainP.filtered {
		common.ClearInput(&m.filter.input)
		m.filter.seq++
		m.chainP = m.chainP.ClearFilter()
	}
	m.chainP = m.chainP.Select(h)
	m.focus = paneChain
	m.modes = m.modes.pop()
	m.jump.input.Blur()
	m.status = info("block #" + strconv.FormatInt(h, 10) + " selected: enter inspects it")
	return m
}

// View draws the jump line width cells wide.
func (j jumpBar) View(st common.Styles, width int) string {
	note := ""
	if j.err != "" {
		note = st.Bad.Render("  ✗ " + j.err)
	}
	return common.Fit(" "+common.InputView(j.input)+note, width)
}
