/** xorshift32 (Marsaglia 2003): a seeded, reproducible stream of unsigned 32-bit numbers, for fuzz tests. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}
