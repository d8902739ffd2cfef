package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// The store the screen's end-to-end tests open: block 1 holds a
// transaction whose content has a newline, and the chain is long enough
// that the chain pane cannot show every block at 100x30.
const (
	screenChainBlocks = 40
	newlineBlock      = 1
	newlineContent    = "two\nlines"
	longContentChars  = 5000
)

// screenEnv is what the screen's end-to-end subtests share: the binary
// built from the tree and a store made through the node's own HTTP API.
type screenEnv struct {
	bin    string
	store  string   // chain.db; every session opens its own copy
	hashes []string // each block's hash by height, as GET /chain answers
	long   string   // the content of the one pending transaction
}

// TestEndToEndScreen drives the real binary in tmux through what a
// newcomer reported: copy that prints the right hash, a lab edit undone,
// keys while the window is too small, :, enter on a pending transaction
// and the inspector's own help.
func TestEndToEndScreen(t *testing.T) {
	requireTmux(t)
	env := prepareScreenEnv(t)
	t.Run("copy the check command and run it", env.testCopyCheckCommand)
	t.Run("lab undo on a newline block stays valid", env.testLabUndo)
	t.Run("keys while too small do not reach the form", env.testTooSmallKeys)
	t.Run("keys while too small do not reach the lab", env.testTooSmallLab)
	t.Run("colon jumps to a block", env.testJump)
	t.Run("enter on a pending transaction shows it whole", env.testPendingWhole)
	t.Run("? in the inspector lists its keys", env.testInspectorHelp)
	t.Run("v shows the hashed bytes unwrapped", env.testRawBytes)
}

// prepareScreenEnv builds the binary and makes the store with serve, on a
// loopback port: the newline block, blocks up to screenChainBlocks-1, and
// a pending transaction of longContentChars characters.
func prepareScreenEnv(t *testing.T) screenEnv {
	t.Helper()
	env := screenEnv{bin: buildBinary(t), long: longContent(longContentChars)}
	dir := t.TempDir()
	url, _, stop := startServe(t, []string{"--data-dir", dir, "--listen", "127.0.0.1:0", "--workers", "1"})
	add := func(author, content string) {
		body, err := json.Marshal(map[string]string{"author": author, "content": content})
		if err != nil {
			t.Fatal(err)
		}
		if code, resp := httpDo(t, "POST", url+"new_transaction", string(body)); code != 201 {
			t.Fatalf("POST /new_transaction: %d %s", code, resp)
		}
	}
	for h := 1; h < screenChainBlocks; h++ {
		content := fmt.Sprintf("block %d", h)
		if h == newlineBlock {
			content = newlineContent
		}
		add("alice", content)
		if code, resp := httpDo(t, "GET", url+"mine", ""); code != 200 {
			t.Fatalf("GET /mine: %d %s", code, resp)
		}
	}
	add("carol", env.long)
	env.hashes = chainHashes(t, url)
	if code := stop(); code != 0 {
		t.Fatalf("serve exited with %d", code)
	}
	env.store = filepath.Join(dir, "chain.db")
	return env
}

// chainHashes reads every block's hash from GET /chain.
func chainHashes(t *testing.T, url string) []string {
	t.Helper()
	code, body := httpDo(t, "GET", url+"chain", "")
	var dump struct {
		Chain []struct {
			Hash string `json:"hash"`
		} `json:"chain"`
	}
	if err := json.Unmarshal([]byte(body), &dump); code != 200 || err != nil {
		t.Fatalf("GET /chain: %d %v", code, err)
	}
	if len(dump.Chain) != screenChainBlocks {
		t.Fatalf("GET /chain has %d blocks, want %d", len(dump.Chain), screenChainBlocks)
	}
	hashes := make([]string, len(dump.Chain))
	for i, b := range dump.Chain {
		hashes[i] = b.Hash
	}
	return hashes
}

// longContent is n characters of numbered words, so that a screen showing
// part of it, or the words out of order, is told apart from one showing it
// whole.
func longContent(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "w%04d ", i)
	}
	return b.String()[:n-3] + "END"
}

