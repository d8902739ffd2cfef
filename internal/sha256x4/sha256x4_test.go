package sha256x4

import (
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"blockscope/internal/cputime"
)

// message returns n bytes of the pattern seed, seed+1, ... so that no two
// lengths or seeds give the same message.
func message(n int, seed byte) []byte {
	m := make([]byte, n)
	for i := range m {
		m[i] = seed + byte(i)
	}
	return m
}

// checkSums hashes msgs with Sums and compares every digest with
// crypto/sha256's.
func checkSums(t *testing.T, msgs [][]byte) {
	t.Helper()
	eachKernel(func(name string) {
		t.Helper()
		out := make([][32]byte, len(msgs))
		Sums(msgs, out)
		for i, m := range msgs {
			if want := sha256.Sum256(m); out[i] != want {
				t.Fatalf("%s: message %d of %d (%d bytes): got %x, want %x", name, i, len(msgs), len(m), out[i], want)
			}
		}
	})
}

// eachKernel calls fn with Sums using each kernel this CPU runs in turn
// (or crypto/sha256, where it runs none), named.
func eachKernel(fn func(name string)) {
	if len(kernels) == 0 {
		fn("crypto/sha256")
		return
	}
	defer func(old int) { kernel = old }(kernel)
	for _, k := range kernels {
		kernel = k
		fn(kernelNames[k])
	}
}

// TestSumsEveryPaddingBoundary hashes every length from 0 to 300 bytes (the
// padding takes one block or two either side of 56 mod 64, and whole
// blocks end at every multiple of 64) in each of the four lanes, beside
// messages of other lengths, so that lanes finish at different times.
func TestSumsEveryPaddingBoundary(t *testing.T) {
	others := []int{0, 1, 55, 56, 63, 64, 119, 120, 128, 330, 1000}
	for n := 0; n <= 300; n++ {
		for lane := 0; lane < 4; lane++ {
			msgs := make([][]byte, 4)
			for i := range msgs {
				msgs[i] = message(others[(n+i)%len(others)], byte(i))
			}
			msgs[lane] = message(n, 0xa5)
			checkSums(t, msgs)
		}
	}
}

// TestSumsGroups: counts that are not a multiple of four (a partial last
// group), none at all, and every message the same length.
func TestSumsGroups(t *testing.T) {
	for _, count := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 64, 65} {
		msgs := make([][]byte, count)
		for i := range msgs {
			msgs[i] = message(330, byte(i))
		}
		checkSums(t, msgs)
	}
}

// TestSumsRandom hashes random groups of random lengths, up to 20 blocks.
func TestSumsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		msgs := make([][]byte, 1+rng.IntN(9))
		for i := range msgs {
			msgs[i] = message(rng.IntN(20*64), byte(rng.Uint32()))
		}
		checkSums(t, msgs)
	}
}

// TestSumsKeepsInput: the messages are read, never written, and a message
// that is a window of a larger buffer is hashed over the window only.
func TestSumsKeepsInput(t *testing.T) {
	buf := message(1024, 7)
	orig := append([]byte(nil), buf...)
	msgs := [][]byte{buf[3:200], buf[200:200], buf[64:128], buf[500:1020]}
	checkSums(t, msgs)
	if string(buf) != string(orig) {
		t.Fatal("Sums wrote to its input")
	}
}

// TestKernelPresent: where /proc/cpuinfo says the CPU has the SHA
// extensions, Sums runs a four-lane kernel, the AVX-512 one first on an AMD
// CPU with AVX-512 (F and VL), so the tests above went through them.
func TestKernelPresent(t *testing.T) {
	for _, k := range kernels {
		t.Logf("kernel %s", kernelNames[k])
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil || runtime.GOARCH != "amd64" || !kernelsBuilt {
		t.Skip("no /proc/cpuinfo of an amd64 CPU to compare with, or a build without the kernels")
	}
	flags := map[string]bool{}
	for _, line := range strings.Split(string(info), "\n") {
		if name, list, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			for _, f := range strings.Fields(list) {
				flags[f] = true
			}
			break
		}
	}
	amd := strings.Contains(string(info), "AuthenticAMD")
	switch {
	case !flags["sha_ni"]:
		if haveKernel {
			t.Error("a four-lane kernel on a CPU without sha_ni")
		}
	case !haveKernel:
		t.Error("the CPU has sha_ni but Sums uses crypto/sha256")
	case amd && flags["avx512f"] && flags["avx512vl"] && flags["avx2"]:
		if kernels[0] != kernelAVX512 {
			t.Errorf("kernels = %v on an AMD CPU with AVX-512: want the AVX-512 one first", kernels)
		}
	default:
		if slices.Contains(kernels, kernelAVX512) {
			t.Errorf("kernels = %v: the AVX-512 one is for AMD CPUs with AVX-512 only", kernels)
		}
	}
}

// BenchmarkSums compares Sums with crypto/sha256 one message at a time, on
// messages of a stored block's size (330 to 336 bytes) laid end to end:
// 4,096 of them (1.4 MB, from the cache) and 1,048,576 (352 MB, from
// memory, as the check of a long chain reads them).
func BenchmarkSums(b *testing.B) {
	for _, count := range []int{4096, 1 << 20} {
		buf := make([]byte, count*336)
		msgs := make([][]byte, count)
		for i := range msgs {
			msgs[i] = buf[i*336 : i*336+330+i%7]
			msgs[i][0] = byte(i)
		}
		out := make([][32]byte, len(msgs))
		name := strconv.Itoa(count)
		eachKernel(func(kname string) {
			b.Run(kname+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(buf)))
				cpu := processCPU()
				for b.Loop() {
					Sums(msgs, out)
				}
				reportCPU(b, processCPU()-cpu, len(buf))
			})
		})
		b.Run("crypto-sha256/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			cpu := processCPU()
			for b.Loop() {
				for i, m := range msgs {
					out[i] = sha256.Sum256(m)
				}
			}
			reportCPU(b, processCPU()-cpu, len(buf))
		})
	}
}

// reportCPU reports the CPU time a benchmark took as bytes hashed per
// CPU-second: with -cpu 1 it is the hashing's own, which a loaded machine
// slows less than the wall time.
func reportCPU(b *testing.B, cpu time.Duration, bytes int) {
	if cpu > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

// processCPU is the CPU time this process has used (cputime.Process), zero
// where the platform does not report it.
func processCPU() time.Duration {
	d, _ := cputime.Process()
	return d
}
