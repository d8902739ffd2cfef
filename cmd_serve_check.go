package main

import (
	"context"
	"log/slog"
	"time"

	"blockscope/blockchain"
)

// checkLogEvery is how often serve logs the progress of the check of the
// stored chain while it runs.
const checkLogEvery = 2 * time.Second

// logCheck logs the progress of the check of the stored chain, which runs
// in the background from the start, every interval until it ends, then its
// outcome. It returns when the check ends or ctx does.
func logCheck(ctx context.Context, log *slog.Logger, chain *blockchain.Chain, interval time.Duration) {
	start := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	done := make(chan error, 1)
	go func() { done <- chain.WaitCheck(ctx) }()
	for {
		select {
		case err := <-done:
			p := chain.CheckProgress()
			switch {
			case ctx.Err() != nil:
			case chain.Damage() != nil:
				log.Error("the stored chain is damaged: the node serves and extends it only below the damaged block until the store is repaired or replaced",
					"blocks", chain.Len(), "err", err.Error())
			case err != nil:
				log.Warn("the check of the stored chain stopped", "checked", p.Checked, "of", p.Total, "err", err.Error())
			default:
				log.Info("the stored chain is checked", "blocks", p.Total, "took", time.Since(start).Round(time.Millisecond))
			}
			return
		case <-tick.C:
			p := chain.CheckProgress()
			log.Info("checking the stored chain", "checked", p.Checked, "of", p.Total)
		}
	}
}
