/** `Image` (planar 0..255) -> NCHW float32 batches, and a per-shape cache of compiled inference graphs. */
import type { Tensor } from '../engine/graph/graph.js';
import { compile, type Compiled, type CompileOptions } from '../engine/runtime/index.js';
import type { Image } from '../tensor/image.js';
import { ndarray, type NdArray } from '../tensor/ndarray.js';

/** [1, 3, H, W] float32 RGB in [0, 1] (grey images are replicated to three channels). */
export function imageToNchw01(img: Image): NdArray<'float32'> {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const src = img.channels === 3 ? c * n : 0;
    for (let i = 0; i < n; i++) out[c * n + i] = img.data[src + i] / 255;
  }
  return ndarray('float32', [1, 3, img.height, img.width], out);
}

/** Compiled graphs by key (input shape); each is built and loaded once. */
export class GraphCache {
  private readonly map = new Map<string, Promise<Compiled>>();
  constructor(private readonly opts: CompileOptions = {}) {}
  get(key: string, build: () => Record<string, Tensor>): Promise<Compiled> {
    let c = this.map.get(key);
    if (!c) {
      c = compile(build(), this.opts);
      this.map.set(key, c);
      c.catch(() => this.map.delete(key));
    }
    return c;
  }
  async clear(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    for (const c of all) await (await c).release();
  }
}
