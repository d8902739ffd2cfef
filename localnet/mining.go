package localnet

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"blockscope/blockchain"
	"blockscope/miner"
)

// FoundBlock is a block one of the local nodes mined.
type FoundBlock struct {
	Hash, Parent string
	Height       int64
	// Miner is the index of the local node that mined it.
	Miner int
	Time  time.Time
	// Txs is its number of transactions.
	Txs int
}

// template returns the block c's miner works on: every pending transaction
// (possibly none: an empty block is valid and keeps the race going) on top
// of the tip, stamped at now.
func template(c *blockchain.Chain, now time.Time) (*blockchain.Block, error) {
	pending := c.Pending()
	txs := make([]any, len(pending))
	for i, p := range pending {
		txs[i] = p.Tx
	}
	tip := c.Tip()
	return blockchain.NewBlock(tip.Index()+1, txs, blockchain.Now(now), tip.Hash(), 0)
}

// SealAt mines template with the project's miner (the smallest valid
// nonce, as the seed's proof_of_work) and returns the block and the number
// of attempts a miner scanning nonces from 0 makes to reach it.
func SealAt(ctx context.Context, tmpl *blockchain.Block, difficulty int) (*blockchain.Block, int64, error) {
	b, err := miner.Mine(ctx, tmpl, miner.Config{Difficulty: difficulty, Workers: 1})
	if err != nil {
		return nil, 0, err
	}
	return b, b.Nonce() + 1, nil
}

// rate returns local node i's hash power in attempts a second, 0 when it
// is paused.
func (nw *Network) rate(i int) float64 {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	m := nw.locals[i]
	if m.paused || nw.hold {
		return 0
	}
	return m.share * nw.opts.Rate * float64(len(nw.locals))
}

// mineLoop is local node i's miner (see the package doc for the pacing).
// It must be run as a goroutine; it returns when ctx ends.
func (nw *Network) mineLoop(ctx context.Context, i int) {
	m := nw.locals[i]
	changes, unsubscribe := m.chain.Subscribe()
	defer unsubscribe()
	for ctx.Err() == nil {
		select {
		case <-changes: // our own last block, or older news: the template below is fresh
		default:
		}
		r := nw.rate(i)
		if r <= 0 {
			select {
			case <-ctx.Done():
			case <-m.ctl:
			}
			continue
		}
		begun := time.Now()
		tmpl, err := template(m.chain, begun)
		if err != nil {
			nw.note(Event{Kind: EventTrouble, Node: m.name, Message: fmt.Sprintf("%s cannot build a block: %v", m.name, err)})
			return
		}
		b, attempts, err := SealAt(ctx, tmpl, nw.opts.Difficulty)
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				nw.note(Event{Kind: EventTrouble, Node: m.name, Message: fmt.Sprintf("%s's miner failed: %v", m.name, err)})
			}
			return
		}
		reveal := time.NewTimer(time.Until(begun.Add(time.Duration(float64(attempts) / r * float64(time.Second)))))
		select {
		case <-ctx.Done():
			reveal.Stop()
			return
		case <-changes: // new tip or pool: every attempt until now was below the nonce
			reveal.Stop()
			continue
		case <-m.ctl: // share or pause changed: start over at the new rate
			reveal.Stop()
			continue
		case <-reveal.C:
		}
		if err := m.chain.AddBlock(b); err != nil {
			continue // a block arrived as ours was revealed
		}
		nw.recordFound(i, b, attempts)
		nw.goBg(func(ctx context.Context) {
			// Failures are per peer, recorded by the node.
			_, _ = m.node.Announce(ctx, b)
		})
	}
}

// recordFound notes a block local node i mined.
func (nw *Network) recordFound(i int, b *blockchain.Block, attempts int64) {
	fb := FoundBlock{Hash: b.Hash(), Parent: b.PreviousHash(), Height: b.Index(), Miner: i, Time: time.Now(), Txs: len(b.Transactions())}
	nw.mu.Lock()
	nw.found[fb.Hash] = fb
	nw.order = append(nw.order, fb.Hash)
	nw.mu.Unlock()
	nw.note(Event{Kind: EventBlockFound, Node: nw.locals[i].name, Height: fb.Height, Hash: fb.Hash,
		Message: fmt.Sprintf("%s found #%d %s after %s (%d tx)", nw.locals[i].name, fb.Height, short(fb.Hash), plural(int(attempts), "attempt"), fb.Txs)})
}

// FeedTransactions adds a transaction at a node picked by the seed every
// every, until the network closes, so that reorgs have transactions to
// send back to pending.
func (nw *Network) FeedTransactions(every time.Duration) {
	if every > 0 {
		nw.goBg(func(ctx context.Context) { nw.feedTransactions(ctx, every) })
	}
}

func (nw *Network) feedTransactions(ctx context.Context, every time.Duration) {
	rng := rand.New(rand.NewPCG(uint64(nw.opts.Seed), 0x7478))
	t := time.NewTicker(every)
	defer t.Stop()
	for k := 1; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		i := rng.IntN(len(nw.locals))
		content := fmt.Sprintf("pays %d coins (#%d, seed %d)", 2+rng.IntN(98), k, nw.opts.Seed)
		// A refusal is in the event log; the feed goes on.
		_ = nw.AddTransaction(ctx, i, "feed", content)
	}
}

// short returns the first 8 hex digits of a hash.
func short(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}
