package blockchain

import "encoding/binary"

// hexEquals reports whether h is sum in lowercase hex, as Python's
// hexdigest writes it. The check of a stored chain compares every block's
// link this way, so it writes the digits eight at a time in a word rather
// than one at a time (hex.Encode took a tenth of the check's time).
func hexEquals(h []byte, sum *[32]byte) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < 32; i += 4 {
		if binary.BigEndian.Uint64(h[2*i:]) != hexWord(binary.BigEndian.Uint32(sum[i:])) {
			return false
		}
	}
	return true
}

// hexWord returns the eight lowercase hex digits of x as the bytes of a
// big-endian word: the first digit in the highest byte.
func hexWord(x uint32) uint64 {
	const ones = 0x0101010101010101
	v := uint64(x)
	// Spread the nibbles apart, one to a byte, keeping their order.
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF
	v = (v | v<<4) & 0x0F0F0F0F0F0F0F0F
	// A byte of 10 or more carries into bit 4 when 6 is added: those
	// digits are letters, 'a'-'0'-10 = 39 further along than a decimal one.
	letters := ((v + 6*ones) >> 4) & ones
	return v + '0'*ones + 39*letters
}
