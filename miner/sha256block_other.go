//go:build !(amd64 || arm64) || purego

package miner

// archKernels returns no kernels: the assembly exists only for amd64 and arm64.
func archKernels() []kernel { return nil }
