package ui

import (
	"context"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// chainQuery is a parsed filter: "#12" is an index; otherwise the text
// matches an index, a hash prefix, or part of an author or content (case
// does not matter).
type chainQuery struct {
	text      string // lowercased
	index     int64  // the index asked for, or -1
	indexOnly bool   // "#12": nothing but the index
	hexPrefix bool   // text could be the start of a hash
}

func parseChainQuery(q string) chainQuery {
	q = strings.ToLower(strings.TrimSpace(q))
	cq := chainQuery{text: q, index: -1}
	if rest, ok := strings.CutPrefix(q, "#"); ok {
		cq.indexOnly = true
		if n, err := strconv.ParseInt(rest, 10, 64); err == nil {
			cq.index = n
		}
		return cq
	}
	if n, err := strconv.ParseInt(q, 10, 64); err == nil {
		cq.index = n
	}
	cq.hexPrefix = q != "" && len(q) <= 64 && strings.Trim(q, "0123456789abcdef") == ""
	return cq
}

// matches reports whether block b matches the query.
func (cq chainQuery) matches(b *blockchain.Block) bool {
	if cq.index >= 0 && b.Index() == cq.index {
		return true
	}
	if cq.indexOnly {
		return false
	}
	if cq.hexPrefix && strings.HasPrefix(b.Hash(), cq.text) {
		return true
	}
	for _, tx := range b.Transactions() {
		if containsFold(blockchain.TxAuthor(tx), cq.text) || containsFold(blockchain.TxContent(tx), cq.text) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lowercase needle, ignoring case.
func containsFold(s, needle string) bool {
	if s == "" {
		return false
	}
	return strings.Contains(strings.ToLower(s), needle)
}

// filterResultMsg carries the heights a filter scan matched, newest first.
type filterResultMsg struct {
	seq     uint64
	query   string
	matches []int64
}

// scanChain returns a command that matches query against the chain's
// blocks off the Update path, newest first, reading them in bounded chunks;
// a large chain takes a while to scan. It gives up, returning nothing, when
// ctx is done.
func scanChain(ctx context.Context, seq uint64, query string, chain *blockchain.Chain) tea.Cmd {
	const chunk = 4096
	return func() tea.Msg {
		cq := parseChainQuery(query)
		var matches []int64
		for hi := int64(chain.Len()); hi > 0; hi -= chunk {
			if ctx.Err() != nil {
				return nil
			}
			blocks, err := chain.Range(max(hi-chunk, 0), hi)
			if err != nil {
				break
			}
			for i := len(blocks) - 1; i >= 0; i-- {
				if cq.matches(blocks[i]) {
					matches = append(matches, blocks[i].Index())
				}
			}
		}
		return filterResultMsg{seq: seq, query: query, matches: matches}
	}
}

// filterKeys are the keys of the filter line.
type filterKeys struct {
	Apply, Clear key.Binding
}

func newFilterKeys() filterKeys {
	return filterKeys{
		Apply: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

func (k filterKeys) help() common.BindingsHelp { return common.BindingsHelp{k.Apply, k.Clear} }

// filterBar is the line where a filter is typed. The chain pane shows the
// result; each keystroke starts a new scan and older results are dropped.
type filterBar struct {
	input    textinput.Model
	seq      uint64 // the latest scan started
	scanning bool   // a scan is under way
	width    int
}

// SetSize sets the width of the line.
func (f filterBar) SetSize(width int) filterBar {
	f.width = width
	common.SetInputWidth(&f.input, max(10, width-30)+1)
	return f
}

func newFilterBar(st common.Styles) filterBar {
	return filterBar{input: common.NewInput(st, "/", "#index, hash prefix, author or content", 200)}
}

// Query is the text typed so far.
func (f filterBar) Query() string { return strings.TrimSpace(f.input.Value()) }

// Update passes keys, and the input's own messages (a paste from the
// clipboard), to the input.
func (f filterBar) Update(msg tea.Msg) (filterBar, tea.Cmd) {
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f, cmd
}

// View draws the filter line; count is the number of matches (-1 while
// none is known).
func (f filterBar) View(st common.Styles, count int) string {
	width := f.width
	note := ""
	switch {
	case f.input.Err != nil:
		// ctrl+v could not read the clipboard.
		note = st.Bad.Render("  ✗ nothing pasted: " + common.OneLine(f.input.Err.Error()))
	case f.scanning:
		note = st.Dim.Render("  scanning…")
	case count == 1:
		note = st.Dim.Render("  1 match")
	case count >= 0:
		note = st.Dim.Render("  " + common.GroupDigits(int64(count)) + " matches")
	}
	return common.Fit(" "+common.InputView(f.input)+note, width)
}

// scan starts a filter scan for the typed query.
func (m Model) scan() (Model, tea.Cmd) {
	q := m.filter.Query()
	if q == "" {
		m.filter.scanning = false
		m.filter.seq++
		m.chainP = m.chainP.ClearFilter()
		return m, nil
	}
	m.filter.seq++
	m.filter.scanning = true
	return m, scanChain(m.ctx, m.filter.seq, q, m.chain)
}

// filterKey handles a key while the filter line is typed in.
func (m Model) filterKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.flkeys.Clear):
		m.modes = m.modes.pop()
		m.filter.input.Blur()
		common.ClearInput(&m.filter.input)
		m.filter.seq++
		m.filter.scanning = false
		m.chainP = m.chainP.ClearFilter()
		return m, nil
	case key.Matches(k, m.flkeys.Apply):
		m.modes = m.modes.pop()
		m.filter.input.Blur()
		return m, nil
	}
	return m.filterInput(k)
}

// filterInput passes a key, or the input's own message, to the filter line
// and scans the chain again when the query changed.
func (m Model) filterInput(msg tea.Msg) (tea.Model, tea.Cmd) {
	before := m.filter.Query()
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if m.filter.Query() == before {
		return m, cmd
	}
	m, scan := m.scan()
	return m, tea.Batch(cmd, scan)
}
