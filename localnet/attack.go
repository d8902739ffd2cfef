package localnet

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

// AttackOptions configure the double-spend experiment.
type AttackOptions struct {
	// Share is the attacker's share q of the hash power, 0 < q < 0.5.
	Share float64
	// Confirmations is z, the blocks the merchant waits for.
	Confirmations int
	// Trials is the number of races.
	Trials int
	// Seed goes into every transaction, so that a seed makes the same
	// blocks, the same hashes and the same outcome every time.
	Seed int64
	// Difficulty is the mining target; 0 means the seed's 2.
	Difficulty int
	// Tolerance bounds the error the attacker's giving up adds to the
	// success probability; 0 means DefaultGiveUpTolerance.
	Tolerance float64
}

// DefaultGiveUpTolerance is AttackOptions.Tolerance's default.
const DefaultGiveUpTolerance = 1e-6

// AttackReport is the outcome, as `blockscope net attack --json` prints it.
type AttackReport struct {
	Share         float64 `json:"share"`
	Confirmations int     `json:"confirmations"`
	Trials        int     `json:"trials"`
	Successes     int     `json:"successes"`
	SuccessRate   float64 `json:"success_rate"`
	// StdError is the binomial standard error of SuccessRate around
	// Expected.
	StdError float64 `json:"std_error"`
	// Expected is the exact probability under the seed's rule; Nakamoto the
	// whitepaper's figure.
	Expected float64 `json:"expected"`
	Nakamoto float64 `json:"nakamoto"`
	// GiveUpBehind is the deficit at which the attacker gives up;
	// ExpectedWithGiveUp the exact probability with that cut-off, which
	// differs from Expected by at most the tolerance.
	GiveUpBehind       int     `json:"give_up_behind"`
	ExpectedWithGiveUp float64 `json:"expected_with_give_up"`
	Difficulty         int     `json:"difficulty"`
	BlocksMined        int     `json:"blocks_mined"`
	Seconds            float64 `json:"seconds"`
}

// RaceState is a race as it stands, for a screen watching it.
type RaceState struct {
	// Honest and Attacker are the blocks each side has mined since the
	// fork.
	Honest, Attacker int
	// Done says the race is over; Won that the attacker's branch replaced
	// the merchant's block on the honest node.
	Done, Won bool
}

// RunAttack runs opts.Trials races (see Race) and reports the measured
// success rate beside the exact probability and the whitepaper's.
func RunAttack(ctx context.Context, opts AttackOptions) (AttackReport, error) {
	if err := ValidateAttack(opts.Share, opts.Confirmations); err != nil {
		return AttackReport{}, err
	}
	if opts.Trials < 1 {
		return AttackReport{}, fmt.Errorf("trials %d: at least 1", opts.Trials)
	}
	if opts.Difficulty == 0 {
		opts.Difficulty = blockchain.SeedDifficulty
	}
	if opts.Tolerance <= 0 {
		opts.Tolerance = DefaultGiveUpTolerance
	}
	q, z := opts.Share, opts.Confirmations
	behind := GiveUpBehind(q, z, opts.Tolerance)
	rep := AttackReport{Share: q, Confirmations: z, Trials: opts.Trials, Expected: AttackExact(q, z), Nakamoto: Nakamoto(q, z),
		GiveUpBehind: behind, ExpectedWithGiveUp: AttackWithGiveUp(q, z, behind), Difficulty: opts.Difficulty}
	began := time.Now()
	blocks, wins, err := runTrials(ctx, opts, behind)
	if err != nil {
		return rep, err
	}
	rep.BlocksMined, rep.Successes = blocks, wins
	rep.Seconds = time.Since(began).Seconds()
	rep.SuccessRate = float64(rep.Successes) / float64(rep.Trials)
	rep.StdError = math.Sqrt(rep.Expected * (1 - rep.Expected) / float64(rep.Trials))
	return rep, nil
}

