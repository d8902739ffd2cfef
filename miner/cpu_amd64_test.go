//go:build amd64 && !purego

package miner

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestCPUFeaturesMatchKernel checks the CPUID reading that registers the
// assembly kernels against what Linux says the CPU has (the flags line of
// /proc/cpuinfo), so that a kernel is neither missing on a CPU that has its
// instructions nor offered on one that lacks them.
func TestCPUFeaturesMatchKernel(t *testing.T) {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("no /proc/cpuinfo to compare with: %v", err)
	}
	var flags []string
	for line := range strings.Lines(string(data)) {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			flags = strings.Fields(value)
			break
		}
	}
	if flags == nil {
		t.Skip("/proc/cpuinfo has no flags line")
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if !slices.Contains(flags, n) {
				return false
			}
		}
		return true
	}
	for _, tc := range []struct {
		kernel string
		want   bool
	}{
		{KernelSHANI, has("sha_ni", "ssse3", "sse4_1")},
		{KernelAVX512, has("avx512f", "avx512bw")},
		{KernelAVX2, has("avx", "avx2")},
	} {
		if got := slices.Contains(Kernels(), tc.kernel); got != tc.want {
			t.Errorf("kernel %s offered: %v; /proc/cpuinfo's flags say %v", tc.kernel, got, tc.want)
		}
	}
}
