package miner

import (
	"context"
	"errors"

	"blockscope/blockchain"
)

// Mine runs a search on template and waits for its end: it returns the block
// with the smallest valid nonce (the seed's result), the worker failure, or
// ctx's error when ctx ends first. It is the blocking form of Start, for
// callers that want one block, such as the HTTP API's /mine.
func Mine(ctx context.Context, template *blockchain.Block, cfg Config) (*blockchain.Block, error) {
	s, err := Start(ctx, template, cfg)
	if err != nil {
		return nil, err
	}
	var (
		found  *blockchain.Block
		failed error
	)
	for ev := range s.Events() {
		switch ev := ev.(type) {
		case Found:
			found = ev.Block
		case Failed:
			failed = ev.Err
		}
	}
	switch {
	case found != nil:
		return found, nil
	case failed != nil:
		return nil, failed
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	return nil, errors.New("miner: the search ended without a block (its nonce limit was reached)")
}
