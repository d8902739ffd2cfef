package blockchain

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestChecksFromMatchesChecks makes random edits, re-mines and extensions
// and checks after each that the incremental verdicts equal a full pass.
func TestChecksFromMatchesChecks(t *testing.T) {
	real := threeBlockChain(t)
	s := NewSandbox(allBlocks(real), real.Difficulty())
	checks := s.Checks()
	rng := rand.New(rand.NewPCG(1, 2))
	for step := 0; step < 60; step++ {
		var from int64
		switch op := rng.IntN(3); {
		case op == 0 || s.FirstInvalid() < 0 && op == 1:
			from = 1 + rng.Int64N(int64(s.Len()-1))
			b := s.Block(from)
			if err := s.Edit(from, b.Transactions(), b.Timestamp(), rng.Int64N(1000)); err != nil {
				t.Fatal(err)
			}
		case op == 1:
			tmpl, err := s.TemplateAt(s.FirstInvalid())
			if err != nil {
				t.Fatalf("template at %d: %v", s.FirstInvalid(), err)
			}
			mined, err := Mine(context.Background(), tmpl, 2)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Remined(mined, 1); err != nil {
				t.Fatal(err)
			}
			from = mined.Index()
		default:
			if s.FirstInvalid() >= 0 || s.Len() > 8 {
				continue
			}
			from = int64(s.Len())
			tmpl, _ := NewBlock(from, nil, 1764000100.5, s.Block(from-1).Hash(), 0)
			mined, err := Mine(context.Background(), tmpl, 2)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ExtendWith(mined, 1); err != nil {
				t.Fatal(err)
			}
		}
		checks = s.ChecksFrom(checks, from)
		if want := s.Checks(); !reflect.DeepEqual(checks, want) {
			t.Fatalf("step %d (change at %d): ChecksFrom %+v, Checks %+v", step, from, checks, want)
		}
		first := s.FirstInvalid()
		if want := firstInvalidOf(checks); first != want {
			t.Fatalf("step %d: FirstInvalid %d, the checks say %d", step, first, want)
		}
		for _, realLen := range []int{3, s.Len(), s.Len() + 1} {
			honest := make([]*Block, realLen)
			fc := s.Compare(honest, first)
			want := ForkAdopted
			switch {
			case first >= 0:
				want = ForkInvalid
			case s.Len() <= realLen:
				want = ForkNotLonger
			}
			if fc.Verdict != want || fc.Valid() != (first < 0) {
				t.Fatalf("step %d: %d blocks against %d, first invalid %d: %+v, want %v", step, s.Len(), realLen, first, fc, want)
			}
		}
	}
}

func TestTemplateAtOutOfRange(t *testing.T) {
	s := NewSandbox(allBlocks(threeBlockChain(t)), 2)
	if _, err := s.TemplateAt(0); !errors.Is(err, ErrGenesisImmutable) {
		t.Errorf("TemplateAt(0): %v", err)
	}
	for _, i := range []int64{-1, 4} {
		if _, err := s.TemplateAt(i); err == nil {
			t.Errorf("TemplateAt(%d) gave no error", i)
		}
	}
}

func TestChecksFromFallsBack(t *testing.T) {
	real := threeBlockChain(t)
	s := NewSandbox(allBlocks(real), real.Difficulty())
	want := s.Checks()
	for _, tc := range []struct {
		name string
		prev []BlockCheck
		from int64
	}{
		{"no previous verdicts, from the genesis", nil, 0},
		{"from beyond the previous verdicts", want[:1], 3},
		{"negative height", want, -1},
		{"more verdicts than blocks", append(append([]BlockCheck(nil), want...), BlockCheck{}), 1},
	} {
		if got := s.ChecksFrom(tc.prev, tc.from); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, want)
		}
	}
}

// firstInvalidOf is the first height whose check fails, -1 for none.
func firstInvalidOf(checks []BlockCheck) int64 {
	for i, c := range checks {
		if !c.Valid() {
			return int64(i)
		}
	}
	return -1
}
