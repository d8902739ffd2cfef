package node

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// TestGuardRefusesBrowsers mounts the requests a web page the user opens
// can make against a node on loopback; each must be refused, while the
// same calls without a browser's headers pass.
func TestGuardRefusesBrowsers(t *testing.T) {
	tn := newMemNode(t, Options{})
	u, _ := url.Parse(tn.url)
	port := u.Port()
	tx := []byte(`{"author": "a", "content": "c"}`)
	json := http.Header{"Content-Type": {"application/json"}}
	with := func(h http.Header, kv ...string) http.Header {
		out := h.Clone()
		if out == nil {
			out = http.Header{}
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = []string{kv[i+1]}
		}
		return out
	}
	tests := []struct {
		name   string
		method string
		path   string
		body   []byte
		header http.Header
		want   int
	}{
		{"text/plain post", "POST", "new_transaction", tx, http.Header{"Content-Type": {"text/plain"}}, http.StatusUnsupportedMediaType},
		{"form post", "POST", "register_node", []byte("node_address=http://x/"), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, http.StatusUnsupportedMediaType},
		{"no content type", "POST", "add_block", tx, nil, http.StatusUnsupportedMediaType},
		{"cross-site post", "POST", "new_transaction", tx, with(json, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden},
		{"foreign origin post", "POST", "new_transaction", tx, with(json, "Origin", "http://evil.example"), http.StatusForbidden},
		{"cross-site mine", "GET", "mine", nil, http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"same-site mine", "GET", "mine", nil, http.Header{"Sec-Fetch-Site": {"same-site"}}, http.StatusForbidden},
		{"foreign origin mine", "GET", "mine", nil, http.Header{"Origin": {"http://evil.example"}}, http.StatusForbidden},
		{"rebound name", "GET", "chain", nil, http.Header{"Host": {"evil.example:" + port}}, http.StatusMisdirectedRequest},
		{"rebound name post", "POST", "new_transaction", tx, with(json, "Host", "evil.example:"+port), http.StatusMisdirectedRequest},
		{"foreign address", "GET", "pending_tx", nil, http.Header{"Host": {"10.1.2.3:" + port}}, http.StatusMisdirectedRequest},
		// What legitimate clients send.
		{"json with charset", "POST", "new_transaction", tx, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, http.StatusCreated},
		{"same-origin post", "POST", "new_transaction", tx, with(json, "Sec-Fetch-Site", "same-origin"), http.StatusCreated},
		{"address bar mine", "GET", "mine", nil, http.Header{"Sec-Fetch-Site": {"none"}}, http.StatusOK},
		{"localhost", "GET", "chain", nil, http.Header{"Host": {"localhost:" + port}}, http.StatusOK},
		{"ipv6 loopback", "GET", "chain", nil, http.Header{"Host": {"[::1]:" + port}}, http.StatusOK},
		{"cross-site read", "GET", "chain", nil, http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, tt.method, tn.url+tt.path, tt.body, tt.header)
			if got.status != tt.want {
				t.Fatalf("status %d %s, want %d", got.status, got.body, tt.want)
			}
			if got.header.Get("Access-Control-Allow-Origin") != "" {
				t.Fatal("the API must not let pages read its answers")
			}
		})
	}
	if n := len(tn.Chain().Pending()); n != 0 || tn.Chain().Len() != 2 {
		t.Fatalf("after the attacks: %d pending, %d blocks; want only the two legitimate transactions mined into block 1", n, tn.Chain().Len())
	}
}

// TestGuardHosts checks the names a node answers to when it is reached
// under another name or address.
func TestGuardHosts(t *testing.T) {
	n, err := New(blockchain.NewMemoryChain(blockchain.ChainOptions{}), nil, Options{SelfURL: "http://node-a.example:8000/", Hosts: []string{"proxy.example"}, SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	n.addListener(&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8000})
	for host, want := range map[string]bool{
		"node-a.example:8000": true, "NODE-A.example.:8000": true, "proxy.example": true,
		"192.0.2.7:8000": true, "127.0.0.2:8000": true, "localhost": true, "": true,
		"node-b.example:8000": false, "192.0.2.8:8000": false, "example.com": false,
	} {
		if got := n.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	n.addListener(&net.TCPAddr{IP: net.IPv4zero, Port: 8000})
	if !n.hostAllowed("192.0.2.8:8000") {
		t.Error("a node listening on 0.0.0.0 answers on every address")
	}
}

// TestGuardLetsClientsThrough drives the API with curl and Python's
// requests as the tutorial does (the tutorial's own nodes are the interop
// tests' peers).
func TestGuardLetsClientsThrough(t *testing.T) {
	tn := newMemNode(t, Options{})
	t.Run("curl", func(t *testing.T) {
		if _, err := exec.LookPath("curl"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("curl is missing")
			}
			t.Skip("curl is not installed")
		}
		run := func(args ...string) string {
			out, err := exec.Command("curl", append([]string{"-sS", "--max-time", "10", "-w", " %{http_code}"}, args...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("curl %v: %v: %s", args, err, out)
			}
			return string(out)
		}
		for _, c := range []struct{ out, want string }{
			{run("-X", "POST", tn.url+"new_transaction", "-H", "Content-Type: application/json", "-d", `{"author": "curl", "content": "hi"}`), " 201"},
			{run(tn.url + "mine"), " 200"},
			{run(tn.url + "chain"), " 200"},
		} {
			if !strings.HasSuffix(c.out, c.want) {
				t.Errorf("curl answered %q, want status%s", c.out, c.want)
			}
		}
	})
	t.Run("python requests", func(t *testing.T) {
		requirePython(t)
		script := `import sys, requests
base = sys.argv[1]
print(requests.post(base + "new_transaction", json={"author": "py", "content": "hi"}, timeout=10).status_code,
      requests.get(base + "mine", timeout=10).status_code,
      requests.post(base + "register_node", json={"node_address": "http://127.0.0.1:1/"}, timeout=10).status_code,
      requests.get(base + "chain", timeout=10).status_code)`
		out, err := exec.Command("python3", "-c", script, tn.url).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "201 200 200 200" {
			t.Fatalf("python requests: %v: %s, want 201 200 200 200", err, out)
		}
	})
}
