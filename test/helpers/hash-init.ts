/** TypeScript twin of tools/hashinit.py: deterministic tensors and Rademacher-projection summaries. */
const fmix32 = (h0: number): number => {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
};

export function hashUniform(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  const s = Math.imul(seed, 0x85ebca77);
  for (let i = 0; i < n; i++) out[i] = fmix32((Math.imul(i, 0x9e3779b1) + s + 1) >>> 0) / 4294967296;
  return out;
}

export function hashTensor(n: number, seed: number, bound: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  const s = Math.imul(seed, 0x85ebca77);
  for (let i = 0; i < n; i++) out[i] = (2 * (fmix32((Math.imul(i, 0x9e3779b1) + s + 1) >>> 0) / 4294967296) - 1) * bound + offset;
  return out;
}

export interface Summary {
  norm: number;
  proj: number[];
  idx: number[];
  samples: number[];
}

/** Relative L2 of `a` against the summarised reference, estimated from the 16 projections (E[(r.d)^2] = |d|^2). */
export function relL2FromSummary(a: Float32Array | Float64Array, ref: Summary): number {
  const n = a.length;
  const k = ref.proj.length;
  const dots = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const h = fmix32((Math.imul(i, 0x9e3779b1) + 0xc2b2ae3d) >>> 0); // bit j: sign of projection j
    const v = a[i];
    for (let j = 0; j < k; j++) dots[j] += (h >>> j) & 1 ? v : -v;
  }
  let se = 0;
  for (let j = 0; j < k; j++) se += (dots[j] - ref.proj[j]) ** 2;
  return Math.sqrt(se / k) / Math.max(ref.norm, 1e-30);
}
