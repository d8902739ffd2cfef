package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
)

func TestLogCheckReportsTheOutcome(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	logCheck(context.Background(), log, blockchain.NewMemoryChain(blockchain.ChainOptions{}), time.Hour)
	if !strings.Contains(out.String(), "the stored chain is checked") || !strings.Contains(out.String(), "blocks=1") {
		t.Fatalf("log: %q", out.String())
	}
}
