package miner

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestCalibrationChoosesFastest: calibration measures every kernel this
// machine has, picks the fastest, and measures once per block count.
func TestCalibrationChoosesFastest(t *testing.T) {
	prefix, suffix := BenchBlock().NonceSplit()
	l, err := newLayout(prefix, suffix, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := calibrated(l)
	if len(c.rates) != len(kernels) {
		t.Fatalf("%d rates for %d kernels", len(c.rates), len(kernels))
	}
	for i, r := range c.rates {
		if r.Kernel != kernels[i].name || r.AttemptsPerSecond <= 0 {
			t.Errorf("rate %d: %+v", i, r)
		}
		if r.AttemptsPerSecond > c.rates[slices.IndexFunc(c.rates, func(r KernelRate) bool { return r.Kernel == c.best.name })].AttemptsPerSecond {
			t.Errorf("%s measured faster than the chosen %s: %+v", r.Kernel, c.best.name, c.rates)
		}
	}
	if again := calibrated(l); again != c {
		t.Error("a second search of the same block count measured again")
	}
}

// TestSearchNamesKernel: a search reports the kernel it was given, or the
// calibrated one, and refuses a kernel this machine does not have.
func TestSearchNamesKernel(t *testing.T) {
	tmpl := BenchBlock()
	for _, name := range append(Kernels(), "") {
		s, err := Start(context.Background(), tmpl, Config{Difficulty: 1, Workers: 1, Kernel: name})
		if err != nil {
			t.Fatal(err)
		}
		progressKernel := ""
		for ev := range s.Events() { // difficulty 1: found at once
			if p, ok := ev.(Progress); ok {
				progressKernel = p.Kernel
			}
		}
		if progressKernel != s.Kernel() {
			t.Errorf("Kernel %q: Progress says %q, the search %q", name, progressKernel, s.Kernel())
		}
		want := name
		if name == "" {
			l, _ := s.r.layout(1)
			want = calibrated(l).best.name
		}
		if s.Kernel() != want {
			t.Errorf("Kernel %q: search says %q, want %q", name, s.Kernel(), want)
		}
	}
	_, err := Start(context.Background(), tmpl, Config{Difficulty: 1, Kernel: "abacus"})
	if err == nil || !strings.Contains(err.Error(), "abacus") {
		t.Errorf("unknown kernel: %v", err)
	}
}
