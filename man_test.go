package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestManPage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"man"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("blockscope man: exit %d: %s", code, stderr.String())
	}
	page := stdout.String()
	// A blank line is a paragraph break in roff: the synopsis would come
	// apart.
	if strings.Contains(page, "\n\n") {
		t.Errorf("the manual page has a blank line:\n%s", page)
	}
	for _, c := range commands {
		if !strings.Contains(page, ".SS \""+roffText(c.synopsis())) {
			t.Errorf("the manual page has no section for %q", c.name)
		}
		for _, f := range commandFlags(c.name) {
			if !strings.Contains(page, ".B \\-\\-"+roffText(f.Name)) {
				t.Errorf("the manual page does not describe --%s of %q", f.Name, c.name)
			}
		}
	}
	// Where groff is installed, it reads the page without a warning.
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Log("groff is not installed: the page's roff is not checked")
		return
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
}

func TestRoffText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"--data-dir", `\-\-data\-dir`},
		{`a\b`, `a\eb`},
		{".starts with a dot", `\&.starts with a dot`},
		{"'quote", `\&'quote`},
		{"two\nlines", "two lines"},
	}
	for _, tt := range tests {
		if got := roffText(tt.in); got != tt.want {
			t.Errorf("roffText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
