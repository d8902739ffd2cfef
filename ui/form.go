package ui

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/atotto/clipboard"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"blockscope/blockchain"
	"blockscope/node"
	"blockscope/ui/common"
)

// formKeys are the keys the transaction form answers to; every other key is
// text for the focused field.
type formKeys struct {
	Next, Prev, Submit, Cancel, Paste key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add to pending")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Paste:  key.NewBinding(key.WithKeys("ctrl+v"), key.WithHelp("ctrl+v", "paste")),
	}
}

func (k formKeys) help() common.BindingsHelp {
	return common.BindingsHelp{k.Next, k.Submit, k.Paste, k.Cancel}
}

// maxTxBytes is the most the form's transaction may take as JSON:
// the API's limit on a request body, so that what the form takes the API
// would take too, posted by any client (JSON with every non-ASCII
// character escaped, as Python's json.dumps writes it, is the longest form).
const maxTxBytes = node.DefaultMaxRequestBytes

// txForm is the new-transaction form: author and content, with a counter
// of the bytes the API would receive against its limit, and the reason
// shown inline when the chain refuses the transaction. The fields hold
// escaped text (common.EscapeField), so that a tab or a line in pasted text
// is kept as \t or \n rather than turned into a space or into a key.
type txForm struct {
	fields [2]textinput.Model // author, content
	focus  int
	err    string // why the last submission was refused, "" when none
	bytes  int    // the transaction's JSON length, -1 when it cannot be encoded
	chars  int    // the content's length in characters
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
	for i := range f.fields {
		// No limit in characters: the one limit is maxTxBytes.
		f.fields[i] = common.NewInput(st, "", placeholders[i], 0)
	}
	return f.measure()
}

