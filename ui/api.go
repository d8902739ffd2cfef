package ui

import (
	"errors"
	"net"
)

// API is the node's HTTP API beside the screen, as the header and the
// network view report it.
type API struct {
	// Addr is where the API listens; nil when it is off.
	Addr net.Addr
	// Err says why the API is off when it could not listen (the port is
	// taken); nil when it was turned off.
	Err error
}

// String is the header's note on the API: "api 127.0.0.1:8000", "api
// 0.0.0.0:8000 (open beyond this machine)", "api off: address already in
// use" or "api off".
func (a API) String() string { return "api " + a.state() }

// state is the note without its "api": the network view's line.
func (a API) state() string {
	switch {
	case a.Addr != nil:
		if tcp, ok := a.Addr.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
			return a.Addr.String() + " (open beyond this machine)"
		}
		return a.Addr.String()
	case a.Err != nil:
		return "off: " + listenProblem(a.Err)
	}
	return "off"
}

// listenProblem says briefly why the API could not listen: the system's
// reason, without the operation and the addresses around it.
func listenProblem(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}
