//go:build !unix

package blockchain

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