// runTrials runs the races on as many goroutines as the Go scheduler has
// cores. Each race depends only on its seed and number, so the outcome is
// the same in any order.
func runTrials(ctx context.Context, opts AttackOptions, behind int) (blocks, wins int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(runtime.GOMAXPROCS(0), opts.Trials) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(next.Add(1) - 1); k < opts.Trials && ctx.Err() == nil; k = int(next.Add(1) - 1) {
				race := Race{Share: opts.Share, Confirmations: opts.Confirmations, GiveUpBehind: behind, Difficulty: opts.Difficulty, Seed: opts.Seed, Trial: k}
				won, n, err := race.Run(ctx, nil)
				mu.Lock()
				blocks += n
				if won {
					wins++
				}
				if err != nil {
					errs = append(errs, fmt.Errorf("trial %d: %w", k+1, err))
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return blocks, wins, errs[0]
	}
	return blocks, wins, ctx.Err()
}

// Race is one double-spend attempt between two real nodes on loopback: an
// honest node H, where the merchant's transaction is posted, and the
// attacker's node M, where a conflicting transaction is posted. Both mine
// from the genesis, H on the merchant's transaction, M privately on its
// own. The next block is H's or M's in the exact proportion of their
// shares: each side's miner finds the smallest valid nonce n of its
// template with the project's miner, and the block falls at the moment
// t0 + (n+1)/share on a clock counting the network's attempts; the
// earlier of the two comes first and the other side keeps its search
// (the attacker's template does not depend on the honest chain, nor the
// reverse). Time is virtual: blocks and transactions are stamped from that
// clock, so a seed gives the same race every time.
//
// Once H has z blocks and M's branch is strictly longer, M announces its
// tip to H over HTTP (POST /add_block); H, seeing it is behind, fetches
// M's chain (GET /chain) and adopts it, which puts the merchant's
// transaction back in H's pending pool. The attacker wins when that is
// what H's API shows. It gives up when GiveUpBehind blocks behind.
type Race struct {
	Share         float64
	Confirmations int
	GiveUpBehind  int
	Difficulty    int
	Seed          int64
	Trial         int
	// Pace, when set, is called before each block with the virtual time
	// (in network attempts) it falls at, so that a screen can show the
	// race at a watchable speed; its error stops the race.
	Pace func(ctx context.Context, at float64) error
}

// side is one racer: its node and its next block.
type side struct {
	node  *node.Node
	chain *blockchain.Chain
	url   string
	share float64
	next  *blockchain.Block
	at    float64 // virtual time the next block falls at
	mined int
}

// Run runs the race and reports whether the attacker won and how many
// blocks were mined. report, when set, is called after every block.
func (r *Race) Run(ctx context.Context, report func(RaceState)) (won bool, blocks int, err error) {
	clock := &virtualClock{base: time.Unix(1_700_000_000+r.Seed%1_000_000, 0), perSecond: ExpectedAttempts(r.Difficulty)}
	pair, err := startPair(clock)
	if err != nil {
		return false, 0, err
	}
	defer pair.close()
	honest, attacker := pair.sides[0], pair.sides[1]
	honest.share, attacker.share = 1-r.Share, r.Share
	if err := r.postTransactions(ctx, honest, attacker); err != nil {
		return false, 0, err
	}
	for _, s := range []*side{honest, attacker} {
		if err := r.nextBlock(ctx, s, clock, 0); err != nil {
			return false, 0, err
		}
	}
	for {
		s := honest
		if attacker.at < honest.at {
			s = attacker
		}
		if r.Pace != nil {
			if err := r.Pace(ctx, s.at); err != nil {
				return false, blocks, err
			}
		}
		if err := s.chain.AddBlock(s.next); err != nil {
			return false, blocks, fmt.Errorf("race: add block: %w", err)
		}
		s.mined++
		blocks++
		state := RaceState{Honest: honest.mined, Attacker: attacker.mined}
		switch {
		case honest.mined >= r.Confirmations && attacker.mined > honest.mined:
			state.Done = true
			state.Won, err = r.release(ctx, pair)
		case honest.mined-attacker.mined >= r.GiveUpBehind:
			state.Done = true
		default:
			err = r.nextBlock(ctx, s, clock, s.at)
		}
		if report != nil {
			report(state)
		}
		if err != nil || state.Done {
			return state.Won, blocks, err
		}
	}
}

// merchantTx is the transaction the attacker tries to undo.
func (r *Race) merchantTx() TxKey {
	return TxKey{Author: "buyer", Content: fmt.Sprintf("pays the merchant 10 coins (trial %d, seed %d)", r.Trial, r.Seed)}
}

// postTransactions posts the merchant's transaction to H and the
// conflicting one to M, over HTTP.
func (r *Race) postTransactions(ctx context.Context, honest, attacker *side) error {
	m := r.merchantTx()
	if err := postTransaction(ctx, honest.url, m.Author, m.Content); err != nil {
		return err
	}
	return postTransaction(ctx, attacker.url, "buyer", fmt.Sprintf("pays the same 10 coins back to itself (trial %d, seed %d)", r.Trial, r.Seed))
}

// nextBlock mines s's next block on its tip from virtual time from.
func (r *Race) nextBlock(ctx context.Context, s *side, clock *virtualClock, from float64) error {
	clock.set(from)
	tmpl, err := template(s.chain, clock.now())
	if err != nil {
		return fmt.Errorf("race: template: %w", err)
	}
	b, attempts, err := SealAt(ctx, tmpl, r.Difficulty)
	if err != nil {
		return fmt.Errorf("race: mine: %w", err)
	}
	s.next, s.at = b, from+float64(attempts)/s.share
	return nil
}

// release announces the attacker's tip to the honest node and waits until
// the honest node holds the attacker's branch; the attacker won when the
// merchant's transaction is then pending again on the honest node.
func (r *Race) release(ctx context.Context, pr *pair) (bool, error) {
	honest, attacker := pr.sides[0], pr.sides[1]
	tip := attacker.chain.Tip()
	changes, unsubscribe := honest.chain.Subscribe()
	defer unsubscribe()
	// H refuses the block (it is ahead of H's tip) and fetches M's chain.
	pr.released.Store(true)
	_, _ = attacker.node.Announce(ctx, tip)
	wait := time.NewTimer(10 * time.Second)
	defer wait.Stop()
	for honest.chain.Tip().Hash() != tip.Hash() {
		select {
		case <-changes:
		case <-wait.C:
			return false, errors.New("race: the honest node did not adopt the released branch within 10 s")
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	return confirmations(honest.chain, r.merchantTx()) == 0, nil
}

// virtualClock is the race's clock: base plus the network's attempts at
// perSecond attempts a second. It is safe for concurrent use.
type virtualClock struct {
	mu        sync.Mutex
	base      time.Time
	perSecond float64
	attempts  float64
}

func (c *virtualClock) set(attempts float64) {
	c.mu.Lock()
	c.attempts = attempts
	c.mu.Unlock()
}

func (c *virtualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Duration(c.attempts / c.perSecond * float64(time.Second)))
}

// pair is the race's two nodes, serving on loopback.
type pair struct {
	sides    [2]*side
	released atomic.Bool // the attacker's node may send requests
	cancel   context.CancelFunc
	served   [2]chan error
}

// startPair starts two nodes over memory chains stamped by clock and
// registers the first with the second.
func startPair(clock *virtualClock) (*pair, error) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pair{cancel: cancel}
	for i := range p.sides {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			p.close()
			return nil, fmt.Errorf("race: listen: %w", err)
		}
		u, _ := node.URLForListenAddr(ln.Addr().String())
		c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: clock.now})
		opts := node.Options{SelfURL: u, SyncInterval: -1}
		if i == 1 {
			opts.PeerTransport = func(base http.RoundTripper) http.RoundTripper { return &gate{base: base, open: &p.released} }
		}
		n, err := node.New(c, nil, opts)
		if err != nil {
			ln.Close()
			p.close()
			return nil, fmt.Errorf("race: node: %w", err)
		}
		p.sides[i] = &side{node: n, chain: c, url: u}
		p.served[i] = make(chan error, 1)
		go func(ch chan error) { ch <- n.Serve(ctx, ln) }(p.served[i])
	}
	// The honest node registers, so that the consensus round registration
	// starts (and the pause after it) fall on the attacker's node, which
	// cannot reach out until it releases its branch; the honest node
	// fetches the released branch at once.
	if _, err := p.sides[0].node.RegisterWith(ctx, p.sides[1].url); err != nil {
		p.close()
		return nil, fmt.Errorf("race: link the nodes: %w", err)
	}
	return p, nil
}

// gate keeps the attacker's node to itself until it releases its branch:
// its own consensus rounds would otherwise adopt the honest chain.
type gate struct {
	base http.RoundTripper
	open *atomic.Bool
}

// errPrivate is what the attacker's node's requests fail with before the
// release.
var errPrivate = errors.New("the attacker keeps its node to itself until it releases its branch")

// RoundTrip implements http.RoundTripper.
func (g *gate) RoundTrip(req *http.Request) (*http.Response, error) {
	if !g.open.Load() {
		return nil, errPrivate
	}
	return g.base.RoundTrip(req)
}

func (p *pair) close() {
	p.cancel()
	for i, s := range p.sides {
		if s == nil {
			continue
		}
		<-p.served[i]
		s.node.Close()
	}
}