// open starts the UI on a copy of the store, API off, and waits for the
// chain to show.
func (e screenEnv) open(t *testing.T) *tmuxSession {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(e.store)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "chain.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startTmux(t, fmt.Sprintf("%q --data-dir %q --listen off", e.bin, dir))
	s.waitFor("start-up", "Pending", "Chain", fmt.Sprintf("#%d", screenChainBlocks-1))
	return s
}

// jump selects block h with the jump line.
func (s *tmuxSession) jump(h int) {
	s.keys(":")
	s.text(fmt.Sprint(h))
	s.keys("Enter")
}

// inspect jumps to block h and opens the inspector on it.
func (s *tmuxSession) inspect(h int) string {
	s.t.Helper()
	s.jump(h)
	s.keys("Enter")
	return s.waitFor("the inspector opens", fmt.Sprintf("Block #%d", h))
}

func (e screenEnv) testJump(t *testing.T) {
	s := e.open(t)
	const h = 5 // below the last row the chain pane shows at 100x30
	if scr := s.screen(); strings.Contains(scr, e.hashes[h][:12]) {
		t.Fatalf("block #%d is on screen before the jump; the test needs it off:\n%s", h, scr)
	}
	s.jump(h)
	s.waitFor("the jump shows the block", e.hashes[h][:12])
	s.keys("Enter")
	s.waitFor("enter inspects the block jumped to", fmt.Sprintf("Block #%d", h), e.hashes[h])
	s.quit()
}

func (e screenEnv) testInspectorHelp(t *testing.T) {
	s := e.open(t)
	s.inspect(3)
	s.keys("?")
	scr := s.waitFor("? lists the inspector's keys", "previous block", "next block", "copy", "tamper")
	for _, mainOnly := range []string{"new tx", "auto", "pace"} {
		if strings.Contains(scr, mainOnly) {
			t.Errorf("? in the inspector lists the main screen's %q:\n%s", mainOnly, scr)
		}
	}
	s.quit()
}

func (e screenEnv) testPendingWhole(t *testing.T) {
	s := e.open(t)
	s.resize(200, 50)
	s.keys("1", "Enter")
	// Compared without spaces and box drawing, so that any wrapping passes
	// and any missing or reordered character does not.
	want := withoutLayout(e.long)
	s.waitUntil("enter shows the whole pending transaction", func(scr string) error {
		if !strings.Contains(withoutLayout(scr), want) {
			return fmt.Errorf("the %d characters of content are not all on the screen", len(e.long))
		}
		return nil
	})
	s.quit()
}

// withoutLayout drops white space and box-drawing characters.
func withoutLayout(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || (r >= 0x2500 && r <= 0x257f) {
			return -1
		}
		return r
	}, s)
}

func (e screenEnv) testLabUndo(t *testing.T) {
	s := e.open(t)
	want := e.hashes[newlineBlock]
	s.jump(newlineBlock)
	s.keys("t")
	s.waitFor("the lab opens on the block", "Tamper lab", fmt.Sprintf("Block #%d", newlineBlock))
	s.keys("t")
	s.waitFor("the editor shows the newline, kept", fmt.Sprintf("Tampering with block #%d", newlineBlock), `two\nlines`)
	s.keys("Tab") // from the author to the content
	s.text("x")
	s.waitUntil("x changes the hash", editedHash(func(h string) error {
		if h == want {
			return errors.New("the hash did not change")
		}
		return nil
	}))
	s.waitFor("x is typed after the newline", `two\nlinesx`)
	s.keys("BSpace")
	scr := s.waitUntil("backspace gives the block its hash back", editedHash(func(h string) error {
		if h != want {
			return fmt.Errorf("the editor shows hash %s, want %s", h, want)
		}
		return nil
	}))
	if strings.Contains(scr, "✗") {
		t.Fatalf("the block is not valid after the edit was undone:\n%s", scr)
	}
	s.keys("Enter")
	if scr := s.waitFor("the edit is done", "Tamper lab"); strings.Contains(scr, "✗") {
		t.Fatalf("the lab's chain is not valid after the edit was undone:\n%s", scr)
	}
	s.keys("C-c") // ctrl+c quits whatever the lab would ask
	s.waitFor("quit", "EXITED:0")
}

