package lab

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// Fixed heights of the lab's parts, in lines with their borders.
const (
	labEditorHeight  = 7
	labMiningHeight  = 4
	labCompareHeight = 8
	labChromeHeight  = 3 // header, status and help lines
)

// View draws the lab: the sandbox chain with a verdict per block, the block
// being edited, the forger's mining, and the fork comparison (or the
// difficulty lesson).
func (l Model) View() string {
	if l.closed {
		return ""
	}
	w, h := l.width, l.height
	chainRows, compareH := l.chainRows()
	parts := []string{l.headerView(w)}
	parts = append(parts, l.chainView(w, chainRows))
	if l.showLesson {
		rest := max(4, h-labChromeHeight-labMiningHeight-(chainRows+2))
		parts = append(parts, l.miningView(w))
		parts = append(parts, l.box("Difficulty lesson · d to close", l.lesson.Lines(l.styles, w-4, rest-2), w, rest, false))
	} else {
		parts = append(parts, l.editorView(w))
		parts = append(parts, l.miningView(w))
		parts = append(parts, l.compareView(w, compareH))
	}
	parts = append(parts, l.statusView(w), l.helpView(w))
	return strings.Join(parts, "\n")
}

// chainRows is the number of blocks the chain box lists, and the height of
// the comparison below it.
func (l Model) chainRows() (rows, compareH int) {
	// On a short screen the comparison shrinks to its verdict line.
	compareH = labCompareHeight
	if l.height < labChromeHeight+labMiningHeight+labEditorHeight+labCompareHeight+5 {
		compareH = 4
	}
	fixed := labChromeHeight + labMiningHeight + labEditorHeight + compareH
	// The chain box takes the height the other parts leave, so forged
	// blocks have room to appear.
	return max(3, l.height-fixed-2), compareH
}

// headerView is the lab's top line; the note that the lab works on a copy
// is shortened, then left out, rather than cut mid-word on a narrow screen.
func (l Model) headerView(w int) string {
	s := l.styles
	line := " " + s.HeaderName.Render("Tamper lab") + s.Header.Render(fmt.Sprintf(" · %s · floor %d · difficulty %d", common.Plural(int64(l.sandbox.Len()), "block"), l.floor, l.difficulty))
	for _, note := range []string{" · a copy: never stored, never sent", " · a copy, never sent"} {
		if common.Width(line+note) <= w {
			return common.Fit(line+s.Dim.Render(note), w)
		}
	}
	return common.Fit(line, w)
}

// verdict says in words (and a glyph) why block i is or is not valid.
func (l Model) verdict(i int, c blockchain.BlockCheck, firstInvalid int64) (string, bool) {
	if c.Valid() {
		if i == 0 {
			return "✓ genesis, valid by identity", true
		}
		return fmt.Sprintf("✓ links, hash matches, meets difficulty %d", l.floor), true
	}
	if c.Err == nil {
		return fmt.Sprintf("✗ builds on invalid block %d", firstInvalid), false
	}
	var (
		prev  *blockchain.PreviousHashError
		work  *blockchain.InsufficientWorkError
		claim *blockchain.HashMismatchError
		index *blockchain.IndexError
		gen   *blockchain.GenesisError
	)
	switch {
	case errors.As(c.Err, &prev):
		return "✗ previous_hash no longer links", false
	case errors.As(c.Err, &work):
		return fmt.Sprintf("✗ hash no longer meets difficulty %d", work.Difficulty), false
	case errors.As(c.Err, &claim):
		return "✗ hash does not match the contents", false
	case errors.As(c.Err, &index):
		return fmt.Sprintf("✗ index does not follow block %d", index.Want-1), false
	case errors.As(c.Err, &gen):
		return "✗ not the seed's genesis", false
	}
	return "✗ " + c.Err.Error(), false
}

// tag says what happened to block i in the lab.
func (l Model) tag(i int) string {
	switch {
	case l.run.active && l.run.index == int64(i):
		return "mining…"
	case i >= len(l.original):
		return "forged"
	case l.remined[int64(i)]:
		return "re-mined"
	case l.sandbox.Block(int64(i)).Hash() != l.original[i]:
		return "edited"
	}
	return ""
}

// hashView writes a hash with its leading zeros marked, cut to n digits.
func (l Model) hashView(h string, n int) string {
	if n < len(h) {
		n++ // room for the ellipsis
	}
	return l.styles.HashCell(h, blockchain.LeadingZeros(h), n)
}

