package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
)

// requireShell returns the path of shell, skipping the test where it is
// not installed, except in CI (CI=true), which installs it.
func requireShell(t *testing.T, shell string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed; .ci/run installs it", shell)
		}
		t.Skipf("%s is not installed (apt-get install %s); CI runs this test", shell, shell)
	}
	return path
}

// completionScript writes `blockscope completion shell` to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"completion", shell}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("blockscope completion %s: exit %d: %s", shell, code, stderr.String())
	}
	path := filepath.Join(t.TempDir(), "blockscope."+shell)
	if err := os.WriteFile(path, stdout.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakePeers is a blockscope for the shells' PATH that only answers
// __complete-peers, with a fixed list (or, with --data-dir, that directory).
const fakePeers = `#!/bin/sh
if [ "$1" = __complete-peers ]; then
    if [ "$2" = --data-dir ]; then echo "http://dir$3/"; exit 0; fi
    printf 'http://127.0.0.1:5001/\nhttp://10.0.0.2:8000/\n'
fi
`

// shellEnv returns an environment whose PATH starts with a directory
// holding the fake blockscope.
func shellEnv(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "blockscope"), []byte(fakePeers), 0o755); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestBashCompletion(t *testing.T) {
	bash := requireShell(t, "bash")
	script := completionScript(t, "bash")
	// complete_at sets up what bash gives a completion function for the
	// line and prints the replies, one a line. COMP_WORDS is split as bash
	// splits it, at ':' and '=' too.
	harness := `source "$1" || exit 1
complete -p blockscope || exit 1
complete_at() {
    COMP_LINE=$1; COMP_POINT=${#1}
    eval "COMP_WORDS=($2)"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=(); _blockscope
    echo "$1 => ${COMPREPLY[*]}"
}
cd "$2"
complete_at 'blockscope se' 'blockscope se'
complete_at 'blockscope ' "blockscope ''"
complete_at 'blockscope serve --sy' 'blockscope serve --sy'
complete_at 'blockscope --pa' 'blockscope --pa'
complete_at 'blockscope --pace ' "blockscope --pace ''"
complete_at 'blockscope --pace=s' 'blockscope --pace = s'
complete_at 'blockscope --mem ' "blockscope --mem ''"
complete_at 'blockscope serve --peer ' "blockscope serve --peer ''"
complete_at 'blockscope serve --peer http://127' 'blockscope serve --peer http : //127'
complete_at 'blockscope --data-dir /x --peer ' "blockscope --data-dir /x --peer ''"
complete_at 'blockscope completion ' "blockscope completion ''"
complete_at 'blockscope verify ch' 'blockscope verify ch'
complete_at 'blockscope verify --timeout ' "blockscope verify --timeout ''"
complete_at 'blockscope net ' "blockscope net ''"
complete_at 'blockscope net attack --sh' 'blockscope net attack --sh'
`
	files := t.TempDir()
	if err := os.WriteFile(filepath.Join(files, "chain.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "-c", harness, "harness", script, files)
	cmd.Env = shellEnv(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	want := `complete -F _blockscope blockscope
blockscope se => serve
blockscope  => ` + strings.Join(subcommandNames(), " ") + `
blockscope serve --sy => --sync-interval
blockscope --pa => --pace
blockscope --pace  => unlimited 100 10 1 step
blockscope --pace=s => step
blockscope --mem  => 
blockscope serve --peer  => http://127.0.0.1:5001/ http://10.0.0.2:8000/
blockscope serve --peer http://127 => //127.0.0.1:5001/
blockscope --data-dir /x --peer  => http://dir/x/
blockscope completion  => bash zsh fish
blockscope verify ch => chain.json
blockscope verify --timeout  => 
blockscope net  => attack
blockscope net attack --sh => --share
`
	if string(out) != want {
		t.Errorf("bash completions:\n%s\nwant:\n%s", out, want)
	}
}

func TestZshCompletionParses(t *testing.T) {
	zsh := requireShell(t, "zsh")
	script := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	// Sourced, it registers itself with compdef (compinit's, stubbed here:
	// compinit itself takes seconds).
	out, err := exec.Command(zsh, "-f", "-c", `compdef() { print -r -- "compdef $*" }; source "$1" && whence -w _blockscope`, "zsh", script).CombinedOutput()
	if want := "compdef _blockscope blockscope\n_blockscope: function\n"; err != nil || string(out) != want {
		t.Fatalf("zsh: sourcing the script printed %q (%v), want %q", out, err, want)
	}
}

func TestFishCompletion(t *testing.T) {
	fish := requireShell(t, "fish")
	script := completionScript(t, "fish")
	if out, err := exec.Command(fish, "--no-execute", script).CombinedOutput(); err != nil {
		t.Fatalf("fish --no-execute: %v\n%s", err, out)
	}
	tests := []struct {
		line string
		want []string
	}{
		{"blockscope se", []string{"serve"}},
		{"blockscope serve --sy", []string{"--sync-interval"}},
		{"blockscope --pace ", []string{"unlimited", "step"}},
		{"blockscope serve --peer ", []string{"http://127.0.0.1:5001/", "http://10.0.0.2:8000/"}},
		{"blockscope completion ", []string{"bash", "zsh", "fish"}},
		{"blockscope net attack --sh", []string{"--share"}},
	}
	for _, tt := range tests {
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tt.line)
		cmd.Env = shellEnv(t)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish complete -C %q: %v\n%s", tt.line, err, out)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("fish completes %q to\n%s\nwant %q among them", tt.line, out, w)
			}
		}
	}
}

func TestCompletionUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 2 || stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("blockscope %v: exit %d, stdout %q, stderr %q; want exit 2 and a message", args, code, stdout.String(), stderr.String())
		}
	}
}

// TestCompletePeers runs the hidden command the scripts use: the stored
// peers, one a line; nothing at all, and no store created, when there is
// no store.
func TestCompletePeers(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	missing := filepath.Join(dir, "missing")
	if code := run([]string{completePeersCommand, "--data-dir", missing}, nil, &stdout, &stdout); code == 0 || stdout.Len() != 0 {
		t.Errorf("__complete-peers without a store: exit %d, output %q; want a failure and no output", code, stdout.String())
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("__complete-peers created %s", missing)
	}

	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetMeta("peers", []byte(`["http://127.0.0.1:5001/","http://10.0.0.2:8000/"]`)); err != nil {
		t.Fatal(err)
	}
	// While the store is open (as a running blockscope holds it), the
	// command gives up quickly and quietly.
	start := time.Now()
	stdout.Reset()
	if code := run([]string{completePeersCommand, "--data-dir", dir}, nil, &stdout, &stdout); code == 0 || stdout.Len() != 0 {
		t.Errorf("__complete-peers on a store in use: exit %d, output %q", code, stdout.String())
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("__complete-peers on a store in use took %s", waited)
	}
	store.Close()

	stdout.Reset()
	code := run([]string{completePeersCommand, "--data-dir", dir}, nil, &stdout, &stdout)
	if want := "http://127.0.0.1:5001/\nhttp://10.0.0.2:8000/\n"; code != 0 || stdout.String() != want {
		t.Errorf("__complete-peers = exit %d, %q; want %q", code, stdout.String(), want)
	}
}
