package node

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// guard wraps the API in the checks that keep a web page the user opens
// from driving the node, in this order:
//
//   - the Host header must name this node (loopback names, the addresses
//     it listens on, its own URL's host, Options.Hosts), so that a page
//     whose name was rebound to 127.0.0.1 cannot read or write through it;
//   - unsafe methods must not come cross-origin from a browser
//     (http.CrossOriginProtection: Sec-Fetch-Site, else Origin against Host);
//   - GET /mine, which mines although its method is safe, is held to the
//     same rule;
//   - and, in readJSON, POST bodies must be declared application/json,
//     as Flask's get_json requires of the tutorial's nodes too, which
//     rules out the text/plain and form posts a page may send without
//     asking.
//
// Clients that are not browsers (curl, Python's requests, the tutorial's
// nodes) send no Origin or Sec-Fetch-Site and pass.
func (n *Node) guard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.fail(w, http.StatusForbidden, "cross-origin request from a browser refused: the API is not for web pages")
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(NodeIDHeader, n.id)
		if !n.hostAllowed(r.Host) {
			n.fail(w, http.StatusMisdirectedRequest, "Host "+clip(r.Host)+" is not a name of this node")
			return
		}
		if r.Method == http.MethodGet && r.URL.Path == "/mine" {
			unsafe := *r
			unsafe.Method = http.MethodPost
			if cop.Check(&unsafe) != nil {
				n.fail(w, http.StatusForbidden, "cross-origin request from a browser refused: /mine is not for web pages")
				return
			}
		}
		cop.Handler(next).ServeHTTP(w, r)
	})
}

// isJSONType reports whether a Content-Type is JSON as Flask's is_json
// judges it: application/json or application/*+json, with any parameters.
func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// hostAllowed reports whether a request's Host names this node. An empty
// Host (HTTP/1.0) is no browser's. IP literals cannot be rebound, but are
// still held to the addresses the node listens on.
func (n *Node) hostAllowed(hostport string) bool {
	if hostport == "" {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || n.listensOn(ip) || n.isOwnHost(host)
	}
	return n.isOwnHost(host)
}

// isOwnHost reports whether host (lowercase, without port) is our own
// URL's host or one of Options.Hosts.
func (n *Node) isOwnHost(host string) bool {
	if u, err := url.Parse(n.SelfURL()); err == nil && strings.Trim(u.Hostname(), "[]") == host && host != "" {
		return true
	}
	for _, h := range n.opts.Hosts {
		if strings.EqualFold(strings.TrimSuffix(h, "."), host) {
			return true
		}
	}
	return false
}

// listensOn reports whether ip is an address Serve listens on; a listener
// on an unspecified address (0.0.0.0, ::) answers on all of them.
func (n *Node) listensOn(ip net.IP) bool {
	n.selfMu.RLock()
	defer n.selfMu.RUnlock()
	for _, l := range n.listeners {
		if l.IP.IsUnspecified() || l.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// addListener records the address of a listener Serve answers on, and
// this machine's addresses when it listens on all of them.
func (n *Node) addListener(addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return
	}
	var local []net.IP
	if tcp.IP.IsUnspecified() {
		addrs, _ := net.InterfaceAddrs() // none known: only loopback is ours
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				local = append(local, ipn.IP)
			}
		}
	}
	n.selfMu.Lock()
	defer n.selfMu.Unlock()
	n.listeners = append(n.listeners, tcp)
	n.localIPs = append(n.localIPs, local...)
}
