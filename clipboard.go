package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/atotto/clipboard"
	"github.com/aymanbagabas/go-osc52/v2"
)

// terminalClipboard returns the screen's Clipboard: it writes the text to
// the terminal as an OSC 52 sequence (which terminals, tmux with
// set-clipboard on and ssh sessions turn into a copy) and also to the
// system clipboard where one is reachable (xclip, wl-copy, pbcopy). The
// copy fails only when neither way could be tried. It is safe for
// concurrent use: out's writes are serialized here.
func terminalClipboard(out io.Writer) func(string) error {
	var mu sync.Mutex
	return func(text string) error {
		mu.Lock()
		_, oscErr := osc52.New(text).WriteTo(out)
		mu.Unlock()
		sysErr := clipboard.WriteAll(text)
		if oscErr != nil && sysErr != nil {
			return fmt.Errorf("the terminal: %w; the system clipboard: %w", oscErr, sysErr)
		}
		// One of the two took it. A terminal without OSC 52 support ignores
		// the sequence, which no program can detect.
		return nil
	}
}
