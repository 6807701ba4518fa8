/**
 * Decoded-image cache for the batch pipeline: least-recently-used, bounded by bytes. Held by the main thread; with
 * workers the pixels live in SharedArrayBuffers, so an image decoded by one worker is read by every other one
 * without a copy (a small set is decoded once, whatever the worker count).
 */
import type { DecodedImage } from './recipe.js';

const bytesOf = (img: DecodedImage): number => (img.data ?? img.raw?.data)?.byteLength ?? 0;

export class ImageCache {
  // Map keeps insertion order: the first key is the least recently used.
  private readonly map = new Map<string, DecodedImage>();
  private used = 0;
  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }
  get size(): number {
    return this.map.size;
  }

  /** The image, marked most recently used; undefined when absent. */
  get(file: string): DecodedImage | undefined {
    const v = this.map.get(file);
    if (v) {
      this.map.delete(file);
      this.map.set(file, v);
    }
    return v;
  }

  /** Stores `img` unless it alone exceeds the budget, evicting the least recently used entries. */
  set(file: string, img: DecodedImage): void {
    const b = bytesOf(img);
    if (b > this.maxBytes) return;
    const old = this.map.get(file);
    if (old) {
      this.map.delete(file);
      this.used -= bytesOf(old);
    }
    while (this.used + b > this.maxBytes) {
      const [k, v] = this.map.entries().next().value as [string, DecodedImage];
      this.map.delete(k);
      this.used -= bytesOf(v);
    }
    this.map.set(file, img);
    this.used += b;
  }
}