func (l Model) chainView(w, rows int) string {
	s := l.styles
	checks := l.checks
	first := l.firstInvalid
	n := len(checks)
	start := int(l.chainStart(rows))
	indexW := len(strconv.Itoa(max(n-1, 0)))
	lines := make([]string, 0, rows)
	for i := start; i < n && len(lines) < rows; i++ {
		b := l.sandbox.Block(int64(i))
		text, ok := l.verdict(i, checks[i], first)
		marker := "  "
		if int64(i) == l.selected {
			marker = "› "
		}
		row := marker + l.blockCells(i, b, indexW, w >= common.WideWidth)
		if ok {
			row += s.Good.Render(text)
		} else {
			row += s.Bad.Render(text)
		}
		if int64(i) == l.selected {
			row = s.Selected.Render(ansi.Strip(row))
		}
		lines = append(lines, row)
	}
	title := fmt.Sprintf("Chain (sandbox) · %s", common.Plural(int64(n), "block"))
	if first >= 0 {
		title += fmt.Sprintf(" · ✗ invalid from block %d", first)
	} else {
		title += " · ✓ valid"
	}
	// The order goes last and only when it fits: the verdict matters more.
	return l.box(common.TitleNote(title, "oldest first", w), lines, w, rows+2, l.mode == labBrowse)
}

func (l Model) editorView(w int) string {
	s := l.styles
	i := l.selected
	b := l.sandbox.Block(i)
	if l.mode == labEditing {
		i = l.editor.index
		b = l.sandbox.Block(i)
	}
	if b == nil && l.run.active && i == l.run.index {
		return l.box(fmt.Sprintf("Block #%d · searching…", i), l.searchingLines(), w, labEditorHeight, false)
	}
	if b == nil {
		return l.box("Block", nil, w, labEditorHeight, false)
	}
	text, ok := l.verdict(int(i), l.checks[i], l.firstInvalid)
	verdict := s.Good.Render(text)
	if !ok {
		verdict = s.Bad.Render(text)
	}
	zeros := blockchain.LeadingZeros(b.Hash())
	lines := []string{
		s.Label.Render("hash       ") + l.hashView(b.Hash(), 64),
		s.Label.Render("           ") + verdict + s.Dim.Render(" · "+common.ZerosText(zeros)),
	}
	var title string
	switch {
	case l.mode == labEditing:
		title = fmt.Sprintf("Tampering with block #%d · the hash is recomputed as you type", i)
		lines = append(lines, l.editorFields(w-4)...)
	case i == 0:
		title = "Block #0 (genesis)"
		lines = append(lines, s.Dim.Render("the genesis is fixed by identity: every node would reject an edited one"),
			s.Dim.Render("select another block (↑/↓) and press t to tamper with it"))
	default:
		title = fmt.Sprintf("Block #%d · t to tamper", i)
		lines = append(lines, s.Label.Render("timestamp  ")+timestampText(b.Timestamp())+s.Label.Render("   nonce  ")+blockchain.DisplayValue(b.NonceValue()))
		txs := b.Transactions()
		for k := 0; k < len(txs) && k < 2; k++ {
			lines = append(lines, s.Label.Render(fmt.Sprintf("tx %-7d ", k+1))+common.OneLine(blockchain.TxAuthor(txs[k]))+": "+common.OneLine(blockchain.TxContent(txs[k])))
		}
		if len(txs) > 2 {
			lines[len(lines)-1] += s.Dim.Render(fmt.Sprintf("  (+%d more)", len(txs)-2))
		}
		if len(txs) == 0 {
			lines = append(lines, s.Dim.Render("no transactions"))
		}
	}
	return l.box(title, lines, w, labEditorHeight, l.mode == labEditing)
}

// editorFields draws the timestamp and nonce line and two transaction lines
// around the focused field.
func (l Model) editorFields(w int) []string {
	e := l.editor
	field := func(i int) string {
		f := e.fields[i]
		if i == e.focus {
			// Half the line leaves room for the other field of the line; a
			// longer text scrolls sideways around the cursor.
			return l.styles.TitleActive.Render("› "+f.label()) + " [" + common.InputView(e.input) + "]"
		}
		return l.styles.Label.Render("  "+f.label()) + " [" + common.OneLine(e.values[i]) + "]"
	}
	n := len(e.fields)
	lines := []string{field(n-2) + "   " + field(n-1)}
	// Transactions: one line each, author then content.
	var txLines []string
	focusLine := 0
	for i := 0; i < n-2; {
		tx := e.fields[i].tx
		line := l.styles.Label.Render(fmt.Sprintf("tx %-3d", tx+1))
		for ; i < n-2 && e.fields[i].tx == tx; i++ {
			line += " " + field(i)
			if i == e.focus {
				focusLine = len(txLines)
			}
		}
		txLines = append(txLines, line)
	}
	if len(txLines) == 0 {
		return append(lines, l.styles.Dim.Render("no editable transactions: change the timestamp or the nonce"))
	}
	from := max(0, min(focusLine-1, len(txLines)-2))
	shown := txLines[from:min(from+2, len(txLines))]
	if len(txLines) > 2 {
		shown[len(shown)-1] += l.styles.Dim.Render(fmt.Sprintf("  (%d of %d transactions: tab)", from+len(shown), len(txLines)))
	}
	return append(lines, shown...)
}

