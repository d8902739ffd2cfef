package ui

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"blockscope/blockchain"
	"blockscope/miner"
)

var bigChain struct {
	once  sync.Once
	chain *blockchain.Chain
	err   error
}

// chain100k returns a memory chain of 100,000 blocks after the genesis,
// each mined at difficulty 2 (about 256 attempts), built once per process:
// about five seconds.
func chain100k(b *testing.B) *blockchain.Chain {
	bigChain.once.Do(func() {
		c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
		tip := c.Tip()
		for i := int64(1); i <= 100_000; i++ {
			var txs []any
			if i%10 == 0 {
				txs = []any{map[string]any{"author": "alice", "content": "pay bob 5", "timestamp": 1.7639e9 + float64(i)}}
			}
			tmpl, err := blockchain.NewBlock(i, txs, 1.7639e9+float64(i), tip.Hash(), 0)
			if err != nil {
				bigChain.err = err
				return
			}
			blk, err := blockchain.Mine(context.Background(), tmpl, 2)
			if err != nil {
				bigChain.err = err
				return
			}
			if err := c.AddBlock(blk); err != nil {
				bigChain.err = err
				return
			}
			tip = blk
		}
		for i := 0; i < 30; i++ {
			if _, err := c.AddTransaction(map[string]any{"author": "carol", "content": "pending transaction waiting for a block"}); err != nil {
				bigChain.err = err
				return
			}
		}
		bigChain.chain = c
	})
	if bigChain.err != nil {
		b.Fatal(bigChain.err)
	}
	return bigChain.chain
}

// BenchmarkViewChain100k measures one frame (the Update of a message and the
// View of the whole 100x30 screen, in true colour) on a 100,000-block chain:
// idle at the newest block, scrolled to the middle, and with the search
// live (a Progress per frame, as the miner sends ten a second).
func BenchmarkViewChain100k(b *testing.B) {
	c := chain100k(b)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	newModel := func() Model {
		m := New(Options{Chain: c, Miner: newScriptMiner(), Now: fixedClock, Renderer: r, Tick: -1, Workers: 2, Difficulty: 6,
			Where: "/home/alice/.local/share/blockscope/chain.db", API: API{Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8000}}})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		return next.(Model)
	}
	frame := func(b *testing.B, m Model, msg func(i int) tea.Msg) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			next, _ := m.Update(msg(i))
			m = next.(Model)
			if len(m.View()) == 0 {
				b.Fatal("empty view")
			}
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/frame")
	}

	b.Run("idle-newest", func(b *testing.B) {
		m := newModel()
		frame(b, m, func(int) tea.Msg { return tickMsg{} })
	})
	b.Run("scrolled-middle", func(b *testing.B) {
		m := newModel()
		m.chainP.listCursor = m.chainP.listCursor.clamp(int(m.chainP.length), 1)
		m.chainP.Cursor, m.chainP.Offset = 50_000, 49_990
		keys := []tea.Msg{tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}}
		frame(b, m, func(i int) tea.Msg { return keys[i%2] })
	})
	b.Run("form-typing", func(b *testing.B) {
		// The form open over the screen, its content field long enough to
		// scroll, one key typed or deleted per frame.
		m := newModel()
		next, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
		m = next.(Model)
		m.form = m.form.focusField(1)
		m.form.fields[1].SetValue(strings.Repeat("pay bob 5 and carol 7; ", 8))
		keys := []tea.Msg{tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}, tea.KeyMsg{Type: tea.KeyBackspace}}
		frame(b, m, func(i int) tea.Msg { return keys[i%2] })
	})
	b.Run("mining-live", func(b *testing.B) {
		m := newModel()
		s := &scriptSearch{events: make(chan miner.Event, 1)}
		m.mining.search = s
		m.mining.gen = 7
		m.mining.miningPane = m.mining.Started(100_001, 30)
		var cand, best [32]byte
		cand[0], best[2] = 0x3f, 0x1f
		// A minute of rate samples, as after a minute of mining.
		for sec := 0; sec < 60; sec++ {
			m.mining.miningPane, _ = m.mining.miningPane.Update(miner.Progress{Attempts: uint64(sec) * 6e6, Rate: 6e6 + float64(sec%7)*1e5, Elapsed: time.Duration(sec) * time.Second, Workers: 2})
		}
		frame(b, m, func(i int) tea.Msg {
			return minerEventMsg{gen: 7, ev: miner.Progress{
				Attempts: uint64(360e6 + i*600_000), Nonce: int64(360e6 + i*600_000), Candidate: cand, Best: best, BestZeros: 5,
				Rate: 6e6, Elapsed: 60*time.Second + time.Duration(i)*100*time.Millisecond, Workers: 2,
			}}
		})
	})
}
