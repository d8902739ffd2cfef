package ui

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
)

func TestEventLogRing(t *testing.T) {
	tests := []struct {
		name                string
		limit, added        int
		wantLen, wantOldest int // wantOldest: the number of the oldest entry kept
	}{
		{"empty", 5, 0, 0, -1},
		{"under the limit", 5, 3, 3, 0},
		{"at the limit", 5, 5, 5, 0},
		{"past the limit drops the oldest", 5, 12, 5, 7},
		{"the screen's bound", maxLogEntries, maxLogEntries + 5, maxLogEntries, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newEventLog(tt.limit)
			for i := 0; i < tt.added; i++ {
				l.add(logEntry{at: testNow, text: strconv.Itoa(i)})
			}
			if l.len() != tt.wantLen || l.total != tt.added {
				t.Fatalf("len %d total %d, want %d and %d", l.len(), l.total, tt.wantLen, tt.added)
			}
			for i := 0; i < l.len(); i++ {
				if got, want := l.entry(i).text, strconv.Itoa(tt.wantOldest+i); got != want {
					t.Fatalf("entry %d is %q, want %q (oldest first)", i, got, want)
				}
			}
		})
	}
}

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestStatusExpires: a status line leaves after its life (errors live
// longer), and the event log keeps it.
func TestStatusExpires(t *testing.T) {
	tests := []struct {
		name  string
		msg   StatusMsg
		after time.Duration
		shown bool
	}{
		{"a note just said", StatusMsg{Text: "registered with the peer"}, infoLife - time.Second, true},
		{"a note past its life", StatusMsg{Text: "registered with the peer"}, infoLife, false},
		{"an error outlives a note", StatusMsg{Text: "the peer refused", Err: true}, infoLife, true},
		{"an error past its life", StatusMsg{Text: "the peer refused", Err: true}, errorLife, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &testClock{now: testNow}
			h := newHarness(t, func(o *Options) { o.Now = clock.Now })
			h.send(tt.msg)
			clock.advance(tt.after)
			if got := strings.Contains(h.view(), tt.msg.Text); got != tt.shown {
				t.Errorf("after %s the status line shows it: %v, want %v:\n%s", tt.after, got, tt.shown, h.view())
			}
			if !tt.shown {
				h.mustContain("n adds a transaction · m mines it")
			}
			if n := h.m.events.len(); n != 1 || h.m.events.entry(0).text != tt.msg.Text {
				t.Errorf("the log holds %d entries, want the one status line", n)
			}
		})
	}
}

// TestNothingToMineClearsWhenATransactionArrives: "no transactions to
// mine" is untrue once one is pending, and leaves the status line then.
func TestNothingToMineClearsWhenATransactionArrives(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("m")
	h.mustContain("no transactions to mine")
	h.addTx("alice", "pay bob 5")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 1 })
	if v := h.view(); strings.Contains(v, "no transactions to mine") {
		t.Fatalf("the status line still says nothing is pending:\n%s", v)
	}
	if h.m.events.len() != 1 {
		t.Errorf("the log lost the line: %d entries", h.m.events.len())
	}
}

// TestEventLogRecordsEveryStatusOnce: statuses set anywhere, node events
// and errors each make one entry, in order; e opens the log and esc
// closes it.
func TestEventLogRecordsEveryStatusOnce(t *testing.T) {
	net := &scriptNetwork{events: make(chan node.Event, 4)}
	h := newHarness(t, func(o *Options) { o.Network = net; o.Notice = "started" })
	h.keys("+")
	net.events <- node.Event{Kind: node.EventPeerUnreachable, Message: "peer http://127.0.0.1:9/ unreachable: connection refused"}
	h.until("event", func(m Model) bool { return m.events.len() == 3 })
	h.send(StatusMsg{Text: "registered", Err: false})
	h.send(StatusMsg{Text: "registered", Err: false}) // said twice, logged twice
	want := []struct {
		kind logKind
		text string
	}{
		{logNote, "started"},
		{logNote, "difficulty 3: ~4.10 k attempts per block on average"},
		{logFault, "peer http://127.0.0.1:9/ unreachable: connection refused"},
		{logNote, "registered"},
		{logNote, "registered"},
	}
	if h.m.events.len() != len(want) {
		t.Fatalf("%d entries, want %d", h.m.events.len(), len(want))
	}
	for i, w := range want {
		if e := h.m.events.entry(i); e.kind != w.kind || e.text != w.text || !e.at.Equal(testNow) {
			t.Errorf("entry %d is %v %q at %v, want %v %q at the test clock", i, e.kind, e.text, e.at, w.kind, w.text)
		}
	}
	h.keys("e")
	h.mustContain("Event log · oldest first · 5 entries", "12:00:00  peer ✗ peer http://127.0.0.1:9/")
	// Open at the newest entry, the log follows what happens meanwhile.
	for i := 0; i < 40; i++ {
		h.send(StatusMsg{Text: "later " + strconv.Itoa(i)})
	}
	h.mustContain("45 entries", "later 39")
	h.keys("g")
	h.mustContain("started")
	h.keys("esc")
	if h.m.modes.has(modeEvents) {
		t.Fatal("esc did not close the event log")
	}
}