func timestampText(v any) string { return blockchain.DisplayValue(v) }

func (l Model) miningView(w int) string {
	r := l.run
	target := strings.Repeat("0", l.difficulty)
	var lines []string
	if r.active {
		elapsed := l.clock().Sub(r.started)
		lines = append(lines, l.runLine(w-4),
			fmt.Sprintf("  this run: %s done · attempts %s · time %s",
				common.Plural(int64(r.runBlocks), "block"), common.GroupDigits(int64(r.runWork+r.attempts)), common.Seconds(r.runTime+elapsed)))
	} else {
		first := l.firstInvalid
		var hint string
		switch {
		case r.message != "":
			hint = r.message
		case first > 0:
			hint = fmt.Sprintf("idle · r re-mines block #%d and every block after it", first)
		case l.sandbox.Len() <= len(l.realBlocks) && !l.sandbox.Dirty():
			// Nothing tampered with yet: "again" would be news of an
			// invalid chain that never was.
			hint = "idle · valid: t tampers, r re-mines new blocks past the honest chain"
		case l.sandbox.Len() <= len(l.realBlocks):
			hint = "idle · valid again: r re-mines new blocks past the honest chain"
		default:
			hint = "idle · the forged chain is valid and longer than the honest chain"
		}
		blocks, attempts := l.sandbox.Work()
		lines = append(lines, "○ "+hint,
			fmt.Sprintf("  difficulty %s (~%s tries a block, +/-) · all runs: %s, %s",
				target, common.SICount(common.ExpectedAttempts(l.difficulty)), common.Plural(blocks, "block"), common.Plural(int64(attempts), "attempt")))
	}
	return l.box("Mining (the forger)", lines, w, labMiningHeight, false)
}

func (l Model) compareView(w, h int) string {
	s := l.styles
	fc := l.fork
	const title = "Fork against the honest chain (longest valid chain wins)"
	if h < labCompareHeight {
		forged := s.Good.Render("✓ valid")
		if !fc.Valid() {
			forged = s.Bad.Render(fmt.Sprintf("✗ invalid from #%d", l.firstInvalid))
		}
		keeps := s.Good.Render("✓ peers keep the honest chain")
		if fc.Verdict == blockchain.ForkAdopted {
			keeps = s.Bad.Render("✗ peers would adopt the FORGED chain")
		}
		lines := []string{
			keeps + s.Dim.Render(" (the longest valid chain)"),
			fmt.Sprintf("forged: %s, %s · honest: %s, %s", common.Plural(int64(fc.SandboxLen), "block"), forged, common.Plural(int64(fc.RealLen), "block"), s.Good.Render("✓ valid")),
		}
		return l.box(title, lines, w, h, false)
	}
	col := max(20, (w-4-14)/2)
	row := func(label, forged, honest string) string {
		return s.Label.Render(fmt.Sprintf("%-14s", label)) + common.Fit(forged, col) + honest
	}
	valid := s.Good.Render("✓ yes")
	if !fc.Valid() {
		valid = s.Bad.Render(fmt.Sprintf("✗ no: invalid from block %d", l.firstInvalid))
	}
	blocks, attempts := l.sandbox.Work()
	mined := int64(max(len(l.realBlocks)-1, 0))
	honestWork := fmt.Sprintf("~%s expected (%s × 16^%d)", common.GroupDigits(mined*int64(common.ExpectedAttempts(l.floor))), common.Plural(mined, "block"), l.floor)
	forgedWork := "none yet: no block re-mined"
	if blocks > 0 {
		forgedWork = fmt.Sprintf("%s in all runs, for %s", common.Plural(int64(attempts), "attempt"), common.Plural(blocks, "block"))
	}
	verdict := s.Good.Render("✓ the honest chain: ") + forkWhy(fc)
	if fc.Verdict == blockchain.ForkAdopted {
		verdict = s.Bad.Render("✗ the FORGED chain: ") + forkWhy(fc)
	}
	// The verdict is the lesson: wrap it rather than cut it.
	label := s.Label.Render(fmt.Sprintf("%-14s", "a peer keeps"))
	wrapped := strings.Split(ansi.Wordwrap(verdict, max(w-4-14, 10), ""), "\n")
	lines := []string{
		row("", s.Label.Render("forged (sandbox)"), s.Label.Render("honest (real chain)")),
		row("length", common.Plural(int64(fc.SandboxLen), "block"), common.Plural(int64(fc.RealLen), "block")),
		row("valid", valid, s.Good.Render("✓ yes")),
		row("work", forgedWork, honestWork),
	}
	for i, ln := range wrapped {
		if i > 0 {
			label = strings.Repeat(" ", 14)
		}
		lines = append(lines, label+ln)
	}
	return l.box(title, lines, w, h, false)
}

