import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/sim/crypto/bytes';
import { sha256 } from '../../src/sim/crypto/sha256';

// FIPS 180-4 SHA-256 against the NIST example vectors and digests computed with coreutils sha256sum.

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const digest = (bytes: Uint8Array): string => toHex(sha256(bytes));

describe('sha256', () => {
  it('hashes the empty message', () => {
    expect(digest(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes "abc" (one block)', () => {
    expect(digest(ascii('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the 448-bit message (the padding spills into a second block)', () => {
    expect(digest(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('hashes the 896-bit message', () => {
    const m = 'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu';
    expect(digest(ascii(m))).toBe('cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1');
  });

  it('hashes one million "a" (FIPS 180-2 appendix B.3)', () => {
    expect(digest(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('hashes a 1 MiB patterned input as sha256sum does', () => {
    // python3 -c "import sys; sys.stdout.buffer.write(bytes(((i*131 + (i>>11)) & 0xff) for i in range(1<<20)))" | sha256sum
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + (i >>> 11)) & 0xff;
    expect(digest(data)).toBe('34edabe4c332d3aefe75d1484f1e014925e10955bb4ba0a398abae061bea72c7');
  });

  it('handles every length around the block and padding boundaries', () => {
    // Lengths 55, 56, 63, 64, 65 of 0x00..: checked against sha256sum (printf of the same bytes).
    const zeros = (n: number): Uint8Array => new Uint8Array(n);
    expect([55, 56, 63, 64, 65].map((n) => digest(zeros(n)))).toEqual(ZERO_DIGESTS);
  });

  it('is a view-safe pure function: a subarray hashes like a copy, the input is untouched', () => {
    const big = ascii('xxabcxx');
    const view = big.subarray(2, 5);
    expect(digest(view)).toBe(digest(ascii('abc')));
    expect(Array.from(big)).toEqual(Array.from(ascii('xxabcxx')));
  });
});

const ZERO_DIGESTS = [
  '02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7',
  'd4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb',
  'c7723fa1e0127975e49e62e753db53924c1bd84b8ac1ac08df78d09270f3d971',
  'f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b',
  '98ce42deef51d40269d542f5314bef2c7468d401ad5d85168bfab4c0108f75f7',
];
