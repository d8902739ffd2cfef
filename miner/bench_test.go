package miner

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"blockscope/internal/cputime"
)

// TestBenchFixedAttempts runs Bench for a fixed number of attempts and
// checks that its figures are consistent.
func TestBenchFixedAttempts(t *testing.T) {
	defer goleak.VerifyNone(t)
	res, err := Bench(context.Background(), BenchConfig{Workers: 2, Attempts: 50000})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 50000 || res.Workers != 2 {
		t.Fatalf("attempts %d workers %d", res.Attempts, res.Workers)
	}
	if res.PreimageBytes != 487 || res.CompressionsPerAttempt != 8 {
		t.Errorf("preimage %d bytes, %d compressions; seed_pow.py's block has 487 bytes, 8 compressions", res.PreimageBytes, res.CompressionsPerAttempt)
	}
	if res.NonceZeroHash != "a3b2bdc5ae97410500ff21dd4bbe461a5ca7731861ad4744de44da820409f927" {
		t.Errorf("nonce 0 hash %s", res.NonceZeroHash)
	}
	// The smallest nonce with 4 leading zeros, as seed_pow.py's loop finds it.
	if res.CheckNonce != 44437 || res.CheckHash != "0000bd0036f856aa736c124a2cd9303bc8630379128a59d92303051b71ec4bbb" {
		t.Errorf("check: nonce %d hash %s", res.CheckNonce, res.CheckHash)
	}
	if res.AttemptsPerSecond <= 0 || res.RawCompressionsPerSecond <= 0 || res.Efficiency <= 0 {
		t.Errorf("rates: %+v", res)
	}
	want := res.AttemptsPerSecond * 8 / res.RawCompressionsPerSecond
	if d := res.Efficiency - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("efficiency %v, want %v", res.Efficiency, want)
	}
	if got, want := res.ExpectedBlockTime(2), time.Duration(256/res.AttemptsPerSecond*float64(time.Second)); got != want {
		t.Errorf("expected time at difficulty 2: %v, want %v", got, want)
	}
	if _, ok := cputime.Process(); ok {
		if res.CPU <= 0 {
			t.Errorf("no CPU time measured where the platform reports it: %+v", res)
		}
		if got, want := res.AttemptsPerCPUSecond, 50000/res.CPU.Seconds(); got != want {
			t.Errorf("attempts per CPU-second %v, want %v", got, want)
		}
	}
}

func TestBenchRejectsBadConfig(t *testing.T) {
	for _, cfg := range []BenchConfig{{Workers: -1}, {Workers: MaxWorkers + 1}, {Duration: -time.Second}, {Attempts: -1}} {
		if _, err := Bench(context.Background(), cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

// TestBenchCancelled returns the context's error.
func TestBenchCancelled(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Bench(ctx, BenchConfig{Duration: time.Minute}); err != context.Canceled {
		t.Fatalf("cancelled bench: %v", err)
	}
}
