package ui

import (
	"errors"
	"net"
	"strings"
	"testing"
)

func TestAPINote(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, taken := net.Listen("tcp", busy.Addr().String())
	if taken == nil {
		t.Fatal("a second listener on a busy port did not fail")
	}
	for _, tc := range []struct {
		name string
		api  API
		want string
	}{
		{"off", API{}, "api off"},
		{"taken", API{Err: taken}, "api off: bind: address already in use"},
		{"other error", API{Err: errors.New("listen on x: nonsense")}, "api off: listen on x: nonsense"},
		{"loopback", API{Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8000}}, "api 127.0.0.1:8000"},
		{"everywhere", API{Addr: &net.TCPAddr{IP: net.IPv4zero, Port: 8000}}, "api 0.0.0.0:8000 (open beyond this machine)"},
	} {
		if got := tc.api.String(); !strings.HasPrefix(got, tc.want) || (tc.name != "taken" && got != tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
