package localnet

import (
	"fmt"
	"math"
)

// The double-spend race of the whitepaper (Nakamoto 2008, section 11),
// under the seed's rule that a node adopts only a strictly longer chain.
//
// The attacker, with share q of the hash power (p = 1 - q for the honest
// nodes), mines a private branch from the parent of the block holding the
// merchant's transaction, starting when the honest nodes start on that
// block. Each next block is the attacker's with probability q, whoever
// found the one before, so while the honest chain makes its z blocks (the
// transaction's block and z-1 on top: z confirmations) the attacker makes
// m blocks with the negative binomial probability C(m+z-1, m) p^z q^m.
// Behind by d = z - m it then gets strictly ahead (a lead of one) with
// probability (q/p)^(d+1), the gambler's ruin; with m > z it is ahead
// already.
//
// The whitepaper instead takes the attacker's progress as Poisson with
// mean z q/p (the expected count, not the distribution), and counts a tie
// as a catch-up ((q/p)^d): it suits a rule where ties are broken in the
// attacker's favour, and it is a different number.

// ValidateAttack checks a share and a number of confirmations.
func ValidateAttack(q float64, z int) error {
	if !(q > 0 && q < 0.5) {
		return fmt.Errorf("share %v: between 0 and 0.5 exclusive (with half the hash power or more the attacker wins with probability 1)", q)
	}
	if z < 1 || z > 1000 {
		return fmt.Errorf("confirmations %d: between 1 and 1000", z)
	}
	return nil
}

// negBinomial returns P(m) = C(m+z-1, m) p^z q^m for m = 0..z.
func negBinomial(q float64, z int) []float64 {
	p := 1 - q
	out := make([]float64, z+1)
	out[0] = math.Pow(p, float64(z))
	for m := 1; m <= z; m++ {
		out[m] = out[m-1] * q * float64(m+z-1) / float64(m)
	}
	return out
}

// attackOdds sums the race over the attacker's blocks m while the honest
// chain makes z, with catchUp(d) the chance to get ahead from d behind.
func attackOdds(q float64, z int, catchUp func(d int) float64) float64 {
	total, seen := 0.0, 0.0
	for m, pm := range negBinomial(q, z) {
		seen += pm
		total += pm * catchUp(z-m)
	}
	return total + (1 - seen) // m > z: ahead already
}

// AttackExact returns the probability that the attacker's branch ever
// becomes strictly longer than the honest chain once the merchant saw z
// confirmations, for an attacker that never gives up.
func AttackExact(q float64, z int) float64 {
	r := q / (1 - q)
	return attackOdds(q, z, func(d int) float64 { return math.Pow(r, float64(d+1)) })
}

// AttackWithGiveUp is AttackExact for an attacker that gives up once it
// is behind by behind blocks (behind > z): from d behind it gets ahead
// before falling that far back with probability
// (r^(d+1) - r^(behind+1)) / (1 - r^(behind+1)), r = q/p.
func AttackWithGiveUp(q float64, z, behind int) float64 {
	r := q / (1 - q)
	rk := math.Pow(r, float64(behind+1))
	return attackOdds(q, z, func(d int) float64 { return (math.Pow(r, float64(d+1)) - rk) / (1 - rk) })
}

// GiveUpBehind returns the smallest deficit (above z) at which giving up
// changes the attacker's chance by at most tolerance: from any deficit
// the difference is below r^(K+1) / (1 - r^(K+1)).
func GiveUpBehind(q float64, z int, tolerance float64) int {
	r := q / (1 - q)
	k := z + 1
	for rk := math.Pow(r, float64(k+1)); rk/(1-rk) > tolerance; rk *= r {
		k++
	}
	return k
}

// Nakamoto returns the whitepaper's figure: with lambda = z q/p,
// 1 - sum over k = 0..z of Poisson(k; lambda) (1 - (q/p)^(z-k)).
func Nakamoto(q float64, z int) float64 {
	p := 1 - q
	lambda := float64(z) * q / p
	sum := 1.0
	poisson := math.Exp(-lambda)
	for k := 0; k <= z; k++ {
		if k > 0 {
			poisson *= lambda / float64(k)
		}
		sum -= poisson * (1 - math.Pow(q/p, float64(z-k)))
	}
	return sum
}
