package main

import (
	"strings"
	"testing"
)

// TestServeAdoptsPythonOddValues is the check a new user makes by hand: a
// Python node holds a block whose transaction has a lone surrogate and
// 1e400; blockscope serve adopts it through /register_with, and the Python
// node, judging our /chain with chain_error, accepts it back.
func TestServeAdoptsPythonOddValues(t *testing.T) {
	py := startSeedNode(t)
	if code, body := httpDo(t, "POST", py+"/new_transaction", `{"author": "a\ud800", "content": "big", "x": 1e400}`); code != 201 {
		t.Fatalf("the Python node refused the transaction: %d %s", code, body)
	}
	if code, body := httpDo(t, "GET", py+"/mine", ""); code != 200 {
		t.Fatalf("the Python node did not mine: %d %s", code, body)
	}
	url, _, _ := startServe(t, []string{"--mem", "--listen", "127.0.0.1:0"})
	code, body := httpDo(t, "POST", url+"register_with", `{"node_address": "`+py+`"}`)
	if code != 200 || !strings.Contains(body, `"adopted": true`) {
		t.Fatalf("register_with the Python node: %d %s", code, body)
	}
	if _, chain := httpDo(t, "GET", url+"chain", ""); !strings.Contains(chain, `"author": "a\ud800"`) || !strings.Contains(chain, `"x": Infinity`) {
		t.Errorf("our /chain does not hold the block as Python wrote it: %.600s", chain)
	}
	// The Python node's register_with answers 502 when chain_error finds
	// the chain it fetched from us invalid.
	if code, body := httpDo(t, "POST", py+"/register_with", `{"node_address": "`+url+`"}`); code != 200 {
		t.Fatalf("the Python node judged our /chain invalid: %d %s", code, body)
	}
	if code, out, errOut := verify(t, nil, url); code != 0 {
		t.Errorf("blockscope verify %s: exit %d\n%s%s", url, code, out, errOut)
	}
}
