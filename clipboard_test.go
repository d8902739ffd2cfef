package main

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// TestTerminalClipboardWritesOSC52: the text reaches the terminal as one
// OSC 52 sequence holding it in base64, whether or not a system clipboard
// exists on this machine.
func TestTerminalClipboardWritesOSC52(t *testing.T) {
	var out bytes.Buffer
	text := `printf '%s' '{"index": 0}' | sha256sum`
	if err := terminalClipboard(&out)(text); err != nil {
		t.Fatal(err)
	}
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
	if got := out.String(); !strings.Contains(got, want) {
		t.Fatalf("wrote %q, want the sequence %q", got, want)
	}
}
