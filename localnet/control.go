package localnet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"blockscope/blockchain"
)

// ErrNoSuchNode is returned for a node index out of range.
type ErrNoSuchNode int

func (e ErrNoSuchNode) Error() string { return fmt.Sprintf("localnet: no local node %d", int(e)) }

func (nw *Network) local(i int) (*member, error) {
	if i < 0 || i >= len(nw.locals) {
		return nil, ErrNoSuchNode(i)
	}
	return nw.locals[i], nil
}

// poke tells m's miner that its rate changed.
func poke(m *member) {
	select {
	case m.ctl <- struct{}{}:
	default:
	}
}

// SetShare gives local node i the share q (0..1) of the network's hash
// power; the others keep their proportions among the rest.
func (nw *Network) SetShare(i int, q float64) error {
	m, err := nw.local(i)
	if err != nil {
		return err
	}
	if !(q >= 0 && q <= 1) {
		return fmt.Errorf("localnet: share %v: between 0 and 1", q)
	}
	nw.mu.Lock()
	rest := 1 - m.share
	for _, o := range nw.locals {
		switch {
		case o == m:
			o.share = q
		case rest > 0:
			o.share = o.share / rest * (1 - q)
		default:
			o.share = (1 - q) / float64(len(nw.locals)-1)
		}
	}
	nw.mu.Unlock()
	for _, o := range nw.locals {
		poke(o)
	}
	nw.note(Event{Kind: EventShare, Node: m.name, Message: fmt.Sprintf("%s now has %.0f%% of the hash power", m.name, 100*q)})
	return nil
}

// SetPaused stops (true) or restarts local node i's miner; it keeps its
// share, idle meanwhile.
func (nw *Network) SetPaused(i int, paused bool) error {
	m, err := nw.local(i)
	if err != nil {
		return err
	}
	nw.mu.Lock()
	m.paused = paused
	nw.mu.Unlock()
	poke(m)
	what := "resumed mining"
	if paused {
		what = "paused its miner"
	}
	nw.note(Event{Kind: EventPause, Node: m.name, Message: m.name + " " + what})
	return nil
}

// Paused reports whether local node i's miner is paused.
func (nw *Network) Paused(i int) bool {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return i >= 0 && i < len(nw.locals) && nw.locals[i].paused
}

// SetLatency sets the one-way latency of every link.
func (nw *Network) SetLatency(d time.Duration) {
	nw.links.mu.Lock()
	nw.links.def = d
	clear(nw.links.latency)
	nw.links.mu.Unlock()
	nw.note(Event{Kind: EventLatency, Message: fmt.Sprintf("every link now takes %s each way", d)})
}

// SetLinkLatency sets the one-way latency from local node a to b, each way
// of its requests.
func (nw *Network) SetLinkLatency(a, b int, d time.Duration) error {
	if _, err := nw.local(a); err != nil {
		return err
	}
	if _, err := nw.local(b); err != nil {
		return err
	}
	nw.links.mu.Lock()
	nw.links.latency[[2]int{a, b}] = d
	nw.links.mu.Unlock()
	return nil
}

// Latency returns the default one-way latency of the links.
func (nw *Network) Latency() time.Duration {
	nw.links.mu.RLock()
	defer nw.links.mu.RUnlock()
	return nw.links.def
}

// Split cuts every link between the two halves of the network (the first
// half of the local nodes with the outside peers, and the rest).
func (nw *Network) Split() {
	nw.links.mu.Lock()
	was := nw.links.split
	nw.links.split = true
	nw.links.mu.Unlock()
	if !was {
		nw.note(Event{Kind: EventSplit, Message: "network split: " + nw.halves()})
	}
}

// Heal restores the links cut by Split; the nodes on each side register
// with those on the other again, as reconnecting nodes do, which makes the
// shorter side fetch and adopt the longer chain.
func (nw *Network) Heal() {
	nw.links.mu.Lock()
	was := nw.links.split
	nw.links.split = false
	nw.links.mu.Unlock()
	if !was {
		return
	}
	nw.note(Event{Kind: EventHeal, Message: "network healed: " + nw.halves() + " can talk again"})
	for i, a := range nw.locals {
		for j, b := range nw.locals {
			if nw.side(i) != 0 || nw.side(j) != 1 {
				continue
			}
			nw.goBg(func(ctx context.Context) {
				// A failure leaves it to the nodes' periodic sync.
				_, _ = a.node.RegisterWith(ctx, b.url)
			})
		}
	}
}

// IsSplit reports whether the network is split.
func (nw *Network) IsSplit() bool {
	nw.links.mu.RLock()
	defer nw.links.mu.RUnlock()
	return nw.links.split
}

// halves names the two halves, e.g. "A B | C D".
func (nw *Network) halves() string {
	var side [2][]string
	for i, m := range nw.all {
		side[nw.side(i)] = append(side[nw.side(i)], m.name)
	}
	return strings.Join(side[0], " ") + " | " + strings.Join(side[1], " ")
}

// TxKey identifies a transaction added through the network by its author
// and content (the node adds the timestamp).
type TxKey struct {
	Author, Content string
	// Node is the index of the node it was added at.
	Node int
}

// AddTransaction posts a transaction to local node i's POST
// /new_transaction, as a wallet would, and remembers it (Transactions)
// once the node acknowledged it.
func (nw *Network) AddTransaction(ctx context.Context, i int, author, content string) error {
	m, err := nw.local(i)
	if err != nil {
		return err
	}
	if err := postTransaction(ctx, m.url, author, content); err != nil {
		err = fmt.Errorf("localnet: transaction at %s: %w", m.name, err)
		nw.note(Event{Kind: EventTrouble, Node: m.name, Message: err.Error()})
		return err
	}
	nw.mu.Lock()
	nw.txs = append(nw.txs, TxKey{Author: author, Content: content, Node: i})
	nw.mu.Unlock()
	nw.note(Event{Kind: EventTransaction, Node: m.name, Message: fmt.Sprintf("%s took a tx: %s", m.name, content)})
	return nil
}

// Transactions returns every transaction the nodes acknowledged through
// AddTransaction, in order.
func (nw *Network) Transactions() []TxKey {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return append([]TxKey(nil), nw.txs...)
}

// postTransaction posts {"author", "content"} to the node at base URL u.
func postTransaction(ctx context.Context, u, author, content string) error {
	body, err := blockchain.Canonical(map[string]any{"author": author, "content": content})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u+"new_transaction", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("refused: %d %s", resp.StatusCode, strings.TrimSpace(string(answer)))
	}
	return nil
}

func replaceAll(s, old, repl string) string { return strings.ReplaceAll(s, old, repl) }
