package ui

import (
	"math"
	"testing"
	"time"

	"blockscope/miner"
	"blockscope/ui/common"
)

func TestGroupDigits(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-1234, "-1,234"},
		{math.MaxInt64, "9,223,372,036,854,775,807"}, {math.MinInt64, "-9223372036854775808"},
	} {
		if got := common.GroupDigits(tc.n); got != tc.want {
			t.Errorf("common.GroupDigits(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestCountsAndRates(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{common.SICount(999), "999"},
		{common.SICount(1240), "1.24 k"},
		{common.SICount(1.048576e6), "1.05 M"},
		{common.SICount(268435456), "268 M"},
		{common.SICount(4.29e9), "4.29 G"},
		{common.HashRate(12), "12 H/s"},
		{common.HashRate(5.91e6), "5.91 MH/s"},
		{common.Seconds(3 * time.Millisecond), "0.003 s"},
		{common.Seconds(400 * time.Microsecond), "<0.001 s"},
		{common.Seconds(480 * time.Millisecond), "0.48 s"},
		{common.Seconds(73 * time.Second), "73.0 s"},
		{common.Seconds(12 * time.Minute), "12 min"},
		{common.Age(testNow, testNow.Add(-12*time.Second)), "12s"},
		{common.Age(testNow, testNow.Add(-3*time.Hour)), "3h"},
		{common.Age(testNow, testNow.Add(-72*time.Hour)), "3d"},
		{common.Age(testNow, testNow.Add(time.Minute)), "0s"},
		{common.ClockTime(testNow, testNow.Add(-time.Hour)), "11:00:00"},
		{common.ClockTime(testNow, testNow.Add(-25*time.Hour)), "2025-11-23"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestChanceFound checks 1-(1-16^-d)^n against direct computation where
// that is accurate, and its behaviour at the extremes.
func TestChanceFound(t *testing.T) {
	for _, tc := range []struct {
		d    int
		n    int64
		want float64
	}{
		{2, 0, 0},
		{2, 1, 1.0 / 256},
		{2, 256, 1 - math.Pow(255.0/256, 256)},
		{5, 1234567, 1 - math.Pow(1-math.Pow(16, -5), 1234567)},
		{1, 1000, 1},
	} {
		got := common.ChanceFound(tc.d, tc.n)
		if math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("common.ChanceFound(%d, %d) = %v, want %v", tc.d, tc.n, got, tc.want)
		}
	}
	// At d=20, 16^-20 is below float64's epsilon against 1: a naive
	// (1-p)^n would say 0 however many attempts.
	if got := common.ChanceFound(20, 1e18); got < 0.5e-6 || got > 1.0e-6 {
		t.Errorf("common.ChanceFound(20, 1e18) = %g, want about 8.3e-7", got)
	}
	if got := common.Percent(common.ChanceFound(5, 1234567)); got != "69%" {
		t.Errorf("percent = %q, want 69%%", got)
	}
	for _, tc := range []struct {
		p    float64
		want string
	}{{0, "0%"}, {0.004, "<1%"}, {0.5, "50%"}, {0.995, ">99%"}, {1, "100%"}} {
		if got := common.Percent(tc.p); got != tc.want {
			t.Errorf("common.Percent(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestBars(t *testing.T) {
	for _, tc := range []struct {
		f             float64
		width         int
		filled, empty string
	}{
		{0, 4, "", "    "},
		{0.5, 4, "██", "  "},
		{1.7, 4, "████", ""},
		{0.125, 2, "▎", " "},
		{-1, 3, "", "   "},
	} {
		f, e := common.WorkBar(tc.f, tc.width)
		if f != tc.filled || e != tc.empty {
			t.Errorf("common.WorkBar(%v, %d) = %q+%q, want %q+%q", tc.f, tc.width, f, e, tc.filled, tc.empty)
		}
	}
	if got := common.Sparkline([]float64{0, 1, 2, 4, 8}); got != "▁▂▃▅█" {
		t.Errorf("sparkline = %q", got)
	}
	if got := common.Sparkline([]float64{0, 0}); got != "▁▁" {
		t.Errorf("sparkline of zeros = %q", got)
	}
}

func TestNextPace(t *testing.T) {
	if got := nextPace(miner.Pace(42)); got != miner.Unlimited {
		t.Errorf("nextPace of a pace outside the cycle = %v, want unlimited", got)
	}
}

func TestOneLineAndFit(t *testing.T) {
	if got := common.OneLine("a\nb\tc\x1b[31m"); got != "a·b·c·[31m" {
		t.Errorf("oneLine = %q", got)
	}
	for _, tc := range []struct {
		s     string
		width int
		want  string
	}{
		{"abc", 5, "abc  "}, {"abcdef", 4, "abc…"}, {"héllo", 5, "héllo"}, {"abc", 0, ""},
	} {
		if got := common.Fit(tc.s, tc.width); got != tc.want {
			t.Errorf("common.Fit(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}
