package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestEveryCommandIsKnown checks that every command in the table is
// dispatched by run, listed in the usage, and makes its flags with
// newFlagSet, so that completion and the manual page see them.
func TestEveryCommandIsKnown(t *testing.T) {
	for _, c := range commands {
		first, _, _ := strings.Cut(c.name, " ")
		if !strings.Contains(usage, strings.TrimSpace("blockscope "+first+" ")) {
			t.Errorf("usage does not list %q", c.name)
		}
		if _, found := commandFlagSet(c.name); !found {
			t.Errorf("command %q makes no flag set with newFlagSet", c.name)
		}
	}
}

func TestCommandFlags(t *testing.T) {
	tests := []struct {
		command string
		want    []string // flag:value name ("" for a boolean, * for any)
	}{
		{"", []string{"data-dir:string", "mem:", "peer:value", "pace:*", "listen:string"}},
		{"serve", []string{"data-dir:string", "peer:value", "advertise:string", "sync-interval:duration"}},
		{"verify", []string{"difficulty:int", "timeout:duration"}},
		{"bench", []string{"json:", "seconds:seconds"}},
		{"net attack", []string{"share:*", "confirmations:*"}},
	}
	for _, tt := range tests {
		got := map[string]string{}
		for _, f := range commandFlags(tt.command) {
			got[f.Name] = f.ValueName
		}
		for _, w := range tt.want {
			name, valueName, _ := strings.Cut(w, ":")
			v, ok := got[name]
			if valueName == "*" && v != "" {
				continue
			}
			if !ok || v != valueName {
				t.Errorf("flags of %q: %s has value name %q (present %v), want %q", tt.command, name, v, ok, valueName)
			}
		}
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stdout for code 0, else in stderr
	}{
		{[]string{"help"}, 0, "Flags of the terminal UI"},
		{[]string{"help", "serve"}, 0, "-sync-interval"},
		{[]string{"help", "completion"}, 0, "fish"},
		{[]string{"help", "nope"}, 2, `"nope"`},
		{[]string{"help", "serve", "verify"}, 2, "want one of"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, nil, &stdout, &stderr)
		out := stdout.String()
		if tt.code != 0 {
			out = stderr.String()
		}
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("blockscope %v: exit %d, output %q; want exit %d and %q", tt.args, code, out, tt.code, tt.want)
		}
	}
	// help is -h, word for word.
	var help, dashH bytes.Buffer
	run([]string{"help"}, nil, &help, &help)
	run([]string{"-h"}, nil, &dashH, &dashH)
	if help.String() != dashH.String() {
		t.Errorf("blockscope help differs from blockscope -h:\n%s\n---\n%s", help.String(), dashH.String())
	}
}
