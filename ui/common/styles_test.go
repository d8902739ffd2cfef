package common

import (
	"io"
	"reflect"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestStyleRenderMatchesLipgloss: every style draws a line exactly as its
// lipgloss style does, in every colour profile.
func TestStyleRenderMatchesLipgloss(t *testing.T) {
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(profile)
		st := reflect.ValueOf(NewStyles(r))
		styles := 0
		for i := 0; i < st.NumField(); i++ {
			s, ok := st.Field(i).Interface().(Style)
			if !ok {
				continue
			}
			styles++
			name := st.Type().Field(i).Name
			// Nothing is drawn as nothing, without lipgloss's empty pair of
			// escapes.
			if got := s.Render(""); got != "" {
				t.Errorf("profile %v %s: Render of nothing %q", profile, name, got)
			}
			for _, text := range []string{"0000a3f", "✓ pass  hash matches", " spaced  out "} {
				if got, want := s.Render(text), s.Style.Render(text); got != want {
					t.Errorf("profile %v %s: Render %q, lipgloss %q", profile, name, got, want)
				}
			}
		}
		if styles < 20 {
			t.Fatalf("only %d styles found", styles)
		}
	}
}
