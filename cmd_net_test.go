package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestNetJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"net", "--nodes", "3", "--blocks", "4", "--difficulty", "2", "--rate", "300", "--seed", "5", "--json"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep struct {
		Nodes []struct {
			Name         string  `json:"name"`
			URL          string  `json:"url"`
			HashShare    float64 `json:"hash_share"`
			BlocksMined  *int    `json:"blocks_mined"`
			BlocksOnMain *int    `json:"blocks_on_main"`
			StaleBlocks  *int    `json:"stale_blocks"`
			Height       int64   `json:"height"`
			Tip          string  `json:"tip"`
		} `json:"nodes"`
		MainHeight  int64            `json:"main_height"`
		StaleBlocks *int             `json:"stale_blocks"`
		StaleRate   *float64         `json:"stale_rate"`
		Reorgs      []map[string]any `json:"reorgs"`
		Converged   bool             `json:"converged"`
		Seconds     float64          `json:"seconds"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("output is not the JSON object: %v\n%s", err, out.String())
	}
	if len(rep.Nodes) != 3 || rep.MainHeight < 4 || !rep.Converged || rep.Seconds <= 0 || rep.StaleBlocks == nil || rep.StaleRate == nil || rep.Reorgs == nil {
		t.Fatalf("report = %s", out.String())
	}
	mined, onMain := 0, 0
	for i, n := range rep.Nodes {
		if n.Name != string(rune('A'+i)) || !strings.HasPrefix(n.URL, "http://127.0.0.1:") || n.HashShare < 0.33 || n.HashShare > 0.34 ||
			n.BlocksMined == nil || n.BlocksOnMain == nil || n.StaleBlocks == nil || n.Height != rep.MainHeight || len(n.Tip) != 64 {
			t.Errorf("node %d = %+v", i, n)
			continue
		}
		mined += *n.BlocksMined
		onMain += *n.BlocksOnMain
	}
	if int64(onMain) != rep.MainHeight || mined != onMain+*rep.StaleBlocks {
		t.Errorf("%d mined, %d on a main chain of %d, %d stale", mined, onMain, rep.MainHeight, *rep.StaleBlocks)
	}
}

func TestNetAttackJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"net", "attack", "--share", "0.3", "--confirmations", "2", "--trials", "20", "--seed", "9", "--json"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"share", "confirmations", "trials", "successes", "success_rate", "expected", "nakamoto"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("no %q in %s", k, out.String())
		}
	}
	if rep["trials"] != 20.0 || rep["share"] != 0.3 || rep["success_rate"] != rep["successes"].(float64)/20 {
		t.Errorf("report = %s", out.String())
	}
}

func TestNetUsage(t *testing.T) {
	tests := [][]string{
		{"net", "--nodes", "0"},
		{"net", "--nodes", "27"},
		{"net", "--difficulty", "1"},
		{"net", "--latency", "soon"},
		{"net", "--blocks", "0"},
		{"net", "stray"},
		{"net", "attack", "--share", "0.5"},
		{"net", "attack", "--confirmations", "0"},
		{"net", "attack", "--trials", "0"},
	}
	for _, args := range tests {
		var out, errOut bytes.Buffer
		code := run(args, nil, &out, &errOut)
		if code == 0 || errOut.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want a failure that says why", args, code, errOut.String())
		}
	}
	for _, args := range [][]string{{"net", "-h"}, {"net", "attack", "-h"}} {
		var out, errOut bytes.Buffer
		if code := run(args, nil, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "usage: blockscope net") {
			t.Errorf("%v: exit %d, stderr %q; want the usage and 0", args, code, errOut.String())
		}
	}
}

// TestNetWithThePythonNode runs two local nodes with the tutorial's Python
// node as an outside peer: it takes their blocks over its own API, and the
// report shows it on the same tip.
func TestNetWithThePythonNode(t *testing.T) {
	py := startSeedNode(t)
	var out, errOut bytes.Buffer
	code := run([]string{"net", "--nodes", "2", "--peer", py, "--blocks", "4", "--difficulty", "2", "--rate", "300", "--json"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep struct {
		Nodes []struct {
			Name    string `json:"name"`
			Outside bool   `json:"outside"`
			Height  int64  `json:"height"`
			Tip     string `json:"tip"`
		} `json:"nodes"`
		MainHeight int64 `json:"main_height"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Nodes) != 3 || !rep.Nodes[2].Outside || rep.Nodes[2].Name != "P1" {
		t.Fatalf("nodes = %+v", rep.Nodes)
	}
	// The Python node's own /chain holds the main chain's tip (it may take
	// the last announcement a moment after the local nodes agree).
	deadline := time.Now().Add(10 * time.Second)
	for {
		body, err := httpGet(py + "/chain")
		if err == nil && strings.Contains(string(body), rep.Nodes[0].Tip) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Python node does not hold the main chain's tip %s: %v\n%.500s", rep.Nodes[0].Tip, err, body)
		}
		time.Sleep(50 * time.Millisecond) // polling another process's answer
	}
}
