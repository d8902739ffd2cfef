package common

import "testing"

func TestClipKeepsTheStart(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		width    int
		middle   bool
		want     string
	}{
		{"description fits", "tamper lab demo chain, in memory", 40, false, "tamper lab demo chain, in memory"},
		{"description cut at its end", "tamper lab demo chain, in memory", 20, false, "tamper lab demo cha…"},
		{"path fits", "/home/alice/chain.db", 20, true, "/home/alice/chain.db"},
		{"path cut in its middle", "/home/alice/.local/share/blockscope/chain.db", 28, true, "/home/ali…lockscope/chain.db"},
		{"path, tiny", "/home/alice/chain.db", 2, true, "/…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Clip(tc.in, tc.width)
			if tc.middle {
				got = ClipMiddle(tc.in, tc.width)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if w := Width(got); w > tc.width {
				t.Errorf("%q is %d cells, more than %d", got, w, tc.width)
			}
		})
	}
}

func TestZerosText(t *testing.T) {
	for n, want := range map[int]string{0: "no leading zeros", 1: "1 leading zero", 4: "4 leading zeros"} {
		if got := ZerosText(n); got != want {
			t.Errorf("ZerosText(%d) = %q, want %q", n, got, want)
		}
	}
}