func TestGoldenEventLog(t *testing.T) {
	net := &scriptNetwork{events: make(chan node.Event, 4)}
	g := startGolden(t, 100, 30, func(o *Options) { o.Network = net })
	g.waitScreen(t, "pay bob 5")
	g.keys("+")
	g.waitScreen(t, "difficulty 3:")
	net.events <- node.Event{Kind: node.EventBlockReceived, Index: 4, Message: "block #4 received from http://127.0.0.1:8001/"}
	g.waitScreen(t, "received from")
	long := "register with http://10.0.0.9:5000/: Post \"http://10.0.0.9:5000/register_node\": dial tcp 10.0.0.9:5000: connect: connection refused (the peer may not be running yet; it is tried again every 30s)"
	g.tm.Send(StatusMsg{Text: long, Err: true})
	g.waitScreen(t, "whole in the log")
	g.keys("e")
	g.waitScreen(t, "Event log")
	g.finish(t)
}

// TestGoldenStatusCut80x24: an error too long for the line is cut before
// a note that the log holds it whole.
func TestGoldenStatusCut80x24(t *testing.T) {
	g := startGolden(t, 80, 24, nil)
	g.waitScreen(t, "pay bob 5")
	g.tm.Send(StatusMsg{Text: "transaction not stored: " + errors.New("writing the pool to disk: open /home/alice/.local/share/blockscope/chain.db: no space left on device").Error(), Err: true})
	g.waitScreen(t, "whole in the log")
	g.finish(t)
}

// TestSparklineIsPerSearch: a new search starts an empty sparkline, so a
// paced search is not drawn on a fast one's scale.
func TestSparklineIsPerSearch(t *testing.T) {
	p := miningPane{pace: miner.Unlimited, rateSec: -1, width: 100, height: 5}
	p = p.Started(1, 1)
	for sec, rate := range []float64{5e6, 6e6, 5.5e6} {
		p, _ = p.Update(miner.Progress{Rate: rate, Elapsed: time.Duration(sec) * time.Second, Nonce: 1})
	}
	if len(p.rates) != 3 {
		t.Fatalf("%d samples, want 3", len(p.rates))
	}
	p.pace = 10
	p = p.Started(2, 1)
	p, _ = p.Update(miner.Progress{Rate: 10, Elapsed: time.Second, Nonce: 1})
	if len(p.rates) != 1 || p.rates[0] != 10 {
		t.Fatalf("the new search's samples are %v, want only its own [10]", p.rates)
	}
}

func TestAboutDuration(t *testing.T) {
	tests := []struct {
		sec  float64
		want string
	}{
		{0.18, "0.18 s"},
		{1380, "23 min"},
		{5 * 3600, "5 h"},
		{3 * 86400, "3 days"},
		{41 * 365.25 * 86400, "41 years"},
		{2.5e9 * 365.25 * 86400, "2.50 G years"},
	}
	for _, tt := range tests {
		if got := aboutDuration(tt.sec); got != tt.want {
			t.Errorf("aboutDuration(%g) = %q, want %q", tt.sec, got, tt.want)
		}
	}
}

