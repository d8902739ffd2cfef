package blockchain

import (
	"fmt"
	"sync"
)

// memoryBackend keeps the chain's stored values in memory, for --mem and
// tests: the same bytes a Store keeps, so that both are read the same way.
type memoryBackend struct {
	mu     sync.RWMutex
	values [][]byte // height -> appendStored value
	seq    uint64
}

func (m *memoryBackend) blockCount() (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.values)), nil
}

func (m *memoryBackend) scan(from, to int64, fn func(sb *StoredBlock) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if to > int64(len(m.values)) {
		return damaged(int64(len(m.values)), "missing from the store")
	}
	var sb StoredBlock // one for the whole scan: fn's argument escapes
	for h := max(from, 0); h < to; h++ {
		var err error
		sb, err = decodeStored(h, m.values[h])
		if err != nil {
			return damaged(h, "stored value does not parse: "+err.Error())
		}
		if err := fn(&sb); err != nil {
			return err
		}
	}
	return nil
}

func (m *memoryBackend) scanLongRead(from, to int64, _ *fileRange, fn func(sb *StoredBlock) error) error {
	return m.scan(from, to, fn)
}

func (m *memoryBackend) scanValues(from, to int64, size int, fn func(first int64, values [][]byte) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if to > int64(len(m.values)) {
		return damaged(int64(len(m.values)), "missing from the store")
	}
	for h := max(from, 0); h < to; h += int64(size) {
		if err := fn(h, m.values[h:min(h+int64(size), to)]); err != nil {
			return err
		}
	}
	return nil
}

func (m *memoryBackend) loadPending() ([]PendingTx, error) { return nil, nil }

func (m *memoryBackend) appendBlock(b *Block, _ []uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b.index != int64(len(m.values)) {
		return fmt.Errorf("block %d does not follow the stored chain (next height is %d)", b.index, len(m.values))
	}
	m.values = append(m.values, appendStored(nil, b))
	return nil
}

func (m *memoryBackend) addPending(map[string]any, []byte) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	return m.seq, nil
}

func (m *memoryBackend) replace(from int64, blocks []*Block, _ []uint64, restore []PendingTx) ([]PendingTx, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	values := m.values[:min(from, int64(len(m.values))):min(from, int64(len(m.values)))]
	for i, b := range blocks {
		if b.index != from+int64(i) {
			return nil, fmt.Errorf("block %d given for height %d", b.index, from+int64(i))
		}
		values = append(values, appendStored(nil, b))
	}
	m.values = values
	out := make([]PendingTx, len(restore))
	for i, p := range restore {
		m.seq++
		p.Seq = m.seq
		out[i] = p
	}
	return out, nil
}
