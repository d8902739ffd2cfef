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
	// staged is the staged chain's values while staging (see ForkStage).
	staged  [][]byte
	staging bool
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
	return m.numbered(restore), nil
}

func (m *memoryBackend) stageBegin() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.staged, m.staging = nil, true
	return nil
}

func (m *memoryBackend) stageCopy(from, to int64, maxBytes int) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.staging || int64(len(m.staged)) != from || to > int64(len(m.values)) {
		return 0, fmt.Errorf("cannot stage blocks %d to %d", from, to-1)
	}
	size := 0
	for ; from < to && size < maxBytes; from++ {
		m.staged = append(m.staged, m.values[from])
		size += len(m.values[from])
	}
	return from, nil
}

func (m *memoryBackend) stagePut(from int64, blocks []*Block) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.staging || int64(len(m.staged)) != from {
		return fmt.Errorf("cannot stage blocks from height %d", from)
	}
	for i, b := range blocks {
		if b.index != from+int64(i) {
			return fmt.Errorf("block %d given for height %d", b.index, from+int64(i))
		}
		m.staged = append(m.staged, appendStored(nil, b))
	}
	return nil
}

func (m *memoryBackend) stageScan(from, to int64, fn func(sb *StoredBlock) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if to > int64(len(m.staged)) {
		return fmt.Errorf("no staged block %d", to-1)
	}
	for h := max(from, 0); h < to; h++ {
		sb, err := decodeStored(h, m.staged[h])
		if err != nil {
			return err
		}
		if err := fn(&sb); err != nil {
			return err
		}
	}
	return nil
}

func (m *memoryBackend) stageSwitch(length, keep int64, _ []uint64, restore []PendingTx) ([]PendingTx, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case !m.staging || int64(len(m.staged)) != length:
		return nil, fmt.Errorf("the staging does not hold %d blocks", length)
	case keep < 1 || keep > int64(len(m.values)) || string(m.values[keep-1][:32]) != string(m.staged[keep-1][:32]):
		return nil, fmt.Errorf("our block %d changed since the staging began", keep-1)
	}
	m.values, m.staged, m.staging = m.staged, nil, false
	return m.numbered(restore), nil
}

func (m *memoryBackend) stageDiscard() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.staged, m.staging = nil, false
	return nil
}

func (m *memoryBackend) releaseMapped() {}

// numbered gives the restored transactions their new sequence numbers, as
// the store's pool does when it puts them back. The caller holds m.mu.
func (m *memoryBackend) numbered(restore []PendingTx) []PendingTx {
	out := make([]PendingTx, len(restore))
	for i, p := range restore {
		m.seq++
		p.Seq = m.seq
		out[i] = p
	}
	return out
}