// Open returns the form emptied with the author field focused.
func (f txForm) Open() txForm {
	for i := range f.fields {
		common.ClearInput(&f.fields[i])
		f.fields[i].Blur()
	}
	f.focus, f.err = 0, ""
	f.fields[0].Focus()
	return f.measure()
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

// formPasteMsg is the clipboard's text that ctrl+v read, or why none came.
type formPasteMsg struct {
	text string
	err  error
}

// pasteFromClipboard is the command ctrl+v runs: the form reads the
// clipboard itself rather than through textinput, whose paste turns tabs
// and lines into spaces.
func pasteFromClipboard() tea.Msg {
	text, err := clipboard.ReadAll()
	return formPasteMsg{text: text, err: err}
}

// Update moves between fields and passes every other key to the focused
// field as text. Pasted text (a bracketed paste, or ctrl+v) goes in
// escaped, tabs and lines included. Any edit clears the reason the last
// submission was refused: it was about the text before. Submit and Cancel
// are the model's to handle.
func (f txForm) Update(msg tea.Msg, keys formKeys) (txForm, tea.Cmd) {
	switch m := msg.(type) {
	case tea.KeyMsg:
		switch {
		case m.Paste:
			return f.paste(terminalLines(string(m.Runes))), nil
		case key.Matches(m, keys.Next):
			return f.focusField(f.focus + 1), nil
		case key.Matches(m, keys.Prev):
			return f.focusField(f.focus - 1), nil
		case key.Matches(m, keys.Paste):
			return f, pasteFromClipboard
		}
	case formPasteMsg:
		if m.err != nil {
			f.fields[f.focus].Err = m.err
			return f, nil
		}
		f.fields[f.focus].Err = nil
		return f.paste(m.text), nil
	}
	before := f.fields[f.focus].Value()
	var cmd tea.Cmd
	f.fields[f.focus], cmd = f.fields[f.focus].Update(msg)
	if f.fields[f.focus].Value() != before {
		f.err = ""
		f = f.measure()
	}
	return f, cmd
}

// terminalLines undoes what a terminal does to the lines of text pasted
// into it: it sends each line break as a carriage return, as the enter key
// does, so pasted text would hold \r where the person copied \n.
func terminalLines(text string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

// paste inserts text at the cursor of the focused field, escaped. It sets
// the value at once rather than through textinput's key handling, which
// would match a long paste against each of its keys (a megabyte pasted
// then takes a second).
func (f txForm) paste(text string) txForm {
	in := &f.fields[f.focus]
	value, pos := []rune(in.Value()), in.Position()
	escaped := []rune(common.EscapeField(text))
	in.SetValue(string(value[:pos]) + string(escaped) + string(value[pos:]))
	in.SetCursor(pos + len(escaped))
	f.err = ""
	return f.measure()
}

// Value is the transaction the form holds, as the API would receive it.
func (f txForm) Value() map[string]any {
	return map[string]any{"author": common.UnescapeField(f.fields[0].Value()), "content": common.UnescapeField(f.fields[1].Value())}
}

// measure counts the transaction's bytes as JSON and the content's
// characters, once per edit rather than once per frame.
func (f txForm) measure() txForm {
	tx := f.Value()
	f.bytes, f.chars = -1, utf8.RuneCountInString(blockchain.TxContent(tx))
	if c, err := blockchain.Canonical(tx); err == nil {
		f.bytes = len(c)
	}
	return f
}

// tooLong says why a transaction over maxTxBytes is refused, and
// names the longer field; nil when it is within the limit.
func (f txForm) tooLong() error {
	if f.bytes <= maxTxBytes {
		return nil
	}
	field := "content"
	if len(f.fields[0].Value()) > len(f.fields[1].Value()) {
		field = "author"
	}
	return &blockchain.TransactionError{Field: field, Why: "makes the transaction " + common.GroupDigits(int64(f.bytes)) +
		" bytes of JSON; the API takes at most " + common.GroupDigits(maxTxBytes)}
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
		// Wrapped, so that the cause at its end stays in view.
		wrapped := lipgloss.NewStyle().Width(max(10, width-7)).Render("✗ " + f.err)
		for _, l := range strings.Split(wrapped, "\n") {
			lines = append(lines, "   "+st.Bad.Render(strings.TrimRight(l, " ")))
		}
	case f.fields[f.focus].Err != nil:
		// The only error an input of the form keeps: ctrl+v could not
		// read the clipboard.
		lines = append(lines, "   "+st.Bad.Render("✗ nothing pasted: "+common.OneLine(f.fields[f.focus].Err.Error())))
	default:
		lines = append(lines, st.Dim.Render(`   \n types a new line, \t a tab; the node stamps the time`))
	}
	lines = append(lines, f.counter(st), "")
	return st.Modal("New transaction", lines, width, len(lines)+2)
}

// counter is the line that counts the content's characters and the
// transaction's bytes against the API's limit.
func (f txForm) counter(st common.Styles) string {
	chars := common.Plural(int64(f.chars), "character")
	limit := common.GroupDigits(maxTxBytes)
	switch {
	case f.bytes < 0:
		return st.Dim.Render("   " + chars + " · not JSON the API would take")
	case f.bytes > maxTxBytes:
		return "   " + st.Bad.Render("✗ "+common.GroupDigits(int64(f.bytes))+"/"+limit+" bytes: over the API's limit")
	}
	return st.Dim.Render("   " + chars + " · " + common.GroupDigits(int64(f.bytes)) + "/" + limit + " bytes (API limit)")
}

// formKey handles a key while the form is open: every key is text except
// tab, enter and esc.
func (m Model) formKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case k.Paste:
		// Text, whatever it holds; and a long paste is not spelt out to
		// be compared with each key.
	case key.Matches(k, m.fkeys.Cancel):
		m.modes = m.modes.pop()
		return m, nil
	case key.Matches(k, m.fkeys.Submit):
		tx := m.form.Value()
		// Checked here first, so the reason shows at once and nothing
		// invalid reaches the disk; AddTransaction checks again.
		if err := m.form.tooLong(); err != nil {
			m.form = m.form.Refused(err)
			return m, nil
		}
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
