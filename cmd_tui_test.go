package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunTUIRefusesBeforeTheScreen: bad flags and a store that cannot be
// opened are reported plainly on stderr with the exit code, before the
// screen would take the terminal (nothing at all is written to stdout).
func TestRunTUIRefusesBeforeTheScreen(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"bad pace", []string{"--mem", "--pace", "fast"}, 2, `invalid value "fast" for flag -pace`},
		{"below the floor", []string{"--mem", "--difficulty", "1"}, 2, "--difficulty 1"},
		{"mem and data dir", []string{"--mem", "--data-dir", "x"}, 2, "exclude each other"},
		{"stray argument", []string{"--mem", "serv"}, 2, `unknown command "serv"`},
		{"unknown flag", []string{"--colour"}, 2, "flag provided but not defined"},
		{"lab with a data dir", []string{"--lab", "--data-dir", "x"}, 2, "throwaway chain"},
		{"data dir is a file", []string{"--data-dir", file, "--listen", "off"}, 1, "blockscope: "},
		{"help", []string{"-h"}, 0, "Flags of the terminal UI"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runTUI(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.wantErr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout got %q: the screen must not start", stdout.String())
			}
		})
	}
}

func TestListenAPI(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		addr   string
		listen bool
		err    string // "" for none
	}{
		{"off", false, ""},
		{"", false, ""},
		{busy.Addr().String(), false, "address already in use"},
		{"127.0.0.1:0", true, ""},
		{"nonsense", false, "listen on nonsense"},
	} {
		ln, err := listenAPI(tc.addr)
		if (ln != nil) != tc.listen || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("listenAPI(%q) = listening %v, %v; want listening %v, error %q", tc.addr, ln != nil, err, tc.listen, tc.err)
		}
		if ln != nil {
			if !isLoopback(ln.Addr()) {
				t.Errorf("%s is not seen as loopback", ln.Addr())
			}
			ln.Close()
		}
	}
}

func TestDisplayPath(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	for _, tc := range []struct{ in, want string }{
		{filepath.Join(home, ".local", "share", "blockscope", "chain.db"), "~/.local/share/blockscope/chain.db"},
		{"/srv/chain.db", "/srv/chain.db"},
		{"", ""},
		{home + "x/chain.db", home + "x/chain.db"},
	} {
		if got := displayPath(tc.in); got != tc.want {
			t.Errorf("displayPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
