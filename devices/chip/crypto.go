package chip

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
)

// pad applies ISO/IEC 9797-1 padding method 2 to a multiple of size.
func pad(b []byte, size int) []byte {
	out := make([]byte, len(b), len(b)+size)
	copy(out, b)
	out = append(out, 0x80)
	for len(out)%size != 0 {
		out = append(out, 0)
	}
	return out
}

// unpad removes ISO/IEC 9797-1 padding method 2.
func unpad(b []byte) ([]byte, error) {
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case 0:
			continue
		case 0x80:
			return b[:i], nil
		}
		break
	}
	return nil, errors.New("chip: bad padding")
}

// kdf derives a key from the shared secret k with counter c (9303 part 11, 9.7.1);
// for 3DES the parity bits are set and the result is 16 bytes (K1||K2), for AES-128
// the first 16 bytes of SHA-1.
func kdf(k []byte, c uint32, des bool) []byte {
	h := sha1.New()
	h.Write(k)
	var cb [4]byte
	binary.BigEndian.PutUint32(cb[:], c)
	h.Write(cb[:])
	out := h.Sum(nil)[:16]
	if des {
		for i, b := range out {
			b &= 0xFE
			n := 0
			for x := b; x != 0; x >>= 1 {
				n += int(x & 1)
			}
			if n%2 == 0 {
				b |= 1
			}
			out[i] = b
		}
	}
	return out
}

// tdes returns the two-key 3DES cipher of a 16-byte key.
func tdes(k []byte) cipher.Block {
	k3 := make([]byte, 24)
	copy(k3, k[:16])
	copy(k3[16:], k[:8])
	b, err := des.NewTripleDESCipher(k3)
	if err != nil {
		panic(fmt.Sprintf("chip: 3DES key of %d bytes", len(k))) // our own keys are always 16 bytes
	}
	return b
}

func cbcEncrypt(b cipher.Block, iv, data []byte) []byte {
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, data)
	return out
}

func cbcDecrypt(b cipher.Block, iv, data []byte) ([]byte, error) {
	if len(data) == 0 || len(data)%b.BlockSize() != 0 {
		return nil, fmt.Errorf("chip: ciphertext of %d bytes", len(data))
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, data)
	return out, nil
}

// retailMAC is ISO/IEC 9797-1 MAC algorithm 3 with DES over already padded data.
func retailMAC(k, data []byte) []byte {
	k1, _ := des.NewCipher(k[:8])
	k2, _ := des.NewCipher(k[8:16])
	h := make([]byte, 8)
	for i := 0; i+8 <= len(data); i += 8 {
		subtle.XORBytes(h, h, data[i:i+8])
		k1.Encrypt(h, h)
	}
	k2.Decrypt(h, h)
	k1.Encrypt(h, h)
	return h
}

// cmac is AES-CMAC (NIST SP 800-38B) over data, the full 16 bytes.
func cmac(k, data []byte) []byte {
	b, err := aes.NewCipher(k)
	if err != nil {
		panic(fmt.Sprintf("chip: AES key of %d bytes", len(k)))
	}
	l := make([]byte, 16)
	b.Encrypt(l, l)
	k1 := dbl(l)
	k2 := dbl(k1)
	n := (len(data) + 15) / 16
	last := make([]byte, 16)
	if n == 0 || len(data)%16 != 0 {
		if n == 0 {
			n = 1
		}
		rem := data[(n-1)*16:]
		copy(last, rem)
		last[len(rem)] = 0x80
		subtle.XORBytes(last, last, k2)
	} else {
		copy(last, data[(n-1)*16:])
		subtle.XORBytes(last, last, k1)
	}
	x := make([]byte, 16)
	for i := 0; i < n-1; i++ {
		subtle.XORBytes(x, x, data[i*16:i*16+16])
		b.Encrypt(x, x)
	}
	subtle.XORBytes(x, x, last)
	b.Encrypt(x, x)
	return x
}

func dbl(in []byte) []byte {
	out := make([]byte, 16)
	carry := in[0] >> 7
	for i := 0; i < 15; i++ {
		out[i] = in[i]<<1 | in[i+1]>>7
	}
	out[15] = in[15] << 1
	if carry == 1 {
		out[15] ^= 0x87
	}
	return out
}
