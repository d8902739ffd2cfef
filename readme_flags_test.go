package main

import (
	"strings"
	"testing"

	"blockscope/internal/readme"
)

// TestReadmeNamesEveryFlag: the README's Flags table names every flag of
// the terminal UI and of serve.
func TestReadmeNamesEveryFlag(t *testing.T) {
	spans := readme.CodeSpans(readme.Load(t, "README.md", "## Flags"))
	for _, cmd := range []string{"", "serve"} {
		for _, f := range commandFlags(cmd) {
			if !namesFlag(spans, f.Name) {
				t.Errorf("README.md's Flags table does not name --%s of %q (%q): add it with its default and meaning", f.Name, "blockscope "+cmd, f.Usage)
			}
		}
	}
}

// namesFlag reports whether a code span is the flag, alone or with its
// value: `--mem`, `--data-dir DIR`.
func namesFlag(spans map[string]bool, name string) bool {
	for s := range spans {
		if s == "--"+name || strings.HasPrefix(s, "--"+name+" ") {
			return true
		}
	}
	return false
}
