package ui

import (
	"bytes"
	"context"
	"encoding/hex"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// chainQuery is a parsed filter: "#12" is an index; otherwise the text
// matches an index (written as one: "0000" is not block 0), a hash prefix,
// a hash infix of at least minInfix digits, or part of an author or content
// (case does not matter).
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
	if n, err := strconv.ParseInt(q, 10, 64); err == nil && strconv.FormatInt(n, 10) == q {
		cq.index = n
	}
	cq.hexPrefix = q != "" && len(q) <= 64 && strings.Trim(q, "0123456789abcdef") == ""
	return cq
}

// matchKind is what of a block a filter matched, best first: the filter
// lists exact index matches first, then hash prefixes, then the rest.
type matchKind int

const (
	matchIndex matchKind = iota
	matchHashPrefix
	matchHashInfix
	matchText
	matchKinds
	noMatch matchKind = -1
)

// minInfix is the shortest hex text matched inside a hash: shorter runs
// turn up in most hashes and would bury the matches a person means.
const minInfix = 4

var matchNames = [matchKinds]string{"index", "hash prefix", "inside a hash", "author or content"}

// tag is the chain list's short word for what of block b the query
// matched as k: a text match says whether an author or a content held it.
func (cq chainQuery) tag(k matchKind, b *blockchain.Block) string {
	switch k {
	case matchIndex:
		return "index"
	case matchHashPrefix:
		return "hash"
	case matchHashInfix:
		return "in hash"
	case matchText:
		for _, tx := range b.Transactions() {
			if containsFold(blockchain.TxAuthor(tx), cq.text) {
				return "author"
			}
		}
		return "content"
	}
	return ""
}

// match reports what of the stored block sb the query matched, or
// noMatch. The index and the hash are read as stored; the block is decoded
// only when its bytes may hold the text (see mayHoldText), so that most
// blocks of a long chain are judged without decoding them.
func (cq chainQuery) match(sb *blockchain.StoredBlock) matchKind {
	if cq.index >= 0 && sb.Height == cq.index {
		return matchIndex
	}
	if cq.indexOnly {
		return noMatch
	}
	if cq.hexPrefix {
		var h [64]byte
		hex.Encode(h[:], sb.Hash[:])
		if bytes.HasPrefix(h[:], []byte(cq.text)) {
			return matchHashPrefix
		}
		if len(cq.text) >= minInfix && bytes.Contains(h[:], []byte(cq.text)) {
			return matchHashInfix
		}
	}
	if !mayHoldText(sb.Preimage, cq.text) {
		return noMatch
	}
	b, err := sb.Block()
	if err != nil {
		return noMatch
	}
	for _, tx := range b.Transactions() {
		if containsFold(blockchain.TxAuthor(tx), cq.text) || containsFold(blockchain.TxContent(tx), cq.text) {
			return matchText
		}
	}
	return noMatch
}

