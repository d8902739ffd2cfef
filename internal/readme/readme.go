// Package readme is the test support that holds the README's tables to the
// code: every key a keymap binds and every flag a command takes must be
// named in the README section that documents it, so that a key or a flag
// added to the code and not to the table fails a test instead of going
// unseen.
package readme

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// codeSpan is a Markdown code span: `q`, `ctrl+c`.
var codeSpan = regexp.MustCompile("`([^`]+)`")

// spelling is how the README writes a key Bubble Tea names otherwise.
var spelling = map[string]string{" ": "space"}

// Section returns the part of text under heading (a whole line such as
// "## Keys"), up to the next heading of the same level or higher outside a
// fenced block.
func Section(text, heading string) (string, error) {
	lines := strings.Split(text, "\n")
	start := slices.Index(lines, heading)
	if start < 0 {
		return "", fmt.Errorf("no line %q", heading)
	}
	level := strings.Index(heading, " ")
	fenced := false
	for j := start + 1; j < len(lines); j++ {
		l := lines[j]
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
		}
		if n := strings.Index(l, " "); !fenced && n > 0 && n <= level && strings.Trim(l[:n], "#") == "" {
			return strings.Join(lines[start:j], "\n"), nil
		}
	}
	return strings.Join(lines[start:], "\n"), nil
}

// Bindings lists the key bindings of a keymap struct, by field name,
// embedded keymaps included.
func Bindings(keymap any) map[string]key.Binding {
	out := map[string]key.Binding{}
	collect(reflect.ValueOf(keymap), reflect.TypeOf(keymap).Name(), out)
	return out
}

var bindingType = reflect.TypeOf(key.Binding{})

func collect(v reflect.Value, name string, out map[string]key.Binding) {
	switch {
	case v.Type() == bindingType && v.CanInterface():
		out[name] = v.Interface().(key.Binding)
	case v.Kind() == reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			collect(v.Field(i), name+"."+v.Type().Field(i).Name, out)
		}
	}
}

// Load returns the section under heading of the README at path, failing t
// when there is none.
func Load(t testing.TB, path, heading string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	section, err := Section(string(data), heading)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return section
}

// CheckKeys fails t for every key of the keymaps that the section under
// heading of the README at path does not name (see Unnamed).
func CheckKeys(t testing.TB, path, heading string, keymaps ...any) {
	t.Helper()
	for _, u := range Unnamed(Load(t, path, heading), keymaps...) {
		t.Errorf("%s %q does not name `%s` (%s, help %q %q): add it to the table with its view and what it does",
			path, heading, u.Key, u.Field, u.Binding.Help().Key, u.Binding.Help().Desc)
	}
}

// UnnamedKey is a key a keymap binds that a README section does not name.
type UnnamedKey struct {
	Key     string // as the README would write it
	Field   string // the binding's place in its keymap: "keyMap.Quit"
	Binding key.Binding
}

// Unnamed lists the keys of the keymaps that section names in no code span
// (`k`, `ctrl+d`; a space is `space`; Y beside y needs no mention), sorted
// by key.
func Unnamed(section string, keymaps ...any) []UnnamedKey {
	named := CodeSpans(section)
	var out []UnnamedKey
	for _, km := range keymaps {
		for field, b := range Bindings(km) {
			for _, k := range b.Keys() {
				if s, ok := spelling[k]; ok {
					k = s
				}
				if !named[k] && !capitalOf(k, b.Keys()) {
					out = append(out, UnnamedKey{Key: k, Field: field, Binding: b})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b UnnamedKey) int { return strings.Compare(a.Key+a.Field, b.Key+b.Field) })
	return out
}

// CodeSpans is the set of code spans in text, line by line, outside fenced
// blocks (a screen capture's backticks would pair with the wrong ones).
func CodeSpans(text string) map[string]bool {
	named := map[string]bool{}
	fenced := false
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range codeSpan.FindAllStringSubmatch(l, -1) {
			named[m[1]] = true
		}
	}
	return named
}

// capitalOf reports whether k is the capital of a letter among keys, bound
// so that shift held by mistake does the same.
func capitalOf(k string, keys []string) bool {
	if len(k) != 1 || strings.ToLower(k) == k {
		return false
	}
	for _, other := range keys {
		if other == strings.ToLower(k) {
			return true
		}
	}
	return false
}
