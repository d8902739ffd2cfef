package node

import (
	"net/http"

	"blockscope/blockchain"
)

// handleStatus is GET /status, our extension: the chain's length and how far
// the check of the stored chain has come. "checked" blocks from the genesis
// up passed the check, of "check_total" it covers; "damage" names the first
// damaged block once the check found one (the chain then ends below it).
func (n *Node) handleStatus(w http.ResponseWriter, _ *http.Request) {
	p := n.chain.CheckProgress()
	answer := map[string]any{
		"length":      blockchain.IntOf(int64(n.chain.Len())),
		"checked":     blockchain.IntOf(p.Checked),
		"check_total": blockchain.IntOf(p.Total),
		"check_done":  p.Done,
	}
	if err := n.chain.Damage(); err != nil {
		answer["damage"] = err.Error()
	}
	n.reply(w, http.StatusOK, answer)
}
