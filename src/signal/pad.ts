/**
 * Border handling by index mapping (conventions.md §1.6). `mapIndex(i, n, mode)` returns the source index for a
 * possibly out-of-range index i, or -1 for zero padding.
 */
export type PadMode = 'zero' | 'symmetric' | 'reflect' | 'replicate' | 'circular';

export function mapIndex(i: number, n: number, mode: PadMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'zero':
      return -1;
    case 'replicate':
      return i < 0 ? 0 : n - 1;
    case 'circular':
      return ((i % n) + n) % n;
    case 'symmetric': {
      // ... c b a | a b c ... (period 2n)
      const p = 2 * n;
      let k = ((i % p) + p) % p;
      return k < n ? k : p - 1 - k;
    }
    case 'reflect': {
      // ... c b | a b c ... (period 2n-2)
      if (n === 1) return 0;
      const p = 2 * n - 2;
      let k = ((i % p) + p) % p;
      return k < n ? k : p - k;
    }
  }
}
