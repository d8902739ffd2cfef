package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// inspector shows one block in full: every field, the checks it passes or
// fails, and the exact bytes that are hashed, with the shell command that
// checks the hash independently. It scrolls for large blocks.
type inspector struct {
	block  *blockchain.Block
	parent *blockchain.Block // nil for the genesis
	floor  int
	length int64  // the chain's length when opened
	stale  string // why the block is off the chain ("dropped by reorg 2"), or "" for a block on it
	vp     viewport.Model
	st     common.Styles
	now    func() time.Time
	width  int // the size the content was laid out for
	height int
}

// openInspector opens block h of chain; SetSize lays it out.
func openInspector(st common.Styles, chain *blockchain.Chain, h int64, now func() time.Time) (inspector, bool) {
	b := chain.Block(h)
	if b == nil {
		return inspector{}, false
	}
	in := inspector{block: b, floor: chain.Difficulty(), length: int64(chain.Len()), st: st, now: now}
	if h > 0 {
		in.parent = chain.Block(h - 1)
	}
	in.vp = viewport.New(1, 1)
	in.vp.KeyMap = viewport.KeyMap{} // keys come from the screen's one keymap
	return in, true
}

// SetSize (re)builds the content for a box of width×height cells.
func (in inspector) SetSize(width, height int) inspector {
	if in.block == nil {
		return in
	}
	in.width, in.height = width, height
	in.vp.Width = max(1, width-2)
	in.vp.Height = max(1, height-2)
	in.vp.SetContent(strings.Join(in.lines(in.st, width-2, in.now()), "\n"))
	return in
}

// Update scrolls.
func (in inspector) Update(msg tea.Msg, keys keyMap) (inspector, tea.Cmd) {
	in.vp, _ = scrollViewport(in.vp, msg, keys)
	return in, nil
}

// scrollViewport scrolls vp by a movement key or a wheel turn (scrollMsg),
// for the views that show one long text: the inspector, the transaction.
func scrollViewport(vp viewport.Model, msg tea.Msg, keys keyMap) (viewport.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		mv, ok := keys.Movement(msg, vp.Height)
		switch {
		case !ok:
		case mv.ToTop:
			vp.GotoTop()
		case mv.ToBottom:
			vp.GotoBottom()
		case mv.Rows < 0:
			vp.ScrollUp(-mv.Rows)
		default:
			vp.ScrollDown(mv.Rows)
		}
	case scrollMsg:
		if msg < 0 {
			vp.ScrollUp(int(-msg))
		} else {
			vp.ScrollDown(int(msg))
		}
	}
	return vp, nil
}

// View draws the inspector in its box.
func (in inspector) View() string {
	st, width, height := in.st, in.width, in.height
	// "of #0–#304": a 305-block chain's last block is #304, and "of 304"
	// read as a count one short.
	title := "Block #" + strconv.FormatInt(in.block.Index(), 10) + " of #0–#" + strconv.FormatInt(in.length-1, 10)
	if in.stale != "" {
		title = "Stale block #" + strconv.FormatInt(in.block.Index(), 10) + " · " + in.stale + " · not on the chain"
	}
	footer := ""
	if in.vp.TotalLineCount() > in.vp.Height {
		footer = strconv.Itoa(int(in.vp.ScrollPercent()*100+0.5)) + "% · j/k scroll · esc back"
	} else {
		footer = "esc back"
	}
	return st.Box(title, footer, strings.Split(in.vp.View(), "\n"), width, height, true, false)
}

// fieldHang is where a field's value starts, after its name.
const fieldHang = 16

// text builds the inspector's lines for a width.
type text struct {
	st    common.Styles
	width int
	out   []string
}

// put adds a line, wrapped to the width; continuation lines are indented
// by hang cells so that they line up under the text.
func (t *text) put(hang int, line string) {
	if ansi.StringWidth(line) <= t.width {
		t.out = append(t.out, line)
		return
	}
	parts := strings.Split(ansi.Wrap(line, t.width, ""), "\n")
	t.out = append(t.out, parts[0])
	rest := strings.TrimLeft(strings.Join(parts[1:], " "), " ")
	for _, l := range strings.Split(ansi.Wrap(rest, max(10, t.width-hang), ""), "\n") {
		t.out = append(t.out, strings.Repeat(" ", hang)+l)
	}
}

// title starts a section after a blank line.
func (t *text) title(name, note string) {
	t.out = append(t.out, "")
	t.put(1, " "+t.st.TitleActive.Render(name)+t.st.Dim.Render(note))
}

func (t *text) field(name, value string) {
	t.put(fieldHang, " "+t.st.Label.Render(common.PadRight(name, fieldHang-1))+value)
}

// hashField puts a hash whole, or in two halves when the line is too
// narrow, rather than lose any of it.
func (t *text) hashField(name, h string) {
	if fieldHang+len(h) <= t.width {
		t.field(name, t.st.HashCell(h, blockchain.LeadingZeros(h), len(h)))
		return
	}
	half := (len(h) + 1) / 2
	t.field(name, t.st.HashCell(h[:half], blockchain.LeadingZeros(h[:half]), half))
	t.out = append(t.out, strings.Repeat(" ", fieldHang)+t.st.Hash.Render(h[half:]))
}

