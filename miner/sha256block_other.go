//go:build !amd64 || purego

package miner

// archKernels returns no kernels: the assembly exists only for amd64.
func archKernels() []kernel { return nil }
