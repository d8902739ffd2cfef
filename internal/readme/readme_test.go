package readme

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

const sample = "# tool\n\n## Keys\n\n| `q`, `ctrl+c` | quit |\n| `space` | step |\n\n" +
	"```\n## not a heading `x`\n```\n\n### Lab\n\n| `r` | re-mine |\n\n## Flags\n\n| `--mem` | memory |\n"

func TestSection(t *testing.T) {
	tests := []struct {
		heading string
		has     []string
		hasNot  []string
	}{
		{"## Keys", []string{"`q`", "not a heading", "`r`"}, []string{"--mem"}},
		{"### Lab", []string{"`r`"}, []string{"`q`", "--mem"}},
		{"## Flags", []string{"--mem"}, []string{"`q`"}},
	}
	for _, tt := range tests {
		got, err := Section(sample, tt.heading)
		if err != nil {
			t.Fatalf("%s: %v", tt.heading, err)
		}
		for _, w := range tt.has {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", tt.heading, w, got)
			}
		}
		for _, w := range tt.hasNot {
			if strings.Contains(got, w) {
				t.Errorf("%s holds %q:\n%s", tt.heading, w, got)
			}
		}
	}
	if _, err := Section(sample, "## Mouse"); err == nil {
		t.Error("a heading that is not there gave no error")
	}
}

func TestCodeSpansSkipFencedBlocks(t *testing.T) {
	keys, _ := Section(sample, "## Keys")
	got := CodeSpans(keys)
	for _, w := range []string{"q", "ctrl+c", "space", "r"} {
		if !got[w] {
			t.Errorf("`%s` not found in %v", w, got)
		}
	}
	if got["x"] {
		t.Error("a code span inside a fenced block was counted")
	}
}

type navKeys struct{ Up, Down key.Binding }

type sampleKeys struct {
	navKeys
	Quit, Step, Confirm key.Binding
	count               int
}

func TestBindingsFollowEmbeddedKeymaps(t *testing.T) {
	km := sampleKeys{
		navKeys: navKeys{Up: key.NewBinding(key.WithKeys("k")), Down: key.NewBinding(key.WithKeys("j"))},
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c")),
		Step:    key.NewBinding(key.WithKeys(" ")),
		Confirm: key.NewBinding(key.WithKeys("y", "Y")),
	}
	got := Bindings(km)
	for _, name := range []string{"sampleKeys.navKeys.Up", "sampleKeys.navKeys.Down", "sampleKeys.Quit", "sampleKeys.Step", "sampleKeys.Confirm"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no binding %s in %v", name, got)
		}
	}
	if len(got) != 5 {
		t.Errorf("%d bindings, want 5: %v", len(got), got)
	}
	// The sample names every key of km but j, k and y; Y beside y needs no
	// mention of its own.
	var missing []string
	for _, u := range Unnamed(sample, km) {
		missing = append(missing, u.Key)
	}
	if !slices.Equal(missing, []string{"j", "k", "y"}) {
		t.Errorf("keys missing from the sample: %q, want j, k and y", missing)
	}
}
