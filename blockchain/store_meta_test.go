package blockchain

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestReadStoreMeta(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta("peers", []byte(`["http://a/"]`)); err != nil {
		t.Fatal(err)
	}

	// Held open by a Store, the file is in use: the read gives up in time.
	_, err = ReadStoreMeta(dir, "peers", 50*time.Millisecond)
	var inUse *StoreInUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("ReadStoreMeta on a store in use: err = %v, want a *StoreInUseError", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		key  string
		want []byte
	}{
		{"peers", []byte(`["http://a/"]`)},
		{"absent", nil},
	}
	for _, tt := range tests {
		got, err := ReadStoreMeta(dir, tt.key, time.Second)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("ReadStoreMeta(%q) = %q, %v; want %q", tt.key, got, err, tt.want)
		}
	}
}

func TestReadStoreMetaCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "none")
	if _, err := ReadStoreMeta(dir, "peers", time.Second); err == nil {
		t.Fatal("ReadStoreMeta on a missing store: no error")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadStoreMeta created %s (stat: %v)", dir, err)
	}
}
