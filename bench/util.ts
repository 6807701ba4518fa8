/** Small helpers shared by the benchmark scripts. */
import { topoSort, type Tensor } from '../src/engine/graph/graph.js';

/** `--k value` from the command line, or `d`. */
export const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};

/** Median (mean of the two middle values for an even count). */
export const median = (a: readonly number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Multiply-accumulates of the convolutions and matrix products in a graph (the GEMM work that bounds a CNN or a
 * transformer; elementwise ops are left out). With a run time t, 2 * macs / t is the achieved FLOP rate, to set against
 * the CPU's peak (AVX2 with two FMA pipes: 32 FLOP per cycle and core).
 */
export function graphMacs(outputs: readonly Tensor[]): number {
  let macs = 0;
  for (const n of topoSort(outputs)) {
    const [x, w] = n.inputs;
    const out = n.outputs[0];
    if (n.op.name === 'Conv2d') macs += out.size * w.shape[1] * w.shape[2] * w.shape[3];
    else if (n.op.name === 'ConvTranspose2d') macs += x.size * w.shape[1] * w.shape[2] * w.shape[3];
    else if (n.op.name === 'MatMul') macs += out.size * x.shape[x.rank - 1];
    else if (n.op.name === 'Attention') macs += 2 * x.size * w.shape[w.rank - 2]; // q k^T and p v: q [B, H, S, D], k [B, H, T, D]
  }
  return macs;
}
