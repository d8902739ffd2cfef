package ui

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/node"
)

// paste is a bracketed paste of text, as Bubble Tea v1 delivers it.
func paste(text string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true}
}

// TestFormKeepsPastedText: pasted text keeps its tabs, lines and control
// characters, shown escaped in the field and read back into the
// transaction; a pasted tab never moves to the next field. \n typed by
// hand is a new line too, and nothing is cut at a length in characters.
func TestFormKeepsPastedText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		field int
		msg   tea.Msg
		shown string
		value string
	}{
		{"paste of several lines and a tab", 1, paste("pay bob\n5\ttoday"), `pay bob\n5\ttoday`, "pay bob\n5\ttoday"},
		{"paste that is only a tab", 1, paste("\t"), `\t`, "\t"},
		{"paste of lines a terminal sent as returns", 1, paste("a\rb\r\nc"), `a\nb\nc`, "a\nb\nc"},
		{"paste of control characters", 1, paste("a\x07b\x1bc"), `a\u0007b\u001bc`, "a\x07b\x1bc"},
		{"paste of a backslash", 1, paste(`C:\new`), `C:\\new`, `C:\new`},
		{"ctrl+v of a tab", 1, formPasteMsg{text: "x\ty"}, `x\ty`, "x\ty"},
		{"long author", 0, paste(strings.Repeat("ab", 1500)), strings.Repeat("ab", 1500), strings.Repeat("ab", 1500)},
		{"typed \\n", 1, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(`a\nb`)}, `a\nb`, "a\nb"},
		{"space", 1, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}, " ", " "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.keys("n")
			for i := 0; i < tc.field; i++ {
				h.keys("tab")
			}
			h.send(tc.msg)
			if h.m.form.focus != tc.field {
				t.Fatalf("focus moved to field %d", h.m.form.focus)
			}
			if got := h.m.form.fields[tc.field].Value(); got != tc.shown {
				t.Errorf("field %d shows %q, want %q", tc.field, got, tc.shown)
			}
			if got := h.m.form.Value()[formFields[tc.field]]; got != tc.value {
				t.Errorf("the transaction's %s is %q, want %q", formFields[tc.field], got, tc.value)
			}
		})
	}
}

// TestFormPastedTabReachesThePool: a transaction pasted with a tab and a
// line is stored with them, byte for byte.
func TestFormPastedTabReachesThePool(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("n", "alice", "tab")
	h.send(paste("col1\tcol2\nrow2"))
	h.keys("enter")
	h.until("stored", func(m Model) bool { return len(m.chain.Pending()) == 1 })
	if got := h.chain.Pending()[0].Content(); got != "col1\tcol2\nrow2" {
		t.Fatalf("stored content %q", got)
	}
}

// formBody is the JSON body of a transaction whose content is n bytes.
func formBody(t *testing.T, contentBytes int) map[string]any {
	t.Helper()
	return map[string]any{"author": "alice", "content": strings.Repeat("x", contentBytes)}
}

// TestFormLimitIsTheAPIs: the form takes a transaction exactly when the
// node's API takes it as a request body: the counter shows the bytes
// against the same limit, at the limit it is stored, one byte over it is
// refused with the reason, and the API answers 201 and 413 to the same two
// bodies.
func TestFormLimitIsTheAPIs(t *testing.T) {
	overhead := len(mustCanonical(t, formBody(t, 0)))
	api, err := node.New(blockchain.NewMemoryChain(blockchain.ChainOptions{}), nil, node.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		bytes   int
		stored  bool
		counter string
		status  int
	}{
		{"at the limit", maxTxBytes, true, "1,048,542 characters · 1,048,576/1,048,576 bytes (API limit)", http.StatusCreated},
		{"one byte over", maxTxBytes + 1, false, "✗ 1,048,577/1,048,576 bytes: over the API's limit", http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := formBody(t, tc.bytes-overhead)
			raw := mustCanonical(t, body)
			if len(raw) != tc.bytes {
				t.Fatalf("the body is %d bytes, want %d", len(raw), tc.bytes)
			}
			req := httptest.NewRequest("POST", "/new_transaction", bytes.NewReader(raw))
			req.Host = "localhost"
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			api.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("the API answers %d, want %d", rec.Code, tc.status)
			}

			h := newHarness(t, nil)
			h.keys("n", "alice", "tab")
			h.send(paste(body["content"].(string)))
			h.mustContain(tc.counter)
			h.keys("enter")
			if tc.stored {
				h.until("stored", func(m Model) bool { return len(m.chain.Pending()) == 1 })
				return
			}
			h.mustContain("New transaction", "content makes the transaction", "bytes of JSON; the API takes at most 1,048,576")
			if h.m.mining.storing != 0 || len(h.chain.Pending()) != 0 {
				t.Fatal("a transaction over the API's limit was sent to the pool")
			}
		})
	}
}

func mustCanonical(t *testing.T, v any) []byte {
	t.Helper()
	c, err := blockchain.Canonical(v)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFormErrorClearsOnEdit: the reason a submission was refused stays
// while the person moves between fields, and goes with the first edit.
func TestFormErrorClearsOnEdit(t *testing.T) {
	const refused = "author must not be empty"
	for _, tc := range []struct {
		name  string
		keys  []string
		msg   tea.Msg
		stays bool
	}{
		{"typing", []string{"a"}, nil, false},
		{"a paste", nil, paste("alice"), false},
		{"backspace in the content", []string{"tab", "backspace"}, nil, false},
		{"moving between fields", []string{"tab", "shift+tab"}, nil, true},
		{"moving the cursor", []string{"left"}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.keys("n", "tab", "hello", "enter")
			h.mustContain(refused)
			h.keys(tc.keys...)
			if tc.msg != nil {
				h.send(tc.msg)
			}
			if got := strings.Contains(h.view(), refused); got != tc.stays {
				t.Fatalf("after %v the error shows: %v, want %v\n%s", tc.keys, got, tc.stays, h.view())
			}
		})
	}
}

// TestFormClipboardFailureShows: a ctrl+v that could not read the
// clipboard says so in the form, and pastes nothing.
func TestFormClipboardFailureShows(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("n")
	h.send(formPasteMsg{err: errors.New("no clipboard tool found")})
	h.mustContain("nothing pasted: no clipboard tool found")
	if v := h.m.form.fields[0].Value(); v != "" {
		t.Fatalf("the field holds %q", v)
	}
}
