package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVersionCommands(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("blockscope %v: exit %d, stderr %q", args, code, stderr.String())
		}
		got := stdout.String()
		for _, want := range []string{"blockscope (devel) ", runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH} {
			if !strings.Contains(got, want) {
				t.Errorf("blockscope %v = %q, want it to contain %q", args, got, want)
			}
		}
	}
	var stderr bytes.Buffer
	if code := run([]string{"version", "extra"}, nil, &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("blockscope version extra: exit %d, want 2", code)
	}
}

func TestVersionStamped(t *testing.T) {
	defer func(v, c, d string) { version, commit, commitDate = v, c, d }(version, commit, commitDate)
	version, commit, commitDate = "v1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-11-30T21:50:00Z"
	bi := readBuildInfo()
	bi.Go, bi.Platform = "go1.26.8", "linux/arm64"
	want := "blockscope v1.2.3 (commit 0123456789abcdef0123456789abcdef01234567, 2026-11-30T21:50:00Z) go1.26.8 linux/arm64"
	if got := bi.String(); got != want {
		t.Errorf("stamped version:\n got %s\nwant %s", got, want)
	}
	bi.Modified = true
	if got := bi.String(); !strings.Contains(got, "with uncommitted changes") {
		t.Errorf("modified build = %q, want it to say so", got)
	}
}

func TestIsRelease(t *testing.T) {
	tests := []struct {
		version string
		want    bool
	}{
		{"v1.2.3", true},
		{"v1.2.3-rc.1", true},
		{"v2.0.0+incompatible", true},
		{"", false},
		{"(devel)", false},
		{"v0.0.0-20261130215000-945de2786c50", false},
		{"v1.2.4-0.20261130215000-945de2786c50", false},
		{"v0.0.0-20261130215000-945de2786c50+dirty", false},
	}
	for _, tt := range tests {
		if got := isRelease(tt.version); got != tt.want {
			t.Errorf("isRelease(%q) = %v, want %v", tt.version, got, tt.want)
		}
	}
}

// TestInstallFromCloneNamesCommit clones this repository, runs go install
// in the clone as the README says, and checks that --version names the
// clone's commit.
func TestInstallFromCloneNamesCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program from a fresh clone")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	dir := t.TempDir()
	clone := filepath.Join(dir, "clone")
	gitRun(t, "", "clone", "--quiet", strings.TrimSpace(string(top)), clone)
	head := gitRun(t, clone, "rev-parse", "HEAD")

	bin := filepath.Join(dir, "bin")
	install := exec.Command("go", "install", ".")
	install.Dir = clone
	// Go's default, -buildvcs=auto, records the commit; a machine's go env
	// may turn that off, which is not what a fresh clone meets.
	install.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-buildvcs=auto")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install .: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(bin, "blockscope"), "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("blockscope --version: %v\n%s", err, out)
	}
	if want := "blockscope (devel) (commit " + head + ", "; !strings.HasPrefix(string(out), want) {
		t.Errorf("blockscope --version = %q, want it to start with %q", out, want)
	}
}

// gitRun runs git in dir and returns its trimmed output.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}
