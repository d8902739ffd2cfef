package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// txView shows one pending transaction whole: its author and content
// wrapped (a 5,000-character content cannot be read in the pane's row),
// when this node received it, and its JSON as it will go into a block. It
// scrolls like the inspector, with the inspector's keys.
type txView struct {
	tx            blockchain.PendingTx
	vp            viewport.Model
	st            common.Styles
	now           func() time.Time
	width, height int
}

func newTxView(st common.Styles, tx blockchain.PendingTx, now func() time.Time) txView {
	v := txView{tx: tx, st: st, now: now, vp: viewport.New(1, 1)}
	v.vp.KeyMap = viewport.KeyMap{} // keys come from the screen's one keymap
	return v
}

// SetSize lays the content out for a box of width×height cells.
func (v txView) SetSize(width, height int) txView {
	v.width, v.height = width, height
	v.vp.Width, v.vp.Height = max(1, width-2), max(1, height-2)
	v.vp.SetContent(strings.Join(v.lines(width-2), "\n"))
	return v
}

// lines is the view's content for width cells.
func (v txView) lines(width int) []string {
	st, tx := v.st, v.tx
	wrap := lipgloss.NewStyle().Width(max(10, width-fieldHang))
	t := &text{st: st, width: width}
	t.title("Transaction", " (pending: the next block mined here takes it)")
	field := func(name, value string) {
		for i, l := range strings.Split(wrap.Render(blockchain.DisplayString(value)), "\n") {
			if i == 0 {
				t.field(name, l)
			} else {
				t.out = append(t.out, strings.Repeat(" ", fieldHang)+l)
			}
		}
	}
	field("author", tx.Author())
	received := tx.Received().In(v.now().Location())
	t.field("received", received.Format("2006-01-02 15:04:05 MST")+st.Dim.Render(" · "+common.Age(v.now(), received)+" ago"))
	t.field("length", common.Plural(int64(len([]rune(tx.Content()))), "character")+st.Dim.Render(" of content"))
	field("content", tx.Content())
	t.title("JSON", " (as it will go into the block)")
	if c, err := blockchain.AppendPython(nil, tx.Tx); err == nil {
		t.block(3, string(c), common.Style{})
	}
	return t.out
}

// View draws the transaction in its box.
func (v txView) View() string {
	footer := "y copy · d drop · esc back"
	if v.vp.TotalLineCount() > v.vp.Height {
		footer = "j/k scroll · " + footer
	}
	return v.st.Box("Pending transaction", footer, strings.Split(v.vp.View(), "\n"), v.width, v.height, true, false)
}

// openTx shows the selected pending transaction whole.
func (m Model) openTx() Model {
	if m.pending.Cursor < 0 || m.pending.Cursor >= len(m.pending.txs) {
		return m
	}
	m.txv = newTxView(m.st, m.pending.txs[m.pending.Cursor], m.opts.Now).SetSize(m.lay.middle.w, m.lay.middle.h)
	m.modes = m.modes.push(modeTx)
	return m
}

// txKey handles a key in the transaction view: it scrolls, y copies, d
// asks whether to drop the transaction; esc or enter returns to the panes.
func (m Model) txKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back, m.keys.Inspect):
		m.modes = m.modes.pop()
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Copy):
		m = m.openCopyTx(m.txv.tx)
	case key.Matches(k, m.keys.Drop):
		m = m.askDrop(m.txv.tx)
	case key.Matches(k, m.keys.Help):
		m.modes = m.modes.push(modeHelp)
	default:
		m.txv.vp, _ = scrollViewport(m.txv.vp, k, m.keys)
	}
	return m, nil
}
