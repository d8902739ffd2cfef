// Package miner runs the proof-of-work nonce search of the seed's chain and
// reports it as events on a channel, so a terminal UI can show it live.
//
// A search (Start) tries nonces 0, 1, 2, ... of a block template until the
// block's hash starts with Config.Difficulty zero hex digits, on several
// workers or, paced for a person to watch, one attempt at a time. Its events
// arrive on Search.Events: Progress at most about ten times a second (latest
// wins), then the terminal events Failed, Found and Done, then the channel is
// closed once every goroutine of the search has returned.
//
// Which nonce is found: the search always reports the smallest valid nonce,
// the one the seed's proof_of_work returns (see Found for the exact
// guarantee), whatever the number of workers.
//
// The hot loop does not allocate and does not encode JSON: the template's
// preimage is split around the nonce digits once (Block.NonceSplit), padded
// as SHA-256 pads it, the schedule of every 64-byte block after the first
// (which never changes) is precomputed, and per attempt only the digits are
// rewritten in place and the first word of the state is compared.
//
// The hashing itself is a kernel, chosen per machine by measurement: at its
// first search of a block size the process runs every kernel the CPU
// supports for a few milliseconds on the real template and keeps the
// fastest (Search.Kernel names it; Config.Kernel forces one). On amd64
// there are SHA-NI assembly on four messages at once (gen_sha256block.go)
// AVX-512 assembly on sixteen, one per 32-bit lane (gen_sha256x16.go), and
// AVX2 assembly on eight, for the CPUs with neither (gen_sha256x8.go);
// on arm64, the ARMv8 SHA-2 instructions on four (gen_sha256arm64.go);
// everywhere, crypto/sha256 over the whole preimage and portable Go.
//
// Bench measures the miner on the block of ../shared/reference/seed_pow.py.
package miner
