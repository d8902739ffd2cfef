package main

import (
	"strings"
	"testing"

	"blockscope/internal/readme"
)

// TestReadmeNamesEveryFlag: the README's Flags table has a row for every
// flag of the terminal UI and of serve, and the row's default is the one
// the flag has.
func TestReadmeNamesEveryFlag(t *testing.T) {
	section := readme.Load(t, "README.md", "## Flags")
	for _, cmd := range []string{"", "serve"} {
		for _, f := range commandFlags(cmd) {
			row, ok := flagRow(section, f.Name)
			switch {
			case !ok:
				t.Errorf("README.md's Flags table has no row for --%s of %q (%q): add it with its default and meaning", f.Name, "blockscope "+cmd, f.Usage)
			case f.Default != "" && !strings.Contains(row[1], f.Default):
				t.Errorf("README.md's Flags table gives --%s the default %q; %q has %q", f.Name, row[1], "blockscope "+cmd, f.Default)
			}
		}
	}
}

// flagRow returns the cells of the table row that documents the flag: its
// first cell is `--name` alone or with its value (`--data-dir DIR`).
func flagRow(section, name string) ([]string, bool) {
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) < 3 {
			continue
		}
		if first := strings.Trim(cells[0], "`"); first == "--"+name || strings.HasPrefix(first, "--"+name+" ") {
			return cells, true
		}
	}
	return nil, false
}
