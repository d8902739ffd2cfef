package netview

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/localnet"
	"blockscope/ui/common"
)

// raceBlock is how long a block of the race takes on screen, on average.
const raceBlock = 700 * time.Millisecond

// raceMsg is the race after a block; raceDoneMsg its end.
type (
	raceMsg     localnet.RaceState
	raceDoneMsg struct {
		won bool
		err error
	}
)

// raceView is the double-spend race of the whitepaper between two real
// nodes, one race at a time at a watchable pace, with the measured share of
// races won beside the exact probability and the whitepaper's.
type raceView struct {
	ctx        context.Context
	cancel     context.CancelFunc
	st         common.Styles
	keys       keyMap
	difficulty int
	q          float64
	z          int
	trial      int
	state      localnet.RaceState
	updates    chan tea.Msg
	running    bool
	races, won int
	note       string
}

func newRaceView(ctx context.Context, st common.Styles, difficulty int) *raceView {
	return &raceView{ctx: ctx, st: st, keys: newKeyMap(), difficulty: difficulty, q: 0.3, z: 2}
}

// start begins the next race in a goroutine whose states come back as
// messages through a one-race channel.
func (r *raceView) start() tea.Cmd {
	if r.running {
		return nil
	}
	ctx, cancel := context.WithCancel(r.ctx)
	r.cancel, r.running, r.state, r.note = cancel, true, localnet.RaceState{}, ""
	r.trial++
	updates := make(chan tea.Msg, 64)
	r.updates = updates
	perBlock := localnet.ExpectedAttempts(r.difficulty)
	began := time.Now()
	race := localnet.Race{Share: r.q, Confirmations: r.z, GiveUpBehind: localnet.GiveUpBehind(r.q, r.z, localnet.DefaultGiveUpTolerance),
		Difficulty: r.difficulty, Seed: time.Now().UnixNano(), Trial: r.trial,
		Pace: func(ctx context.Context, at float64) error {
			wake := began.Add(time.Duration(at / perBlock * float64(raceBlock)))
			t := time.NewTimer(time.Until(wake))
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
	go func() {
		won, _, err := race.Run(ctx, func(s localnet.RaceState) {
			select {
			case updates <- raceMsg(s):
			case <-ctx.Done():
			}
		})
		select {
		case updates <- raceDoneMsg{won: won, err: err}:
		case <-ctx.Done():
		}
		close(updates)
	}()
	return r.wait()
}

// wait delivers the race's next message.
func (r *raceView) wait() tea.Cmd {
	ch := r.updates
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

func (r *raceView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case raceMsg:
		r.state = localnet.RaceState(msg)
		return r.wait()
	case raceDoneMsg:
		r.running = false
		switch {
		case msg.err != nil && r.ctx.Err() == nil && msg.err != context.Canceled:
			r.note = "error: " + msg.err.Error()
		case msg.err != nil:
		default:
			r.races++
			if msg.won {
				r.won++
			}
		}
	}
	return nil
}

// raceKey handles the keys of the race.
func (m *Model) raceKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	r := m.race
	switch {
	case key.Matches(msg, m.keys.Quit):
		r.stop()
		return m, tea.Quit
	case key.Matches(msg, m.keys.Back):
		r.stop()
		m.race = nil
		return m, m.read()
	case key.Matches(msg, m.keys.RaceAgain):
		return m, r.start()
	case key.Matches(msg, m.keys.ShareUp), key.Matches(msg, m.keys.ShareDown):
		step := 0.05
		if key.Matches(msg, m.keys.ShareDown) {
			step = -step
		}
		r.setOdds(min(max(r.q+step, 0.05), 0.45), r.z)
	case key.Matches(msg, m.keys.Confirm):
		r.setOdds(r.q, r.z%6+1)
	}
	return m, nil
}

// setOdds changes the race's share or confirmations; the tally restarts,
// as it measures one probability.
func (r *raceView) setOdds(q float64, z int) {
	if q == r.q && z == r.z {
		return
	}
	r.q, r.z, r.races, r.won = q, z, 0, 0
	r.note = "the next race (enter) uses the new figures"
}

func (r *raceView) stop() {
	if r.cancel != nil {
		r.cancel()
	}
}

// view draws the race.
func (r *raceView) view(width, height int, h help.Model) string {
	w := max(width, 40)
	s := r.state
	behind := s.Honest - s.Attacker
	status := fmt.Sprintf("racing: the attacker is %s", lead(behind))
	switch {
	case s.Done && s.Won:
		status = "attacker won: the honest node adopted its branch; the merchant's tx is pending again"
	case s.Done:
		status = "the attacker gave up " + common.Plural(int64(behind), "block") + " behind"
	case s.Honest < r.z:
		status += fmt.Sprintf(" · the merchant waits for %s (%d so far)", common.Plural(int64(r.z), "confirmation"), s.Honest)
	}
	lines := []string{
		fmt.Sprintf("attacker share q = %.2f · merchant waits z = %d · race %d · each block %s on average", r.q, r.z, r.trial, raceBlock),
		"",
		"honest   " + r.st.Good.Render(strings.Repeat("■ ", min(s.Honest, (w-20)/2))) + fmt.Sprintf(" %d (first one holds the merchant's tx)", s.Honest),
		"attacker " + r.st.Bad.Render(strings.Repeat("□ ", min(s.Attacker, (w-20)/2))) + fmt.Sprintf(" %d (private, holds the double spend)", s.Attacker),
		"",
		status,
		"",
		fmt.Sprintf("measured    %d of %d races won%s", r.won, r.races, rate(r.won, r.races)),
		fmt.Sprintf("exact       %.4f  the seed's rule: the attacker needs a strictly longer branch", localnet.AttackExact(r.q, r.z)),
		fmt.Sprintf("whitepaper  %.4f  Nakamoto's Poisson figure", localnet.Nakamoto(r.q, r.z)),
		"",
		"Why they differ: the whitepaper takes the attacker's progress as Poisson with the honest",
		"chain's expected time, and counts catching up to a tie as success; here the attacker needs",
		"a strictly longer branch, and its blocks while the honest chain makes z are negative binomial.",
		"",
		"Two real nodes on loopback: the branch is released over HTTP (POST /add_block, GET /chain).",
		r.note,
	}
	box := r.st.Modal("The double-spend race (Nakamoto 2008, section 11)", lines, w, max(height-1, 8))
	return box + "\n" + h.ShortHelpView(raceHelp(r.keys).ShortHelp())
}

func rate(won, races int) string {
	if races == 0 {
		return ""
	}
	return fmt.Sprintf(" (%.3f)", float64(won)/float64(races))
}

func lead(behind int) string {
	switch {
	case behind > 0:
		return fmt.Sprintf("%d behind", behind)
	case behind < 0:
		return fmt.Sprintf("%d ahead (waiting for the merchant)", -behind)
	}
	return "level"
}
