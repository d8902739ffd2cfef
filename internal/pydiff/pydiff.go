// Package pydiff is the test support for judging chain dumps against the
// Python reference: a generator of random dumps (valid chains, every rule
// broken, every odd value Python reads) and a runner that has the reference
// node's chain_error judge them in one python3 process.
package pydiff

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// Case is one dump and what the generator did to it.
type Case struct {
	Text []byte
	What string
}

// JudgeWithPython runs the reference's chain_error (seed_node.py in the
// directory ref) on every case in one python3 process and returns its
// verdict lines, in order: "1" valid, "0 <reason>" invalid, "E <error>"
// when the reference itself crashed. It skips the test when python3, Flask
// or the reference is missing, and fails it instead under CI.
func JudgeWithPython(t testing.TB, ref string, cases []Case) []string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	if _, err := os.Stat(filepath.Join(ref, "seed_node.py")); err != nil {
		skipOrFail(t, "the reference node is missing: "+err.Error())
	}
	if out, err := exec.Command("python3", "-c", "import flask, requests").CombinedOutput(); err != nil {
		skipOrFail(t, fmt.Sprintf("python3 with Flask and requests is needed: %v %s", err, out))
	}
	cmd := exec.Command("python3", filepath.Join(filepath.Dir(here), "judge_reference.py"), ref)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(stdin)
	for _, c := range cases {
		w.WriteString(hex.EncodeToString(c.Text))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("feeding the reference: %v; its stderr:\n%s", err, stderr.String())
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the reference judge failed: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d verdicts for %d cases; stderr:\n%s", len(lines), len(cases), stderr.String())
	}
	return lines
}

func skipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// Gen makes random chain dumps as text, so that the text itself (key
// order, duplicate keys, 1e400, raw surrogate bytes) is under test: valid
// chains holding every odd value Python reads, a third of them broken once
// (each rule of the seed's block_error, the genesis compared whole, texts
// Python cannot read). It is deterministic for a seed.
type Gen struct {
	rng  *rand.Rand
	what []string
}

// NewGen returns a generator seeded with seed.
func NewGen(seed uint64) *Gen { return &Gen{rng: rand.New(rand.NewPCG(9, seed))} }

// Cases returns n cases.
func (g *Gen) Cases(n int) []Case {
	out := make([]Case, n)
	for i := range out {
		out[i] = g.chainCase()
	}
	return out
}

// field is one member of a block object as written in the text.
type field struct{ key, text string }

func (g *Gen) note(s string) { g.what = append(g.what, s) }

func (g *Gen) one(n int) bool { return g.rng.IntN(n) == 0 }

func (g *Gen) pick(opts ...string) string { return opts[g.rng.IntN(len(opts))] }

// chainCase makes a dump: mostly valid chains with odd values, a third of
// them broken once.
func (g *Gen) chainCase() Case {
	g.what = g.what[:0]
	blocks := [][]field{g.genesis()}
	parentHash := `"` + blockchain.GenesisHash + `"`
	parentIndex := 0
	n := g.rng.IntN(5)
	breakAt := -1
	if g.one(3) {
		breakAt = g.rng.IntN(n + 1)
	}
	if breakAt == 0 {
		blocks[0] = g.brokenGenesis()
	}
	for i := 1; i <= n; i++ {
		b, h := g.block(parentIndex+1, parentHash, i == breakAt)
		blocks = append(blocks, b)
		parentHash, parentIndex = `"`+h+`"`, parentIndex+1
	}
	return Case{Text: g.dump(blocks), What: strings.Join(g.what, "; ")}
}

func (g *Gen) genesis() []field {
	f := []field{{"index", "0"}, {"transactions", "[]"}, {"timestamp", "0"}, {"previous_hash", `"0"`}, {"nonce", "0"}, {"hash", `"` + blockchain.GenesisHash + `"`}}
	if g.one(4) {
		f[0].text = g.pick("0.0", "false", "-0", "-0.0", "0e5")
		f[2].text = g.pick("0.0", "-0.0", "false", "0E0", "-0")
		f[4].text = g.pick("0.0", "false", "0")
		g.note("genesis written " + f[0].text + "/" + f[2].text + "/" + f[4].text)
	}
	return g.shuffle(f)
}

func (g *Gen) brokenGenesis() []field {
	f := []field{{"index", "0"}, {"transactions", "[]"}, {"timestamp", "0"}, {"previous_hash", `"0"`}, {"nonce", "0"}, {"hash", `"` + blockchain.GenesisHash + `"`}}
	switch g.rng.IntN(7) {
	case 0:
		f = append(f, field{"note", `"x"`})
	case 1:
		f[2].text = g.pick("1", "0.1", `"0"`, "null", "NaN", "true")
	case 2:
		f[1].text = g.pick("[1]", "{}", "[[]]")
	case 3:
		f[5].text = `"` + strings.ToUpper(blockchain.GenesisHash) + `"`
	case 4:
		f = f[:5]
	case 5:
		f[3].text = g.pick(`"00"`, "0", `"0 "`)
	case 6:
		f[0].text = g.pick("1", `"0"`, "null", "0.5")
	}
	g.note("genesis broken")
	return g.shuffle(f)
}

