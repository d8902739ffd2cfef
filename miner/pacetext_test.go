package miner

import (
	"flag"
	"io"
	"testing"
)

func TestPaceText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Pace
		ok   bool
	}{
		{"unlimited", Unlimited, true}, {"", Unlimited, true}, {"100", 100, true}, {"10/s", 10, true},
		{"1", 1, true}, {"STEP", Step, true}, {" 5 ", 5, true}, {"1000", MaxPace, true},
		{"0", 0, false}, {"-1", 0, false}, {"1001", 0, false}, {"fast", 0, false}, {"10/m", 0, false},
	} {
		var got Pace
		err := got.UnmarshalText([]byte(tc.in))
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if !tc.ok {
			continue
		}
		// What MarshalText writes reads back as the same pace.
		text, _ := got.MarshalText()
		var again Pace
		if err := again.UnmarshalText(text); err != nil || again != got {
			t.Errorf("%v -> %q -> %v, %v", got, text, again, err)
		}
	}
}

// TestPaceFlag: flag.TextVar parses --pace with the pace's own text form.
func TestPaceFlag(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var p Pace
	fs.TextVar(&p, "pace", Unlimited, "")
	if err := fs.Parse([]string{"--pace", "step"}); err != nil || p != Step {
		t.Fatalf("--pace step: %v, %v", p, err)
	}
	if err := fs.Parse([]string{"--pace", "fast"}); err == nil {
		t.Fatal("--pace fast was accepted")
	}
}
