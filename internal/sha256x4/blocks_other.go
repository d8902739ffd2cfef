//go:build !amd64 || purego

package sha256x4

// haveKernel is false: Sums hashes each message with crypto/sha256.
const haveKernel = false

// kernelsBuilt is false: this build has no four-lane kernel to choose.
const kernelsBuilt = false

// kernels is empty and kernel unused where Sums uses crypto/sha256.
var (
	kernels []int
	kernel  int
)

func sum4(msgs *[4][]byte, out *[4][32]byte, h *Hasher) {}
