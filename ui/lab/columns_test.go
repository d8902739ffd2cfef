package lab

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// blockRow is a row of the lab's chain box: the border, the selection
// marker or blanks, then the block's index.
var blockRow = regexp.MustCompile(`^[│┃] (›| ) #[0-9]`)

// TestLabVerdictColumn checks that a nonce of any length (here one of 19
// digits typed into the editor) does not push its block's verdict out of
// the column every other block's verdict starts in, at the sizes a
// newcomer tried.
func TestLabVerdictColumn(t *testing.T) {
	const long = "1234567890123456789"
	for _, size := range [][2]int{{80, 24}, {110, 34}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			l := newTestLab(t, demoChain(t), 1, nil, &testClock{now: labEpoch})
			l = l.SetSize(size[0], size[1])
			l = tamper(t, l, 5, long) // block 1's fields: author, content, author, content, timestamp, nonce
			l, _ = press(t, l, keyEnter)
			view := l.View()
			if !strings.Contains(view, long) {
				t.Fatalf("the editor box does not show the whole nonce:\n%s", view)
			}
			col := -1
			rows := 0
			for _, line := range strings.Split(view, "\n") {
				if !blockRow.MatchString(line) {
					continue
				}
				at := strings.IndexAny(line, "✓✗")
				c := ansi.StringWidth(line[:at])
				if col >= 0 && c != col {
					t.Errorf("a verdict starts at cell %d, another at %d:\n%s", c, col, view)
				}
				col = c
				rows++
			}
			if rows != 4 {
				t.Errorf("found %d block rows, want 4:\n%s", rows, view)
			}
			checkGolden(t, fmt.Sprintf("long_nonce_%dx%d", size[0], size[1]), view)
		})
	}
}
