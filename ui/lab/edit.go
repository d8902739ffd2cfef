package lab

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// labFieldKind names what a field of the block editor changes.
type labFieldKind int

const (
	fieldAuthor labFieldKind = iota
	fieldContent
	fieldTimestamp
	fieldNonce
)

// labField is one editable field of a block: a transaction's author or
// content (tx is its position in the block), the timestamp or the nonce.
type labField struct {
	kind labFieldKind
	tx   int
}

func (f labField) label() string {
	switch f.kind {
	case fieldAuthor:
		return "author"
	case fieldContent:
		return "content"
	case fieldTimestamp:
		return "timestamp"
	}
	return "nonce"
}

// labEditor edits one sandbox block. Every change to a field is parsed and,
// when it is well formed, applied to the sandbox at once, so the hash and
// the verdicts follow the person's typing. Text fields hold escaped text
// (fieldtext.go), so that a value no key changed is applied unchanged.
type labEditor struct {
	index  int64
	base   *blockchain.Block // the block as the edit began, for the fields not shown
	fields []labField
	values []string
	focus  int
	input  textinput.Model
	err    string // why the focused text cannot be applied, or ""
}

// newLabEditor opens the editor on b with the first field focused. Only
// transactions that are objects with string author and content can be
// edited field by field; others are kept as they are.
func newLabEditor(b *blockchain.Block, st common.Styles) labEditor {
	e := labEditor{index: b.Index(), base: b, input: common.NewInput(st, "", "", 0)}
	for i, tx := range b.Transactions() {
		m, ok := tx.(map[string]any)
		if !ok {
			continue
		}
		if s, ok := m["author"].(string); ok {
			e.fields = append(e.fields, labField{kind: fieldAuthor, tx: i})
			e.values = append(e.values, common.EscapeField(s))
		}
		if s, ok := m["content"].(string); ok {
			e.fields = append(e.fields, labField{kind: fieldContent, tx: i})
			e.values = append(e.values, common.EscapeField(s))
		}
	}
	ts, err := blockchain.Canonical(b.Timestamp())
	if err != nil {
		ts = []byte(fmt.Sprint(b.Timestamp()))
	}
	e.fields = append(e.fields, labField{kind: fieldTimestamp}, labField{kind: fieldNonce})
	e.values = append(e.values, string(ts), strconv.FormatInt(b.Nonce(), 10))
	e.input.Focus()
	e.setFocus(0)
	return e
}

func (e *labEditor) setFocus(i int) {
	n := len(e.fields)
	e.focus = ((i % n) + n) % n
	e.input.SetValue(e.values[e.focus])
	e.input.Err = nil   // a failed paste belongs to the field it was made in
	e.input.CursorEnd() // SetValue keeps the cursor where it was when it can
	e.err = ""
}

// update passes a key, or the input's own message (a paste from the
// clipboard), to the focused field and reports whether its text changed.
func (e *labEditor) update(msg tea.Msg) (changed bool, cmd tea.Cmd) {
	e.input, cmd = e.input.Update(msg)
	if v := e.input.Value(); v != e.values[e.focus] {
		e.values[e.focus] = v
		return true, cmd
	}
	return false, cmd
}

// block builds the edited fields: transactions (copied, never the shared
// originals), timestamp and nonce. It fails, saying which field and why,
// when the text of the timestamp or the nonce is not a number.
func (e *labEditor) block() (txs []any, timestamp any, nonce int64, err error) {
	orig := e.base.Transactions()
	txs = make([]any, len(orig))
	copy(txs, orig)
	copied := map[int]map[string]any{}
	for i, f := range e.fields {
		switch f.kind {
		case fieldAuthor, fieldContent:
			m, ok := copied[f.tx]
			if !ok {
				src := orig[f.tx].(map[string]any)
				m = make(map[string]any, len(src))
				for k, v := range src {
					m[k] = v
				}
				copied[f.tx] = m
				txs[f.tx] = m
			}
			m[f.label()] = common.UnescapeField(e.values[i])
		case fieldTimestamp:
			v, derr := blockchain.Decode([]byte(strings.TrimSpace(e.values[i])))
			switch v.(type) {
			case float64, blockchain.Int:
				timestamp = v
			default:
				if derr == nil {
					derr = fmt.Errorf("it is not a number")
				}
				return nil, nil, 0, fmt.Errorf("timestamp must be a number (seconds since 1970): %w", derr)
			}
		case fieldNonce:
			n, perr := strconv.ParseInt(strings.TrimSpace(e.values[i]), 10, 64)
			if perr != nil || n < 0 {
				return nil, nil, 0, fmt.Errorf("nonce must be a whole number from 0 to %d", int64(1<<63-1))
			}
			nonce = n
		}
	}
	return txs, timestamp, nonce, nil
}
