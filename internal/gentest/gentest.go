// Package gentest holds what the tests of packages with generated
// assembly share: a check that the assembly is what its generator writes.
package gentest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// AssemblyIsCurrent runs the generator gen (a `go run` program in the
// test's package directory) in a scratch directory and fails t when the
// file asm it writes differs from the package's own, so that neither can
// change without the other. pkg names the package for the message.
func AssemblyIsCurrent(t *testing.T, pkg, gen, asm string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a generator")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run the generator with")
	}
	dir := t.TempDir()
	src, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, gen), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "run", gen)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run %s: %v\n%s", gen, err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, asm))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(asm)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what %s writes: run go generate %s", asm, gen, pkg)
	}
}