// oddValue returns a JSON text Python reads, of any kind, often odd.
func (g *Gen) oddValue(depth int) string {
	switch g.rng.IntN(14) {
	case 0:
		return g.pick("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0.0")
	case 1:
		return g.pick("1e16", "1.5e-7", "0.30000000000000004", "1E5", "1.0", "123456789012345678.0", "1e-5", "5e-324", "1.7976931348623157e308")
	case 2:
		return g.pick("0", "-1", "18446744073709551616", "-9223372036854775809", strings.Repeat("9", 300), "true", "false", "null")
	case 3:
		return g.pick(`"\ud800"`, `"x\udc00y"`, "\"\xed\xa0\x80\"", `"\ud83d\ude00"`, `"\ud800\u0041"`, "\"\xed\xb0\x80\xed\xa0\x80\"")
	case 4:
		return g.pick(`"é😀\u2028\u0000\u007f"`, `"<>&/ \"\\ \/"`, `"\b\f\n\r\t"`, "\"日本語\"", `"\uffff\ue000\ud7ff"`)
	case 5:
		if depth < 3 {
			return "[" + g.oddValue(depth+1) + ", " + g.oddValue(depth+1) + "]"
		}
	case 6:
		if depth < 3 {
			k := g.pick(`"a"`, `"b"`, `"\ud800"`, `"\ud83d\ude00"`, `"\ue000"`, `"B"`, `"é"`)
			return "{" + k + ": " + g.oddValue(depth+1) + ", " + g.pick(`"a"`, `"z"`, k) + ": " + g.oddValue(depth+1) + "}"
		}
	}
	return strconv.Quote(fmt.Sprintf("v%d", g.rng.IntN(100)))
}

func (g *Gen) transactions() string {
	if g.one(4) {
		return "[]"
	}
	var txs []string
	for range 1 + g.rng.IntN(3) {
		if g.one(5) {
			txs = append(txs, g.oddValue(1))
			continue
		}
		tx := fmt.Sprintf(`{"author": %s, "content": %s, "timestamp": %s`, g.pick(`"alice"`, `"a\ud800"`, `"bob"`), g.pick(`"pay"`, `"x\udc00y"`, `"hi"`), g.pick("1700000000.5", "1e400", "NaN", "1700000001"))
		if g.one(2) {
			tx += `, "x": ` + g.oddValue(1)
		}
		txs = append(txs, tx+"}")
	}
	return "[" + strings.Join(txs, ", ") + "]"
}

// block makes block index after parentHash (a JSON string text), mined at
// the seed's difficulty unless broken, and returns its fields and hash.
func (g *Gen) block(index int, parentHash string, broken bool) ([]field, string) {
	idx := strconv.Itoa(index)
	if g.one(5) {
		idx = g.pick(idx+".0", idx+"e0", idx+".00")
		if index == 1 && g.one(2) {
			idx = "true"
		}
		g.note("index " + idx)
	}
	ts := g.pick("1700000000.25", "1700000000", g.oddValue(1), `"transaction_time"`)
	txs := g.transactions()
	prev := parentHash
	nonceStart, nonceKind := 0, g.rng.IntN(6)
	how := ""
	if broken {
		how = g.pick("index", "index-string", "prev", "prev-upper", "txs-not-list", "no-work", "tamper", "hash-upper", "missing", "not-object", "dup-last-wrong", "hash-not-string")
		g.note("broken: " + how)
		switch how {
		case "index":
			idx = strconv.Itoa(index + 1 + g.rng.IntN(2)*-2)
		case "index-string":
			idx = g.pick(`"`+strconv.Itoa(index)+`"`, strconv.Itoa(index)+".5", "null", "NaN")
		case "prev":
			prev = `"` + strings.Repeat("0", 64) + `"`
		case "prev-upper":
			prev = strings.ToUpper(parentHash)
		case "txs-not-list":
			txs = g.pick(`{"author": "a"}`, `"tx"`, "null", "1")
		}
	}
	h, nonce := g.mine(idx, prev, ts, txs, nonceStart, nonceKind, how == "no-work")
	f := []field{{"index", idx}, {"transactions", txs}, {"timestamp", ts}, {"previous_hash", prev}, {"nonce", nonce}, {"hash", `"` + h + `"`}}
	switch how {
	case "tamper":
		f[2].text = "1700000099.5"
	case "hash-upper":
		f[5].text = strings.ToUpper(f[5].text)
	case "missing":
		f = slicesDelete(f, g.rng.IntN(len(f)))
	case "not-object":
		return []field{{"", g.pick("[]", `"block"`, "null", "5")}}, h
	case "hash-not-string":
		f[5].text = g.pick("null", "0", `["`+h+`"]`)
	}
	if g.one(6) {
		f = append(f, field{g.pick("miner", "extra", "Index"), g.oddValue(1)})
		g.note("extra field")
	}
	f = g.shuffle(f)
	if how == "dup-last-wrong" {
		f = append(f, field{"index", strconv.Itoa(index + 7)})
	} else if g.one(6) {
		// An earlier copy of a key: Python keeps the last one.
		k := f[g.rng.IntN(len(f))].key
		if k != "" {
			f = append([]field{{k, g.oddValue(1)}}, f...)
			g.note("duplicate " + k)
		}
	}
	return f, h
}

