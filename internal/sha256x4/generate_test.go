package sha256x4

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedAssemblyIsCurrent runs gen_blocks.go in a scratch directory
// and compares what it writes with blocks_amd64.s, so that neither can
// change without the other.
func TestGeneratedAssemblyIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run the generator with")
	}
	const gen, asm = "gen_blocks.go", "blocks_amd64.s"
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
		t.Errorf("%s differs from what %s writes: run go generate ./internal/sha256x4", asm, gen)
	}
}
