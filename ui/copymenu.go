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

// copyChoice is one thing the copy menu offers, on its number key.
type copyChoice struct {
	what string // for the status line: "the hash of block #3"
	text string
	// none says why the choice is not offered for this item ("" when it
	// is): a number means the same thing in every copy menu, so a
	// pending transaction shows 1 and 2 greyed out, with the reason.
	none string
}

// copyMenu is the small menu y opens on the inspected or selected block:
// 1 the hash, 2 the check command, 3 the block as JSON; or on a pending
// transaction: 3 the transaction as JSON, 4 its content.
type copyMenu struct {
	choices []copyChoice // choice i is on key i+1
}

// newCopyMenu offers b's hash, its check command and its JSON as a peer
// receives it.
func newCopyMenu(b *blockchain.Block) copyMenu {
	n := "block #" + strconv.FormatInt(b.Index(), 10)
	claimed, _ := b.ClaimedHash()
	return copyMenu{choices: []copyChoice{
		{what: "the hash of " + n, text: claimed},
		{what: "the check command of " + n + " (it prints the hash)", text: checkCommand(b.Preimage())},
		{what: n + " as JSON", text: string(b.WireJSON())},
	}}
}

// newTxCopyMenu offers a pending transaction's JSON, as it will go into a
// block, and its content alone. A transaction has no hash of its own in
// the seed (the block that takes it has one), so 1 and 2 say so.
func newTxCopyMenu(tx blockchain.PendingTx) copyMenu {
	n := "the transaction from " + common.Clip(common.OneLine(tx.Author()), 24)
	json, _ := blockchain.AppendPython(nil, tx.Tx)
	return copyMenu{choices: []copyChoice{
		{what: "hash", none: "a transaction has no hash; the block that takes it will"},
		{what: "check command", none: "a transaction has no check command; it checks a block's hash"},
		{what: n + " as JSON", text: string(json)},
		{what: "the content of " + n + " (" + common.Plural(int64(len([]rune(tx.Content()))), "character") + ")", text: tx.Content()},
	}}
}

// copyKeys are the copy menu's keys.
type copyKeys struct {
	Hash, Command, JSON, Content, Back key.Binding
}

func newCopyKeys() copyKeys {
	return copyKeys{
		Hash:    key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "hash")),
		Command: key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "check command")),
		JSON:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "JSON")),
		Content: key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "content")),
		Back:    key.NewBinding(key.WithKeys("esc", "y"), key.WithHelp("esc", "cancel")),
	}
}

// choiceKeys are the number keys, choice i on choiceKeys()[i].
func (k copyKeys) choiceKeys() []key.Binding {
	return []key.Binding{k.Hash, k.Command, k.JSON, k.Content}
}

// copyHelp is the help bar of the open menu: the choices it offers.
func (m Model) copyHelp() common.BindingsHelp {
	var bar common.BindingsHelp
	for i, k := range m.ckeys.choiceKeys() {
		if i < len(m.copy.choices) && m.copy.choices[i].none == "" {
			bar = append(bar, k)
		}
	}
	return append(bar, m.ckeys.Back)
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

// openCopyTx opens the copy menu on a pending transaction.
func (m Model) openCopyTx(tx blockchain.PendingTx) Model {
	m.copy = newTxCopyMenu(tx)
	m.modes = m.modes.push(modeCopy)
	return m
}

// copyKey picks from the copy menu: the choice is copied by a command and
// the menu closes at once. A choice the item has not (a transaction's
// hash) closes it too, and the status line says why.
func (m Model) copyKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.ckeys.Back) {
		m.modes = m.modes.pop()
		return m, nil
	}
	i := -1
	for n, b := range m.ckeys.choiceKeys() {
		if key.Matches(k, b) && n < len(m.copy.choices) {
			i = n
		}
	}
	if i < 0 {
		return m, nil
	}
	m.modes = m.modes.pop()
	c, clip := m.copy.choices[i], m.opts.Clipboard
	switch {
	case c.none != "":
		m.status = info("nothing copied: " + c.none)
		return m, nil
	case clip == nil:
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
		if c.none != "" {
			lines = append(lines, m.st.Dim.Render(" "+strconv.Itoa(i+1)+"  ("+c.none+")"))
			continue
		}
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
