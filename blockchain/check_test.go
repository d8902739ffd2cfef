package blockchain

import (
	"crypto/sha256"
	"testing"
)

// TestStoredHashIs: the in-place comparison of a stored hash with a sum
// sees a change in any one of the 32 bytes, and looks at nothing after
// them.
func TestStoredHashIs(t *testing.T) {
	sum := sha256.Sum256([]byte("blockscope"))
	v := appendStoredParts(nil, &sum, []byte(`{"index": 1}`))
	if !storedHashIs(v, &sum) {
		t.Fatal("storedHashIs = false for the value's own hash")
	}
	if !storedHashIs(append(v[:32:32], 0, 'x'), &sum) {
		t.Fatal("storedHashIs looked past the hash")
	}
	for i := range 32 {
		for _, bit := range []byte{0x01, 0x80} {
			changed := append([]byte(nil), v...)
			changed[i] ^= bit
			if storedHashIs(changed, &sum) {
				t.Fatalf("storedHashIs = true with byte %d of the hash changed (^%#x)", i, bit)
			}
		}
	}
}