// editorHash finds the hash the lab's editor shows.
var editorHash = regexp.MustCompile(`hash\s+([0-9a-f]{64})`)

// editedHash checks the hash the lab's editor shows with check.
func editedHash(check func(hash string) error) func(screen string) error {
	return func(screen string) error {
		m := editorHash.FindStringSubmatch(screen)
		if m == nil {
			return errors.New("no hash on the screen")
		}
		return check(m[1])
	}
}

func (e screenEnv) testTooSmallKeys(t *testing.T) {
	s := e.open(t)
	s.keys("n")
	s.waitFor("the form opens", "Author")
	s.text("alice")
	s.waitFor("the author is typed", "alice")
	s.whileTooSmall("press q to quit", func() {
		s.text("zzzz")
		s.keys("Tab")
		s.text("yyyy")
		s.keys("BSpace", "Escape", "Enter")
	})
	scr := s.waitFor("the form is back as it was", "Author", "alice")
	for _, leaked := range []string{"zzzz", "yyyy"} {
		if strings.Contains(scr, leaked) {
			t.Errorf("%q typed while too small reached the form:\n%s", leaked, scr)
		}
	}
	// q quits while too small, as the message says.
	s.resize(60, 20)
	s.waitFor("too small again", "60×20", "press q to quit")
	s.quit()
}

// testTooSmallLab: over a lab holding changes, q would ask before
// quitting, so while too small the message names ctrl+c, and neither q
// nor y reaches the lab or its question.
func (e screenEnv) testTooSmallLab(t *testing.T) {
	s := e.open(t)
	s.jump(newlineBlock)
	s.keys("t")
	s.waitFor("the lab opens", "Tamper lab")
	s.keys("t", "Tab")
	s.text("x")
	s.keys("Enter")
	s.waitFor("the lab holds a change", "✗")
	s.whileTooSmall("ctrl+c to quit", func() { s.keys("q", "y", "Escape", "y") })
	scr := s.waitFor("the lab is back as it was", "Tamper lab", "linesx")
	if strings.Contains(scr, "EXITED") || strings.Contains(scr, "Discard") {
		t.Fatalf("keys typed while too small reached the lab:\n%s", scr)
	}
	s.keys("C-c")
	s.waitFor("quit", "EXITED:0")
}

// whileTooSmall shrinks the window below the minimum, checks the message
// says how to quit, types, and gives the window its size back.
func (s *tmuxSession) whileTooSmall(howToQuit string, typing func()) {
	s.t.Helper()
	s.resize(60, 20)
	s.waitFor("too small", "60×20", howToQuit)
	typing()
	// The keys went to the terminal before this resize; once the screen
	// shows it, the program has read them.
	s.resize(61, 20)
	s.waitFor("still too small", "61×20")
	s.resize(100, 30)
}

// testRawBytes presses v in the inspector and reads the terminal as a
// selection would (tmux joins the lines the terminal wrapped): one line
// must be exactly the bytes that hash to the block's hash.
func (e screenEnv) testRawBytes(t *testing.T) {
	s := e.open(t)
	const h = newlineBlock
	s.inspect(h)
	s.keys("v")
	joined := func() string { return s.tmux("capture-pane", "-p", "-J", "-t", s.name) }
	poll(t, "v prints the hashed bytes on one line", joined, func(scr string) error {
		for _, line := range strings.Split(scr, "\n") {
			sum := sha256.Sum256([]byte(strings.TrimRight(line, " ")))
			if hex.EncodeToString(sum[:]) == e.hashes[h] {
				return nil
			}
		}
		return fmt.Errorf("no line, joined as a selection joins it, hashes to %s", e.hashes[h])
	})
	s.keys("Enter")
	s.waitFor("enter returns to the inspector", fmt.Sprintf("Block #%d", h), "What is hashed")
	s.quit()
}
