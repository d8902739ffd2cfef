package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"blockscope/miner"
)

// qemuARM64 returns the path of qemu's arm64 user-mode emulator. Where it
// is missing the test is skipped, except in CI (CI=true), where it fails:
// CI installs qemu-user-static.
func qemuARM64(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"qemu-aarch64-static", "qemu-aarch64"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("qemu-aarch64-static is required in CI for the arm64 kernel's tests")
	}
	t.Skip("qemu-aarch64-static not found (apt-get install qemu-user-static): the arm64 kernel is not tested")
	return ""
}

// crossBuild runs the go command with args for linux/arm64.
func crossBuild(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
}

// TestARM64KernelUnderQEMU cross-compiles the miner's tests and blockscope
// for arm64 and runs them under qemu, which emulates the ARMv8 SHA-2
// instructions: the SHA-2 kernel must be there, agree with crypto/sha256
// around every padding edge, find the seed's nonces on one and several
// workers, and bench with it must hash the bench block exactly as this
// build does.
func TestARM64KernelUnderQEMU(t *testing.T) {
	if runtime.GOARCH == "arm64" {
		t.Skip("on arm64 the miner's own tests run the kernel natively")
	}
	qemu := qemuARM64(t)
	dir := t.TempDir()
	minerTest, bin := filepath.Join(dir, "miner.test"), filepath.Join(dir, "blockscope")
	crossBuild(t, "test", "-c", "-o", minerTest, "./miner")
	crossBuild(t, "build", "-o", bin, ".")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, minerTest, "-test.short", "-test.count=1",
		"-test.run", "^(TestWantedKernelPresent|TestKernelsMatchCryptoSHA256|TestOneWorkerReproducesSeed|TestManyWorkersFindSmallestNonce|TestScanDoesNotAllocate)$")
	cmd.Dir = "miner" // the tests read ../../shared/vectors
	cmd.Env = append(os.Environ(), "BLOCKSCOPE_WANT_KERNEL="+miner.KernelARM64)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("arm64 miner tests under qemu: %v\n%s", err, out)
	}

	out, err := exec.CommandContext(ctx, qemu, bin, "bench", "--json", "--attempts", "4000", "--workers", "2", "--kernel", miner.KernelARM64).Output()
	if err != nil {
		t.Fatalf("arm64 bench under qemu: %v", err)
	}
	var got benchJSON
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&got); err != nil {
		t.Fatalf("arm64 bench --json: %v\n%s", err, out)
	}
	want, err := miner.Bench(ctx, miner.BenchConfig{Workers: 1, Attempts: 4000})
	if err != nil {
		t.Fatal(err)
	}
	if got.Hasher != miner.KernelARM64 || got.Attempts != 4000 {
		t.Errorf("arm64 bench used %q for %d attempts: %s", got.Hasher, got.Attempts, out)
	}
	if got.CheckNonce != want.CheckNonce || got.CheckHash != want.CheckHash || got.NonceZeroHash != want.NonceZeroHash {
		t.Errorf("arm64 bench found nonce %d hash %s (nonce 0: %s); %s here found %d %s (%s)",
			got.CheckNonce, got.CheckHash, got.NonceZeroHash, want.Hasher, want.CheckNonce, want.CheckHash, want.NonceZeroHash)
	}
}
