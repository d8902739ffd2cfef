package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

func TestLogCheckReportsDamage(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := runBench([]string{"--chain", "40", "--out", dir}, &out, &errOut); code != 0 {
		t.Fatalf("bench: %s", errOut.String())
	}
	tamperStoredBlock(t, dir, 20)
	old := blockchain.SyncCheckLimit
	blockchain.SyncCheckLimit = 0 // checked in the background, as a long chain is
	defer func() { blockchain.SyncCheckLimit = old }()
	s, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := blockchain.OpenChain(s, blockchain.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	logCheck(context.Background(), slog.New(slog.NewTextHandler(&logged, nil)), c, time.Hour)
	for _, want := range []string{"level=ERROR", "the stored chain is damaged", "block 20 invalid", "blocks=20"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log %q lacks %q", logged.String(), want)
		}
	}
}

// tamperStoredBlock changes one byte of the preimage stored for block h,
// through bbolt itself, as a bad disk or an attacker could.
func tamperStoredBlock(t *testing.T, dir string, h uint64) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, blockchain.StoreFileName), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("chain"))
		key := binary.BigEndian.AppendUint64(nil, h)
		v := bytes.Clone(b.Get(key))
		i := bytes.Index(v, []byte("transaction 1"))
		v[i] = 'T'
		return b.Put(key, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}
