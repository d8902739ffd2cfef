package ui

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
)

// rawBytes shows a block's hashed bytes outside the screen: Bubble Tea
// hands the terminal back (tea.Exec), and the bytes are printed on one
// line into the terminal's own buffer. The terminal wraps that line
// softly, so a selection of it copies the bytes whole, with none of the
// borders or breaks the inspector's box adds; enter returns to the screen.
// It is a tea.ExecCommand: Run is called once, on Bubble Tea's goroutine,
// with the terminal released.
type rawBytes struct {
	index    int64
	preimage []byte
	hash     string
	in       io.Reader
	out      io.Writer
}

// newRawBytes is the raw view of block b.
func newRawBytes(b *blockchain.Block) *rawBytes {
	return &rawBytes{index: b.Index(), preimage: b.Preimage(), hash: b.Hash()}
}

func (r *rawBytes) SetStdin(in io.Reader)   { r.in = in }
func (r *rawBytes) SetStdout(out io.Writer) { r.out = out }
func (r *rawBytes) SetStderr(io.Writer)     {}

// Run prints the bytes and waits for enter (or the end of the input).
func (r *rawBytes) Run() error {
	if r.out == nil || r.in == nil {
		return fmt.Errorf("the raw view of block #%d has no terminal", r.index)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nBlock #%d: the %d bytes that are hashed, on one line. The terminal wraps it; a selection of it copies it whole.\n\n", r.index, len(r.preimage))
	b.Write(r.preimage)
	fmt.Fprintf(&b, "\n\nSHA-256 of that line: %s\n\nPress enter to return to blockscope. ", r.hash)
	if _, err := io.WriteString(r.out, b.String()); err != nil {
		return fmt.Errorf("raw view of block #%d: %w", r.index, err)
	}
	if _, err := bufio.NewReader(r.in).ReadString('\n'); err != nil && err != io.EOF {
		return fmt.Errorf("raw view of block #%d: %w", r.index, err)
	}
	return nil
}

// rawShownMsg says the raw view returned; err is why it could not show.
type rawShownMsg struct{ err error }

// showRaw leaves the screen for the raw view of b.
func showRaw(b *blockchain.Block) tea.Cmd {
	return tea.Exec(newRawBytes(b), func(err error) tea.Msg { return rawShownMsg{err} })
}