func (l Model) statusView(w int) string {
	s := l.styles
	switch {
	case l.mode == labConfirmLeave:
		blocks, attempts := l.sandbox.Work()
		then := "leave the lab"
		if l.quitting {
			then = "quit blockscope"
		}
		return common.Fit(" "+s.Warn.Render(fmt.Sprintf("Discard the sandbox (edits, %s re-mined, %s attempts) and %s?", common.Plural(blocks, "block"), common.GroupDigits(int64(attempts)), then)), w)
	case l.mode == labEditing && l.editor.err != "":
		return common.Fit(" "+s.Bad.Render("✗ error: "+l.editor.err), w)
	case l.mode == labEditing && l.editor.input.Err != nil:
		// ctrl+v could not read the clipboard.
		return common.Fit(" "+s.Bad.Render("✗ nothing pasted: "+common.OneLine(l.editor.input.Err.Error())), w)
	case l.status != "":
		return common.Fit(" "+s.Status.Render(l.status), w)
	}
	return common.Fit(" "+s.Dim.Render("the real chain is untouched: the lab works on a copy"), w)
}

func (l Model) helpView(w int) string {
	k := l.keys
	var bindings []key.Binding
	switch l.mode {
	case labEditing:
		bindings = []key.Binding{k.EditNext, k.EditPrev, k.EditDone}
	case labConfirmLeave:
		bindings = []key.Binding{k.Confirm, k.Cancel}
	default:
		bindings = []key.Binding{k.Tamper, k.Remine}
		if l.run.active {
			bindings = append(bindings, k.Stop)
		}
		bindings = append(bindings, k.Harder, k.Lesson, k.Help, k.Leave, k.Quit)
	}
	h := help.New()
	h.Styles = l.styles.Help
	h.ShortSeparator = " · "
	// On a narrow screen the lesser keys go first (all of them are under
	// ?), so that esc leave and q quit stay whole.
	for _, drop := range []key.Binding{k.Lesson, k.Harder, k.Tamper} {
		if common.Width(h.ShortHelpView(bindings)) <= w-1 {
			break
		}
		bindings = slices.DeleteFunc(bindings, func(b key.Binding) bool { return b.Help() == drop.Help() })
	}
	h.Width = w - 1
	return common.Fit(" "+h.ShortHelpView(bindings), w)
}

// box draws a part of the lab in the screen's frame, with a space inside
// each side; the part that has the keyboard is drawn focused.
func (l Model) box(title string, lines []string, width, height int, focused bool) string {
	padded := make([]string, len(lines))
	for i, ln := range lines {
		padded[i] = " " + common.Fit(ln, max(width-4, 1))
	}
	return l.styles.Frame(title, padded, width, height, focused)
}

// forkWhy gives the reason for the verdict on the fork, which the line
// names before it ("✓ the honest chain: "), so the reason does not name
// the winner again.
func forkWhy(fc blockchain.ForkComparison) string {
	switch fc.Verdict {
	case blockchain.ForkInvalid:
		return fmt.Sprintf("the forged chain is invalid from block %d, so its length does not count", fc.FirstInvalid)
	case blockchain.ForkNotLonger:
		return fmt.Sprintf("the forged chain is valid but not longer (%d blocks against %d)", fc.SandboxLen, fc.RealLen)
	}
	return fmt.Sprintf("the forged chain is valid and longer (%d blocks against %d)", fc.SandboxLen, fc.RealLen)
}

// runNonce writes the nonce being tried, or a dash before the first
// attempt (a search reports -1 then).
func runNonce(n int64) string {
	if n < 0 {
		return "—"
	}
	return common.GroupDigits(n)
}