// block puts text that has no spaces to wrap at (hashes, JSON), cut at the
// width exactly.
func (t *text) block(indent int, s string, style common.Style) {
	for _, l := range strings.Split(ansi.Hardwrap(s, max(10, t.width-indent), true), "\n") {
		t.out = append(t.out, strings.Repeat(" ", indent)+style.Render(l))
	}
}

// lines is the inspector's content for width cells.
func (in inspector) lines(st common.Styles, width int, now time.Time) []string {
	t := &text{st: st, width: width}
	b := in.block
	hash := b.Hash()
	claimed, _ := b.ClaimedHash()
	in.fields(t, claimed, now)
	t.title("Checks", "")
	for _, c := range in.checks(hash, claimed, blockchain.LeadingZeros(hash)) {
		if c.ok {
			t.put(11, "   "+st.Good.Render("✓ pass")+"  "+c.text)
		} else {
			t.put(11, "   "+st.Bad.Render("✗ FAIL")+"  "+c.text)
		}
	}
	if txs := b.Transactions(); len(txs) > 0 {
		t.title("Transactions", "")
		for i, tx := range txs {
			author, content := blockchain.TxAuthor(tx), blockchain.TxContent(tx)
			t.put(8, "   "+common.PadLeft(strconv.Itoa(i+1)+".", 4)+" "+common.OneLine(author)+st.Dim.Render(": ")+common.OneLine(content))
			if c, err := blockchain.AppendPython(nil, tx); err == nil {
				t.block(8, string(c), st.Dim)
			}
		}
	}
	pre := string(b.Preimage())
	t.title("What is hashed", ": exactly these "+common.GroupDigits(int64(len(pre)))+" bytes, one line (v shows it unwrapped)")
	t.put(2, st.Dim.Render(" (Python's json.dumps(block, sort_keys=True) of the five fields)"))
	t.block(3, pre, common.Style{})
	t.title("Check it yourself", " (the bytes above in base64: copy all of it, borders and all)")
	for _, l := range checkCommandLines(b.Preimage(), width-3) {
		t.out = append(t.out, "   "+l)
	}
	t.put(3, st.Dim.Render("   prints ")+hash+st.Dim.Render("  -"))
	t.put(3, st.Dim.Render("   (tr keeps only base64's letters, so the line breaks and borders a copy adds do no harm)"))
	return t.out
}

// fields puts the five fields the hash covers, and the hash.
func (in inspector) fields(t *text, claimed string, now time.Time) {
	b := in.block
	when := "not a number"
	if s, ok := b.Seconds(); ok {
		tm := blockchain.FloatTime(s).In(now.Location())
		when = tm.Format("2006-01-02 15:04:05 MST") + " · " + common.Age(now, tm) + " ago"
		if b.Index() == 0 {
			// The genesis is written, not mined: its 0 is no moment.
			when = "fixed: the genesis is written into every node, not mined"
		}
	}
	t.title("Fields", " (the five the hash covers, and the hash)")
	t.field("index", blockchain.DisplayValue(b.IndexValue()))
	t.field("timestamp", blockchain.DisplayValue(b.Timestamp())+t.st.Dim.Render("  "+when))
	t.hashField("previous_hash", b.PreviousHash())
	nonceNote := "  (the number the miner varied)"
	if b.Index() == 0 {
		nonceNote = "  (fixed too: no miner varied it)"
	}
	t.field("nonce", blockchain.DisplayValue(b.NonceValue())+t.st.Dim.Render(nonceNote))
	t.hashField("hash", claimed)
	t.field("transactions", strconv.Itoa(len(b.Transactions())))
}

// check is one rule and whether the block passes it, in words.
type check struct {
	ok   bool
	text string
}

func (in inspector) checks(hash, claimed string, zeros int) []check {
	b := in.block
	var cs []check
	if b.Index() == 0 {
		err := blockchain.CheckGenesis(b)
		cs = append(cs, check{err == nil, "genesis: identical to the seed's genesis block (valid by identity, not by proof of work)"})
		return cs
	}
	if in.parent == nil {
		cs = append(cs, check{false, "previous_hash: block #" + strconv.FormatInt(b.Index()-1, 10) + " is missing"})
	} else {
		ph, _ := in.parent.ClaimedHash()
		if b.PreviousHash() == ph {
			cs = append(cs, check{true, "previous_hash links to block #" + strconv.FormatInt(in.parent.Index(), 10) + ": it equals that block's hash " + ph[:min(12, len(ph))] + "…"})
		} else {
			cs = append(cs, check{false, "previous_hash does not link to block #" + strconv.FormatInt(in.parent.Index(), 10) + ", whose hash is " + ph[:min(12, len(ph))] + "…"})
		}
		if in.parent.Index() != b.Index()-1 {
			cs = append(cs, check{false, "index does not follow block #" + strconv.FormatInt(in.parent.Index(), 10)})
		}
	}
	if claimed == hash {
		cs = append(cs, check{true, "hash matches the contents: SHA-256 of the bytes below is " + hash[:12] + "…"})
	} else {
		cs = append(cs, check{false, "hash does not match the contents: they hash to " + hash[:12] + "…"})
	}
	need := in.floor
	if zeros >= need {
		cs = append(cs, check{true, "proof of work meets difficulty " + strconv.Itoa(need) + ": the hash has " + common.ZerosText(zeros)})
	} else {
		cs = append(cs, check{false, "proof of work below difficulty " + strconv.Itoa(need) + ": the hash has " + common.ZerosText(zeros)})
	}
	return cs
}
