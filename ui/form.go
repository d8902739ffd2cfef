package ui

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// formKeys are the keys the transaction form answers to; every other key is
// text for the focused field.
type formKeys struct {
	Next, Prev, Submit, Cancel key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add to pending")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k formKeys) help() common.BindingsHelp { return common.BindingsHelp{k.Next, k.Submit, k.Cancel} }

// txForm is the new-transaction form: author and content, with the reason
// shown inline when the chain refuses the transaction.
type txForm struct {
	fields [2]textinput.Model // author, content
	focus  int
	err    string // why the last submission was refused, "" when none
	width  int
}

// SetSize sets the width of the form's box.
func (f txForm) SetSize(width int) txForm {
	f.width = width
	for i := range f.fields {
		common.SetInputWidth(&f.fields[i], max(10, width-2-14)-1)
	}
	return f
}

var formLabels = [2]string{"Author", "Content"}

// formFields names the form's fields as blockchain.TransactionError does.
var formFields = [2]string{"author", "content"}

func newTxForm(st common.Styles) txForm {
	var f txForm
	placeholders := [2]string{"who sends it, e.g. alice", "what it says, e.g. pay bob 5"}
	limits := [2]int{200, 2000}
	for i := range f.fields {
		f.fields[i] = common.NewInput(st, "", placeholders[i], limits[i])
	}
	return f
}

// Open returns the form emptied with the author field focused.
func (f txForm) Open() txForm {
	for i := range f.fields {
		common.ClearInput(&f.fields[i])
		f.fields[i].Blur()
	}
	f.focus, f.err = 0, ""
	f.fields[0].Focus()
	return f
}

// focusField moves the focus to field i. (Focus returns a command only for
// a blinking cursor, and the form's cursor is static.)
func (f txForm) focusField(i int) txForm {
	f.fields[f.focus].Err = nil // a failed paste belongs to the visit it was made in
	f.fields[f.focus].Blur()
	f.focus = (i + len(f.fields)) % len(f.fields)
	f.fields[f.focus].Focus()
	return f
}

// Update moves between fields and passes every other key to the focused
// field as text, and any other message too: ctrl+v's paste from the
// clipboard comes back as the input's own message. Submit and Cancel are
// the model's to handle.
func (f txForm) Update(msg tea.Msg, keys formKeys) (txForm, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keys.Next):
			return f.focusField(f.focus + 1), nil
		case key.Matches(k, keys.Prev):
			return f.focusField(f.focus - 1), nil
		}
	}
	var cmd tea.Cmd
	f.fields[f.focus], cmd = f.fields[f.focus].Update(msg)
	return f, cmd
}

// Value is the transaction the form holds, as the API would receive it.
func (f txForm) Value() map[string]any {
	return map[string]any{"author": f.fields[0].Value(), "content": f.fields[1].Value()}
}

// Refused shows why a transaction was refused and focuses the field at fault.
func (f txForm) Refused(err error) txForm {
	var te *blockchain.TransactionError
	if errors.As(err, &te) {
		f.err = te.Error()
		for i, name := range formFields {
			if te.Field == name {
				f = f.focusField(i)
			}
		}
		return f
	}
	f.err = err.Error()
	return f
}

// View draws the form as a box of its width.
func (f txForm) View(st common.Styles) string {
	width := f.width
	lines := []string{""}
	for i, label := range formLabels {
		mark := "  "
		if i == f.focus {
			mark = "▸ "
		}
		lines = append(lines, " "+mark+st.Label.Render(common.PadRight(label, 9))+common.InputView(f.fields[i]))
	}
	lines = append(lines, "")
	switch {
	case f.err != "":
		lines = append(lines, "   "+st.Bad.Render("✗ "+f.err))
	case f.fields[f.focus].Err != nil:
		// The only error an input of the form keeps: ctrl+v could not
		// read the clipboard.
		lines = append(lines, "   "+st.Bad.Render("✗ nothing pasted: "+common.OneLine(f.fields[f.focus].Err.Error())))
	default:
		lines = append(lines, st.Dim.Render("   the node stamps it with the time and adds it to pending"))
	}
	lines = append(lines, "")
	return st.Modal("New transaction", lines, width, len(lines)+2)
}

// formKey handles a key while the form is open: every key is text except
// tab, enter and esc.
func (m Model) formKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.fkeys.Cancel):
		m.modes = m.modes.pop()
		return m, nil
	case key.Matches(k, m.fkeys.Submit):
		tx := m.form.Value()
		// Checked here first, so the reason shows at once and nothing
		// invalid reaches the disk; AddTransaction checks again.
		if _, err := blockchain.NewTransaction(tx, m.opts.Now()); err != nil {
			m.form = m.form.Refused(err)
			return m, nil
		}
		// The form closes now, so keys typed next are shortcuts again; it
		// keeps the text, and reopens with it should storing fail.
		m.modes, m.form.err = m.modes.pop(), ""
		m.mining.storing++
		m.status = info("storing the transaction from " + common.Clip(common.OneLine(blockchain.TxAuthor(tx)), 24) + "…")
		return m, storeTx(m.chain, tx)
	}
	var cmd tea.Cmd
	m.form, cmd = m.form.Update(k, m.fkeys)
	return m, cmd
}

// txStored reports a stored transaction, or reopens the form with the
// typed text and the reason it was not stored.
func (m Model) txStored(msg txStoredMsg) (tea.Model, tea.Cmd) {
	m.mining.storing = max(0, m.mining.storing-1)
	if msg.err != nil {
		if m.modes.top() == modeBrowse {
			m.modes = m.modes.push(modeForm)
		}
		m.form = m.form.Refused(msg.err)
		m.status = failure("transaction not stored: " + msg.err.Error())
		return m, nil
	}
	m.status = info("transaction from " + common.Clip(common.OneLine(msg.tx.Author()), 24) + " added to pending")
	// The pool changed; show it now rather than when the change arrives.
	m.pending.Cursor = len(m.chain.Pending()) - 1
	return m.reread()
}