// goldenProgress sends a Progress a second for n seconds, the rate
// climbing, the last at attempts.
func goldenProgress(s *scriptSearch, n int, attempts uint64) {
	var cand, best [32]byte
	copy(cand[:], []byte{0x3f, 0x9a, 0x1c, 0x07, 0xe2, 0x55, 0x10})
	copy(best[:], []byte{0x00, 0x00, 0xa7, 0x1f, 0x3c, 0x42})
	for i := 1; i <= n; i++ {
		s.emit(miner.Progress{
			Attempts: attempts * uint64(i) / uint64(n), Nonce: int64(attempts) * int64(i) / int64(n), Candidate: cand,
			Best: best, BestNonce: 77, BestZeros: 4, Rate: 190e3 + float64(i%7)*10e3,
			Elapsed: time.Duration(i) * time.Second, Workers: 2,
		})
	}
}

// TestGoldenMining80x24: a full minute of sparkline at 80 columns leaves
// the expected time, elapsed and attempts whole.
func TestGoldenMining80x24(t *testing.T) {
	g := startGolden(t, 80, 24, func(o *Options) { o.Difficulty = 6 })
	g.waitScreen(t, "pay bob 5")
	g.keys("m")
	s := <-g.miner.starts
	goldenProgress(s, 70, 13_300_000)
	g.waitScreen(t, "13.3 M")
	g.finish(t)
}

// TestGoldenMiningFirstAttempt: a Progress before the first attempt
// (Nonce -1) shows dashes, not "nonce -1" and a hash of zeros.
func TestGoldenMiningFirstAttempt(t *testing.T) {
	g := startGolden(t, 100, 30, func(o *Options) { o.Difficulty = 5 })
	g.waitScreen(t, "pay bob 5")
	g.keys("m")
	s := <-g.miner.starts
	s.emit(miner.Progress{Nonce: -1, BestNonce: -1, Workers: 2})
	g.waitScreen(t, "first attempt")
	g.finish(t)
}

// TestGoldenNetworkDeadPeer: a --peer that cannot be reached is listed as
// such (not "no peers: start with --peer"), and a chain adopted counts
// the blocks it brought, not one.
func TestGoldenNetworkDeadPeer(t *testing.T) {
	net := &scriptNetwork{events: make(chan node.Event, 4)}
	g := startGolden(t, 100, 30, func(o *Options) {
		o.Network = net
		o.Peers = []string{"http://127.0.0.1:9", "http://127.0.0.1:5001"}
	})
	g.waitScreen(t, "pay bob 5")
	g.tm.Send(StatusMsg{Text: "register with http://127.0.0.1:9: connection refused", Err: true,
		Peer: "http://127.0.0.1:9", Why: "connection refused", Retry: 30 * time.Second})
	net.events <- node.Event{Kind: node.EventChainAdopted, Index: 1, Length: 347, Message: "adopted chain of 347 blocks from http://127.0.0.1:5002/"}
	g.waitScreen(t, "adopted chain")
	g.keys("w")
	g.waitScreen(t, "tried again")
	g.finish(t)
}

func TestFromPeersText(t *testing.T) {
	tests := []struct {
		f         fromPeers
		text, how string
	}{
		{fromPeers{}, "0 blocks received from peers since start", ""},
		{fromPeers{announced: 1}, "1 block received from peers since start", ""},
		{fromPeers{announced: 1, adopted: 346, chains: 1}, "347 blocks received from peers since start", "1 announced one at a time, 346 in 1 adopted chain"},
		{fromPeers{adopted: 1000, chains: 2}, "1,000 blocks received from peers since start", "0 announced one at a time, 1,000 in 2 adopted chains"},
	}
	for _, tt := range tests {
		if got, how := tt.f.text(), tt.f.how(); got != tt.text || how != tt.how {
			t.Errorf("%+v: %q, %q; want %q, %q", tt.f, got, how, tt.text, tt.how)
		}
	}
}

// TestMinedPlurals: one attempt is "1 attempt", never "1 attempts".
func TestMinedPlurals(t *testing.T) {
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	b, err := blockchain.NewBlock(1, nil, 1.7639e9, c.Tip().Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		attempts uint64
		want     string
	}{
		{1, "after 1 attempt"},
		{2, "after 2 attempts"},
		{12345, "after 12,345 attempts"},
	}
	for _, tt := range tests {
		_, _, news := mineControl{}.stored(blockStoredMsg{found: miner.Found{Block: b, Attempts: tt.attempts, Elapsed: time.Millisecond}})
		if !strings.HasSuffix(news.status.text, tt.want) {
			t.Errorf("%d attempts: %q, want it to end %q", tt.attempts, news.status.text, tt.want)
		}
	}
}