func slicesDelete(f []field, i int) []field {
	return append(append([]field(nil), f[:i]...), f[i+1:]...)
}

// mine finds a nonce of the given kind whose block hashes under the seed's
// difficulty (or, for noWork, over it), hashing the fields as blockscope
// reads them: a wrong reading shows as a disagreement with Python, which
// hashes on its own.
func (g *Gen) mine(idx, prev, ts, txs string, start, kind int, noWork bool) (hash, nonce string) {
	text := `{"index": ` + idx + `, "transactions": ` + txs + `, "timestamp": ` + ts + `, "previous_hash": ` + prev + `, "nonce": 0}`
	v, err := blockchain.DecodePython([]byte(text))
	if err != nil {
		panic(fmt.Sprintf("generator wrote unreadable text %s: %v", text, err))
	}
	obj := v.(map[string]any)
	prefix, _ := blockchain.AppendPython([]byte(`{"index": `), obj["index"])
	prefix = append(prefix, `, "nonce": `...)
	suffix := []byte(`, "previous_hash": `)
	suffix, _ = blockchain.AppendPython(suffix, obj["previous_hash"])
	suffix = append(suffix, `, "timestamp": `...)
	suffix, _ = blockchain.AppendPython(suffix, obj["timestamp"])
	suffix = append(suffix, `, "transactions": `...)
	suffix, _ = blockchain.AppendPython(suffix, obj["transactions"])
	suffix = append(suffix, '}')
	for k := start; ; k++ {
		var n string
		switch kind {
		case 0, 1, 2:
			n = strconv.Itoa(k)
		case 3:
			n = strconv.Itoa(k) + ".5"
		case 4:
			n = "1844674407370955161" + strconv.Itoa(6+k)
		case 5:
			n = "-" + strconv.Itoa(k+1)
		}
		pre := append(append(append([]byte(nil), prefix...), n...), suffix...)
		sum := sha256.Sum256(pre)
		if (sum[0] == 0) != noWork {
			return hex.EncodeToString(sum[:]), n
		}
	}
}

func (g *Gen) shuffle(f []field) []field {
	if g.one(2) {
		g.rng.Shuffle(len(f), func(i, j int) { f[i], f[j] = f[j], f[i] })
	}
	return f
}

// dump writes the blocks as a /chain answer (or a bare list), sometimes
// with a length that disagrees.
func (g *Gen) dump(blocks [][]field) []byte {
	var b bytes.Buffer
	bare := g.one(8)
	if !bare {
		length := strconv.Itoa(len(blocks))
		if g.one(5) {
			length = g.pick("-1", "999999", "1.5", `"x"`, "NaN")
			g.note("length " + length)
		}
		b.WriteString(`{"length": ` + length + `, "chain": [`)
	} else {
		g.note("bare list")
		b.WriteString("[")
	}
	for i, f := range blocks {
		if i > 0 {
			b.WriteString(", ")
		}
		if len(f) == 1 && f[0].key == "" {
			b.WriteString(f[0].text)
			continue
		}
		b.WriteString("{")
		for j, m := range f {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`"` + m.key + `": ` + m.text)
		}
		b.WriteString("}")
	}
	if bare {
		b.WriteString("]")
	} else {
		b.WriteString(`], "peers": []}`)
	}
	return g.textual(b.Bytes())
}

// textual sometimes breaks the text itself: an integer past Python's 4,300
// digits, trailing data, a misspelt NaN.
func (g *Gen) textual(text []byte) []byte {
	if !g.one(25) {
		return text
	}
	switch g.rng.IntN(3) {
	case 0:
		g.note("4301-digit integer")
		return bytes.Replace(text, []byte(`"transactions": [`), []byte(`"transactions": [`+strings.Repeat("7", 4301)+`, `), 1)
	case 1:
		g.note("trailing data")
		return append(text, " x"...)
	default:
		g.note("nan")
		return append(bytes.TrimSuffix(text, []byte("}")), `, "n": nan}`...)
	}
}
