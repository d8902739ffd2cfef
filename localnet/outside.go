package localnet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// outsidePoll is how often the network reads its outside peers' chains
// for the screen and the report.
const outsidePoll = time.Second

// outsideState is what the network last read of an outside peer, guarded
// by Network.mu.
type outsideState struct {
	height int64 // -1 before a successful read
	tip    string
	err    string
}

// pollOutside reads every outside peer's GET /chain each outsidePoll
// until ctx ends. It must be run as a goroutine.
func (nw *Network) pollOutside(ctx context.Context) {
	t := time.NewTicker(outsidePoll)
	defer t.Stop()
	for {
		main := nw.locals[nw.mainHolder()].chain.Tip()
		for _, m := range nw.all[len(nw.locals):] {
			height, tip, err := readTip(ctx, m.url)
			nw.mu.Lock()
			lagging := err == nil && tip == m.seen.tip && tip != main.Hash()
			if err != nil {
				m.seen.err = err.Error()
			} else {
				m.seen = outsideState{height: height, tip: tip}
			}
			nw.mu.Unlock()
			if lagging && height <= main.Index() {
				// The tutorial's nodes never fetch a chain on their own:
				// one that missed a block stays behind. Registering with
				// it again asks it to fetch ours (see node.RegisterWith).
				_, _ = nw.locals[0].node.RegisterWith(ctx, m.url)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readTip returns the height and tip hash of the chain the node at base
// URL u serves. It is for display: the nodes judge chains themselves.
func readTip(ctx context.Context, u string) (int64, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+"chain", nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var dump struct {
		Chain []struct {
			Hash string `json:"hash"`
		} `json:"chain"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(&dump); err != nil {
		return 0, "", fmt.Errorf("reading %schain: %w", u, err)
	}
	if len(dump.Chain) == 0 {
		return 0, "", fmt.Errorf("%schain is empty", u)
	}
	return int64(len(dump.Chain) - 1), dump.Chain[len(dump.Chain)-1].Hash, nil
}
