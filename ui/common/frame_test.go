package common

import (
	"strings"
	"testing"
)

// TestOverlayStaysInItsBand: a box is centred in its band of rows, and a box
// taller than the band keeps its first lines, its last line but one and its
// bottom border, never drawing over the rows outside the band.
func TestOverlayStaysInItsBand(t *testing.T) {
	base := strings.Join([]string{"head", "....", "....", "....", "....", "foot"}, "\n")
	tests := []struct {
		name string
		box  string
		want string
	}{
		{"fits", "ab\ncd", "head\n....\nab..\ncd..\n....\nfoot"},
		{"taller", "1\n2\n3\n4\n5\n6", "head\n1...\n2...\n5...\n6...\nfoot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Overlay(base, tt.box, 2, 1, 4)
			if got != tt.want {
				t.Errorf("Overlay =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