// TestRegisterRetriesAreLoggedNotRepeated: a --peer failing again as before
// is written to the log but does not take the status line again.
func TestRegisterRetriesAreLoggedNotRepeated(t *testing.T) {
	net := &scriptNetwork{events: make(chan node.Event, 4)}
	h := newHarness(t, func(o *Options) { o.Network = net; o.Peers = []string{"http://127.0.0.1:9"} })
	fail := StatusMsg{Text: "register with http://127.0.0.1:9: connection refused", Err: true, Peer: "http://127.0.0.1:9", Why: "connection refused", Retry: 30 * time.Second}
	h.send(fail)
	h.send(StatusMsg{Text: "copied the hash"})
	h.send(fail) // the retry, 30 s later
	if h.m.status.text != "copied the hash" {
		t.Errorf("the retry took the status line: %q", h.m.status.text)
	}
	if n := h.m.events.len(); n != 3 {
		t.Errorf("%d log entries, want 3 (both tries and the copy)", n)
	}
	h.send(StatusMsg{Text: "registered with http://127.0.0.1:9/ (its chain: 1 block)", Peer: "http://127.0.0.1:9"})
	if a := h.m.asked[0]; !a.done || a.err != "" {
		t.Errorf("after registering the peer's row is %+v", a)
	}
}

// TestPeerFailureWrapsNotCuts: a peer's failure under its row keeps its
// cause, at the end of a long message; past three lines it points at the log.
func TestPeerFailureWrapsNotCuts(t *testing.T) {
	st := *asciiStyles()
	long := `peer http://10.0.0.9:5000/: fetch chain: Get "http://10.0.0.9:5000/chain?from=348": dial tcp 10.0.0.9:5000: connect: connection refused`
	tests := []struct {
		name, why string
		inner     int
		lines     int
		tail      string
	}{
		{"short stays one line", "connection refused", 94, 1, "connection refused"},
		{"long wraps, cause kept", long, 60, 3, "connection refused"},
		{"too long for three lines points at the log", strings.Repeat("word ", 60) + "the cause", 60, maxWhyLines, "e: whole in the log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := whyLines(st, tt.why, tt.inner)
			if len(got) != tt.lines {
				t.Fatalf("%d lines, want %d: %q", len(got), tt.lines, got)
			}
			for _, l := range got {
				if w := lipglossWidth(l); w > tt.inner {
					t.Errorf("line %q is %d cells, over %d", l, w, tt.inner)
				}
			}
			if last := got[len(got)-1]; !strings.HasSuffix(last, tt.tail) {
				t.Errorf("last line %q does not end %q", last, tt.tail)
			}
		})
	}
}

// TestGoldenSparklinePerSearch: after a fast search, a paced one draws its
// sparkline on its own scale (full bars), not flat on the fast one's.
func TestGoldenSparklinePerSearch(t *testing.T) {
	g := startGolden(t, 100, 30, func(o *Options) { o.Difficulty = 5 })
	g.waitScreen(t, "pay bob 5")
	g.keys("m")
	fast := <-g.miner.starts
	goldenProgress(fast, 5, 5_000_000)
	g.waitScreen(t, "5.00 M of")
	g.keys("p") // 100 a second: a new search
	paced := <-g.miner.starts
	for i, rate := range []float64{100, 96, 100, 98} {
		var cand, best [32]byte
		copy(cand[:], []byte{0x7c, 0x01, 0x9e, 0x44, 0x2b})
		copy(best[:], []byte{0x00, 0x3a, 0x51, 0x9c, 0x07})
		paced.emit(miner.Progress{Attempts: uint64(100 * (i + 1)), Nonce: int64(100*(i+1)) - 1, Candidate: cand, Best: best, BestNonce: 3, BestZeros: 2, Rate: rate,
			Elapsed: time.Duration(i+1) * time.Second, Workers: 1})
	}
	g.waitScreen(t, "attempts 400 of")
	g.finish(t)
}

func TestGoldenEventLog80x24(t *testing.T) {
	g := startGolden(t, 80, 24, nil)
	g.waitScreen(t, "pay bob 5")
	g.tm.Send(StatusMsg{Text: "transaction not stored: writing the pool to disk: open /home/alice/.local/share/blockscope/chain.db: no space left on device", Err: true})
	g.keys("m")
	g.waitScreen(t, "mining 2 transactions")
	g.keys("e")
	g.waitScreen(t, "Event log")
	g.finish(t)
}
