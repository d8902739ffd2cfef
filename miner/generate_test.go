package miner

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedAssemblyIsCurrent runs every kernel generator in a scratch
// directory and compares what it writes with the assembly in the package,
// so that neither can change without the other.
func TestGeneratedAssemblyIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs four generators")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run the generators with")
	}
	for gen, asm := range map[string]string{
		"gen_sha256block.go": "sha256block_amd64.s",
		"gen_sha256x16.go":   "sha256x16_amd64.s",
		"gen_sha256x8.go":    "sha256x8_amd64.s",
		"gen_sha256arm64.go": "sha256block_arm64.s",
	} {
		t.Run(gen, func(t *testing.T) {
			t.Parallel()
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
				t.Errorf("%s differs from what %s writes: run go generate ./miner", asm, gen)
			}
		})
	}
}
