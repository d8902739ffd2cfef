// Package cputime reads the CPU time this process has used, which
// benchmarks and the bench command report beside wall time: on a shared
// machine, work per CPU-second compares runs that wall time cannot.
package cputime
