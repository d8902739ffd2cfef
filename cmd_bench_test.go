package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"blockscope/internal/cputime"
	"blockscope/miner"
)

func TestBenchJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	code := runBench([]string{"--json", "--attempts", "200000", "--workers", "1"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("--json printed something that is not one JSON object: %v\n%s", err, out.String())
	}
	for _, key := range []string{"attempts_per_second", "workers", "preimage_bytes", "compressions_per_attempt", "raw_compressions_per_second", "efficiency"} {
		if _, ok := got[key]; !ok {
			t.Errorf("missing key %q in %s", key, out.String())
		}
	}
	// The same block as seed_pow.py: 487 bytes, 8 compressions, the same nonce-0 hash.
	if got["preimage_bytes"] != 487.0 || got["compressions_per_attempt"] != 8.0 || got["workers"] != 1.0 {
		t.Errorf("not seed_pow.py's block or not 1 worker: %s", out.String())
	}
	if h, _ := got["nonce0_hash"].(string); !strings.HasPrefix(h, "a3b2bdc5") {
		t.Errorf("nonce 0 hash %q differs from seed_pow.py's", h)
	}
	if eff, _ := got["efficiency"].(float64); eff <= 0 {
		t.Errorf("efficiency %v", got["efficiency"])
	}
	if _, ok := cputime.Process(); ok {
		if cpu, _ := got["attempts_per_cpu_second"].(float64); cpu <= 0 {
			t.Errorf("no attempts_per_cpu_second where the platform reports CPU time: %s", out.String())
		}
	}
}

// TestBenchKernels forces each kernel this machine has: the report names
// it, lists every kernel's calibrated rate, and mines the same block.
func TestBenchKernels(t *testing.T) {
	for _, k := range miner.Kernels() {
		var out, errOut bytes.Buffer
		code := runBench([]string{"--json", "--attempts", "5000", "--workers", "1", "--kernel", k}, &out, &errOut)
		if code != 0 {
			t.Fatalf("--kernel %s: exit %d, stderr: %s", k, code, errOut.String())
		}
		var got struct {
			Hasher  string             `json:"hasher"`
			Rates   map[string]float64 `json:"kernel_attempts_per_second"`
			Nonce0  string             `json:"nonce0_hash"`
			Attempt uint64             `json:"attempts"`
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("--kernel %s: %v\n%s", k, err, out.String())
		}
		if got.Hasher != k || got.Attempt != 5000 || !strings.HasPrefix(got.Nonce0, "a3b2bdc5") {
			t.Errorf("--kernel %s: %s", k, out.String())
		}
		for _, name := range miner.Kernels() {
			if got.Rates[name] <= 0 {
				t.Errorf("--kernel %s: no calibrated rate for %s: %s", k, name, out.String())
			}
		}
	}
}

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--seconds", "0"}, "--seconds"},
		{[]string{"--workers", "-1"}, "--workers"},
		{[]string{"--attempts", "-5"}, "negative"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--no-such-flag"}, "not defined"},
		{[]string{"--kernel", "abacus"}, "not one of this machine's kernels"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if code := runBench(tt.args, &out, &errOut); code != 2 {
			t.Errorf("bench %v: exit %d, want 2", tt.args, code)
		}
		if !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("bench %v: stderr %q does not say %q", tt.args, errOut.String(), tt.want)
		}
	}
}

func TestRunHelpAndDispatch(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"help"}, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), "blockscope verify") {
		t.Fatalf("help: exit %d, %q", code, out.String())
	}
}