// mayHoldText reports whether a block's JSON bytes may hold a string that
// contains the lowercase needle, ignoring case; false means they cannot.
// It answers true unless it can be sure: when the needle is printable ASCII
// other than a quote or a backslash, a string containing it has those
// characters as they are in JSON text, and a character outside ASCII (raw,
// or written \uXXXX, which could also lower to ASCII as the Kelvin sign
// does) sends the block to the decoder.
func mayHoldText(raw []byte, needle string) bool {
	for i := 0; i < len(needle); i++ {
		if c := needle[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return true
		}
	}
	if bytes.Contains(raw, []byte(`\u`)) {
		return true
	}
	n := len(needle)
	for i := 0; i+n <= len(raw); i++ {
		if raw[i] >= 0x80 {
			return true
		}
		if asciiLower(raw[i]) == needle[0] && equalFoldASCII(raw[i:i+n], needle) {
			return true
		}
	}
	for _, c := range raw[max(len(raw)-n+1, 0):] {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII reports whether b, lowercased as ASCII, is lower.
func equalFoldASCII(b []byte, lower string) bool {
	for i := range b {
		if asciiLower(b[i]) != lower[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains the lowercase needle, ignoring case.
func containsFold(s, needle string) bool {
	if s == "" {
		return false
	}
	return strings.Contains(strings.ToLower(s), needle)
}

// filterResultMsg carries the heights a filter scan matched: the best
// kind of match first, newest first within a kind.
type filterResultMsg struct {
	seq     uint64
	query   string
	matches []int64
	counts  [matchKinds]int // how many matched each way
}

// summary says how the matches matched, best kind first: "1 index · 3
// author or content".
func (r filterResultMsg) summary() string {
	var parts []string
	for k, n := range r.counts {
		if n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+matchNames[k])
		}
	}
	return strings.Join(parts, " · ")
}

// filterSearch is one filter scan under way: how far it has come, and how
// to stop it. The scan counts the blocks it has searched; Update copies the
// count on a progress tick (filterBar.searched) for View to draw.
type filterSearch struct {
	searched atomic.Int64
	total    int64 // the chain's length when the scan began
	cancel   context.CancelFunc
}

// scanChain returns a command that matches query against the chain's
// blocks off the Update path, newest first, reading them in bounded chunks
// and counting them in search; a large chain takes a while to scan. It
// gives up, returning nothing, when ctx is done.
func scanChain(ctx context.Context, seq uint64, query string, chain *blockchain.Chain, search *filterSearch) tea.Cmd {
	const chunk = 4096
	return func() tea.Msg {
		cq := parseChainQuery(query)
		var byKind [matchKinds][]int64
		for hi := int64(chain.Len()); hi > 0; hi -= chunk {
			if ctx.Err() != nil {
				return nil
			}
			lo := max(hi-chunk, 0)
			var found [matchKinds][]int64 // this chunk's, lowest first
			err := chain.Scan(lo, hi, func(sb *blockchain.StoredBlock) error {
				if k := cq.match(sb); k != noMatch {
					found[k] = append(found[k], sb.Height)
				}
				return nil
			})
			if err != nil {
				break
			}
			for k, hs := range found {
				for i := len(hs) - 1; i >= 0; i-- {
					byKind[k] = append(byKind[k], hs[i])
				}
			}
			search.searched.Add(hi - lo)
		}
		msg := filterResultMsg{seq: seq, query: query}
		for k, hs := range byKind {
			msg.counts[k] = len(hs)
			msg.matches = append(msg.matches, hs...)
		}
		return msg
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
	seq      uint64        // the latest scan started
	scanning bool          // a scan is under way
	search   *filterSearch // that scan, while it runs
	searched int64         // the blocks it had searched at the last tick
	summary  string        // how the last scan's matches matched
	width    int
}

// stop stops the scan under way, if any, and forgets it.
func (f filterBar) stop() filterBar {
	if f.search != nil {
		f.search.cancel()
	}
	f.search, f.searched, f.scanning = nil, 0, false
	return f
}

// SetSize sets the width of the line.
func (f filterBar) SetSize(width int) filterBar {
	f.width = width
	common.SetInputWidth(&f.input, max(10, width-30)+1)
	return f
}

func newFilterBar(st common.Styles) filterBar {
	return filterBar{input: common.NewInput(st, "/", "#index, hash (prefix or part), author or content", 200)}
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
	case f.scanning && f.search != nil:
		note = st.Dim.Render("  searching " + common.GroupDigits(f.searched) + "/" + common.GroupDigits(f.search.total) + " … esc cancels")
	case f.scanning:
		note = st.Dim.Render("  scanning…")
	case count == 1:
		note = st.Dim.Render("  1 match: " + f.summary)
	case count > 0:
		note = st.Dim.Render("  " + common.GroupDigits(int64(count)) + " matches: " + f.summary)
	case count == 0:
		note = st.Dim.Render("  no match")
	}
	return common.Fit(" "+common.InputView(f.input)+note, width)
}

// scan starts a filter scan for the typed query.
func (m Model) scan() (Model, tea.Cmd) {
	q := m.filter.Query()
	m.filter = m.filter.stop()
	m.filter.seq++
	if q == "" {
		m.chainP = m.chainP.ClearFilter()
		return m, nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	search := &filterSearch{total: int64(m.chain.Len()), cancel: cancel}
	m.filter.scanning, m.filter.search = true, search
	m, tick := m.armProgress()
	return m, tea.Batch(scanChain(ctx, m.filter.seq, q, m.chain, search), tick)
}

// filterKey handles a key while the filter line is typed in.
func (m Model) filterKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.flkeys.Clear):
		m.modes = m.modes.pop()
		m.filter.input.Blur()
		common.ClearInput(&m.filter.input)
		m.filter = m.filter.stop()
		m.filter.seq++
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
