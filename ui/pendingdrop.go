package ui

import (
	"errors"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// dropKeys answer the question d asks about a pending transaction.
type dropKeys struct {
	Yes, No key.Binding
}

func newDropKeys() dropKeys {
	return dropKeys{
		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "drop it")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "keep it")),
	}
}

func (k dropKeys) help() common.BindingsHelp { return common.BindingsHelp{k.Yes, k.No} }

// pendingDroppedMsg reports a drop made by the command dropPending.
type pendingDroppedMsg struct {
	tx  blockchain.PendingTx
	err error
}

// askDrop asks whether to drop tx from this node's pool (modeDrop). The
// answer is taken by dropKey.
func (m Model) askDrop(tx blockchain.PendingTx) Model {
	m.dropTx = tx
	m.modes = m.modes.push(modeDrop)
	return m
}

// dropKey answers the question: y drops the transaction off the Update path
// (the pool's store is written and synced), n or esc keeps it. The screen's
// own search holds until the drop is done, so that it cannot mine a
// template still holding the transaction; while a block it found is being
// stored, the drop waits for another d.
func (m Model) dropKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.dkeys.No):
		m.modes = m.modes.pop()
	case key.Matches(k, m.dkeys.Yes):
		m.modes = m.modes.pop()
		if m.mining.state == mineStoring {
			m.status = info("not dropped yet: a block mined here is being stored and may hold it; look again, then press d")
			return m, nil
		}
		c, tx := m.chain, m.dropTx
		m.mining.dropping++
		var hold tea.Cmd
		m, hold = m.mined(m.mining.Reconcile(len(m.pending.txs), false))
		m.status = info("dropping the transaction from " + txWho(tx) + "…")
		return m, tea.Batch(hold, func() tea.Msg {
			return pendingDroppedMsg{tx: tx, err: c.DropPending(tx)}
		})
	}
	return m, nil
}

// pendingDropped shows what the drop did, closes the transaction view when
// it showed that transaction (it is no longer pending either way, unless
// the drop failed on the disk), and lets mining go on with the pool as it
// is now.
func (m Model) pendingDropped(msg pendingDroppedMsg) (Model, tea.Cmd) {
	m.mining.dropping = max(0, m.mining.dropping-1)
	who := txWho(msg.tx)
	var np *blockchain.NotPendingError
	switch {
	case msg.err == nil:
		m.status = info("dropped from this node's pool for good: the transaction from " + who)
	case errors.As(msg.err, &np) && np.Block >= 0:
		m.status = info("not dropped: block #" + strconv.FormatInt(np.Block, 10) + " took the transaction from " + who + " first")
	case errors.As(msg.err, &np) && np.Copies > 0:
		m.status = info("not dropped: the pool changed under the transaction from " + who + " (a copy is pending again); pick it again")
	case errors.As(msg.err, &np):
		m.status = info("not dropped: the transaction from " + who + " is no longer pending")
	default:
		m.status = failure("could not drop the transaction from " + who + ": " + msg.err.Error())
	}
	if msg.err == nil || np != nil {
		if m.modes.top() == modeTx && m.txv.tx.Seq == msg.tx.Seq {
			m.modes = m.modes.pop()
		}
	}
	status := m.status
	m, cmd := m.reread()
	m.status = status // the drop is the news, whatever mining says
	if len(m.pending.txs) == 0 {
		m.mining.manual = false // the block m asked for has nothing left to hold
	}
	return m, cmd
}

// txWho names a transaction for the status line: its author and the start
// of its content.
func txWho(tx blockchain.PendingTx) string {
	return common.Clip(common.OneLine(tx.Author()), 24) + " (“" + common.Clip(common.OneLine(tx.Content()), 24) + "”)"
}

// dropView is the question's box.
func (m Model) dropView() string {
	st, tx := m.st, m.dropTx
	width := m.lay.form
	inner := width - 4
	lines := []string{
		"",
		" " + st.Label.Render("author   ") + common.Fit(common.OneLine(tx.Author()), inner-10),
		" " + st.Label.Render("content  ") + common.Fit(common.OneLine(tx.Content()), inner-10),
		" " + st.Label.Render("received ") + common.Age(m.opts.Now(), tx.Received()) + " ago",
		"",
		" Drop it from this node's pool for good? Peers that hold it",
		" keep it; no block mined here will take it.",
		"",
		" " + st.Key.Render("y") + " drop it · " + st.Key.Render("n") + " keep it",
		"",
	}
	return st.Modal("Drop a pending transaction", lines, width, len(lines)+2)
}

// selectedTx returns the transaction selected in the pending pane.
func (m Model) selectedTx() (blockchain.PendingTx, bool) {
	if m.pending.Cursor < 0 || m.pending.Cursor >= len(m.pending.txs) {
		return blockchain.PendingTx{}, false
	}
	return m.pending.txs[m.pending.Cursor], true
}
