package localnet

import (
	"math"
	"testing"
)

// raceByDynamicProgramming computes the attacker's chance step by step
// over who finds each next block, independently of the closed forms: the
// state is (honest blocks, attacker blocks) until the honest chain has z,
// then the attacker's deficit, with giving up at behind.
func raceByDynamicProgramming(q float64, z, behind int) float64 {
	p := 1 - q
	// Phase two: win[d] for deficit d in -1..behind, by value iteration
	// (the walk is absorbing at both ends, so it converges).
	win := make([]float64, behind+2) // index d+1
	win[0] = 1
	for range 100000 {
		for d := 0; d < behind; d++ {
			win[d+1] = q*win[d] + p*win[d+2]
		}
	}
	// Phase one: at[m] is the chance of m attacker blocks so far with h
	// honest ones; when the honest chain makes its z-th, the race goes on
	// from the deficit z - m (the attacker is ahead when m > z).
	maxM := 50*z + 50
	at := make([]float64, maxM+1)
	at[0] = 1
	total := 0.0
	for h := 0; h < z; h++ {
		next := make([]float64, maxM+1)
		// Before the honest chain's next block the attacker finds k more
		// with chance q^k p.
		for m, pm := range at {
			w := pm * p
			for k := m; k <= maxM && w > 1e-18; k++ {
				next[k] += w
				w *= q
			}
		}
		at = next
	}
	for m, pm := range at {
		if d := z - m; d < 0 {
			total += pm
		} else {
			total += pm * win[d+1]
		}
	}
	return total
}

func TestAttackOdds(t *testing.T) {
	tests := []struct {
		q        float64
		z        int
		exact    float64 // under the seed's rule
		nakamoto float64 // the whitepaper's table, where it gives one
	}{
		{q: 0.3, z: 2, exact: 0.2329714, nakamoto: 0.4457171},
		{q: 0.1, z: 5, exact: 0.0003286, nakamoto: 0.0009137},
		{q: 0.3, z: 5, exact: 0.1117497, nakamoto: 0.1773523},
		{q: 0.1, z: 1, exact: 0.0311111, nakamoto: 0.2045873},
		{q: 0.3, z: 10, exact: 0.0376999, nakamoto: 0.0416605},
	}
	for _, tc := range tests {
		if got := AttackExact(tc.q, tc.z); math.Abs(got-tc.exact) > 5e-7 {
			t.Errorf("AttackExact(%v, %d) = %.7f, want %.7f", tc.q, tc.z, got, tc.exact)
		}
		if got := Nakamoto(tc.q, tc.z); math.Abs(got-tc.nakamoto) > 5e-7 {
			t.Errorf("Nakamoto(%v, %d) = %.7f, want %.7f", tc.q, tc.z, got, tc.nakamoto)
		}
		k := GiveUpBehind(tc.q, tc.z, DefaultGiveUpTolerance)
		cut := AttackWithGiveUp(tc.q, tc.z, k)
		if d := AttackExact(tc.q, tc.z) - cut; d < 0 || d > DefaultGiveUpTolerance {
			t.Errorf("giving up %d behind changes q=%v z=%d by %g, want 0..%g", k, tc.q, tc.z, d, DefaultGiveUpTolerance)
		}
		if dp := raceByDynamicProgramming(tc.q, tc.z, k); math.Abs(dp-cut) > 1e-6 {
			t.Errorf("q=%v z=%d: closed form %.7f, step by step %.7f", tc.q, tc.z, cut, dp)
		}
	}
}

func TestValidateAttack(t *testing.T) {
	tests := []struct {
		q  float64
		z  int
		ok bool
	}{
		{0.3, 2, true}, {0.49, 1, true}, {0.5, 2, false}, {0, 2, false}, {math.NaN(), 2, false}, {0.3, 0, false}, {0.3, 1001, false},
	}
	for _, tc := range tests {
		if err := ValidateAttack(tc.q, tc.z); (err == nil) != tc.ok {
			t.Errorf("ValidateAttack(%v, %d) = %v, want ok %v", tc.q, tc.z, err, tc.ok)
		}
	}
}
