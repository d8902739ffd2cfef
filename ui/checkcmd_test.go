package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// TestCheckCommandSurvivesACopy runs the copy-safe command the way a
// person's copy from the box delivers it: broken into the lines on screen,
// each with the box's borders and indentation around it. It must print the
// block's hash, and so must the plain command from the clipboard.
func TestCheckCommandSurvivesACopy(t *testing.T) {
	for _, tool := range []string{"sh", "tr", "base64", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	genesis := blockchain.Genesis()
	odd := []byte(`{"content": "it's 100% \"quoted\" \\ and\nbroken", "n": 1}`)
	for _, pre := range [][]byte{genesis.Preimage(), odd} {
		sum := sha256.Sum256(pre)
		want := hex.EncodeToString(sum[:])
		for _, width := range []int{12, 40, 97} {
			var boxed []string
			for _, l := range checkCommandLines(pre, width) {
				boxed = append(boxed, l+strings.Repeat(" ", 3)+"┃")
			}
			// The selection starts at the command, or at the border of its
			// first line (a selection of whole lines), and ends past the
			// border.
			for _, start := range []string{"", "┃   "} {
				if got := runSh(t, start+strings.Join(boxed, "\n┃   ")); got != want {
					t.Errorf("width %d, selection from %q: the copied command printed %q, want %q", width, start, got, want)
				}
			}
		}
		if got := runSh(t, checkCommand(pre)); got != want {
			t.Errorf("the plain command printed %q, want %q", got, want)
		}
	}
}

func runSh(t *testing.T, script string) string {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("sh -c %q: %v\n%s", script, err, out.String())
	}
	return strings.TrimSuffix(strings.TrimSpace(out.String()), "  -")
}
