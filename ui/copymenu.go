package ui

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// Clipboard puts text where the person can paste it: the terminal's
// clipboard (OSC 52, which also reaches through tmux and ssh) and the
// system's where there is one. It is called from a command, never from
// Update, and must be safe to call from any goroutine.
type Clipboard func(text string) error

// copyChoice is one thing the copy menu offers for a block.
type copyChoice struct {
	what string // for the status line: "the hash of block #3"
	text string
}

// copyMenu is the small menu y opens on the inspected or selected block:
// 1 the hash, 2 the check command, 3 the block as JSON.
type copyMenu struct {
	index   int64
	choices [3]copyChoice
}

// newCopyMenu offers b's hash, its check command and its JSON as a peer
// receives it.
func newCopyMenu(b *blockchain.Block) copyMenu {
	n := "block #" + strconv.FormatInt(b.Index(), 10)
	claimed, _ := b.ClaimedHash()
	return copyMenu{index: b.Index(), choices: [3]copyChoice{
		{"the hash of " + n, claimed},
		{"the check command of " + n + " (it prints the hash)", checkCommand(b.Preimage())},
		{n + " as JSON", string(b.WireJSON())},
	}}
}

// copyKeys are the copy menu's keys.
type copyKeys struct {
	Hash, Command, JSON, Back key.Binding
}

func newCopyKeys() copyKeys {
	return copyKeys{
		Hash:    key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "hash")),
		Command: key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "check command")),
		JSON:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "JSON")),
		Back:    key.NewBinding(key.WithKeys("esc", "y"), key.WithHelp("esc", "cancel")),
	}
}

func (k copyKeys) help() common.BindingsHelp {
	return common.BindingsHelp{k.Hash, k.Command, k.JSON, k.Back}
}

// copiedMsg reports a copy made by the clipboard command.
type copiedMsg struct {
	what string
	err  error
}

// openCopy opens the copy menu on block h, when the chain has it.
func (m Model) openCopy(h int64) Model {
	if b := m.chain.Block(h); b != nil {
		m = m.openCopyOn(b)
	}
	return m
}

// openCopyOn opens the copy menu on b, on the chain or not (a stale block).
func (m Model) openCopyOn(b *blockchain.Block) Model {
	m.copy = newCopyMenu(b)
	m.modes = m.modes.push(modeCopy)
	return m
}

// copyKey picks from the copy menu: the choice is copied by a command and
// the menu closes at once.
func (m Model) copyKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	i := -1
	switch {
	case key.Matches(k, m.ckeys.Hash):
		i = 0
	case key.Matches(k, m.ckeys.Command):
		i = 1
	case key.Matches(k, m.ckeys.JSON):
		i = 2
	case key.Matches(k, m.ckeys.Back):
		m.modes = m.modes.pop()
		return m, nil
	}
	if i < 0 {
		return m, nil
	}
	m.modes = m.modes.pop()
	c, clip := m.copy.choices[i], m.opts.Clipboard
	if clip == nil {
		m.status = failure("nothing to copy to: this screen has no clipboard")
		return m, nil
	}
	return m, func() tea.Msg { return copiedMsg{what: c.what, err: clip(c.text)} }
}

// copied shows in the status line what was copied, or why not.
func (m Model) copied(msg copiedMsg) Model {
	if msg.err != nil {
		m.status = failure("could not copy " + msg.what + ": " + msg.err.Error())
	} else {
		m.status = info("copied " + msg.what)
	}
	return m
}

// copyMenuView is the menu's box.
func (m Model) copyMenuView() string {
	lines := []string{""}
	for i, c := range m.copy.choices {
		lines = append(lines, " "+m.st.Key.Render(strconv.Itoa(i+1))+"  "+c.what)
	}
	lines = append(lines, "", m.st.Dim.Render(" esc cancels"))
	width := 0
	for _, l := range lines {
		width = max(width, common.Width(l)+3)
	}
	width = min(width, m.lay.width-4)
	return m.st.Box("Copy", "", lines, width, len(lines)+2, true, false)
}
