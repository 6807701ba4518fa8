/** Procedural test images for the NR property tests (seeded, deterministic). */
import { makeImage, makePlane, type Image, type Plane } from '../../src/tensor/image.js';
import { filterSeparable, gaussian1d } from '../../src/signal/filter.js';
import { rng } from './rng.js';
export { rng };


/** A natural-looking grey texture: sum of random-phase sinusoids with 1/f amplitudes plus edges, 0..255. */
export function texture(w: number, h: number, seed = 1): Plane {
  const r = rng(seed);
  const d = new Float64Array(w * h);
  const comps = Array.from({ length: 40 }, () => {
    const f = 0.005 + 0.4 * r() ** 2, th = r() * Math.PI, ph = r() * 2 * Math.PI;
    return { fx: f * Math.cos(th), fy: f * Math.sin(th), ph, a: 1 / (f * 40 + 0.2) };
  });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let v = 0;
    for (const c of comps) v += c.a * Math.sin(2 * Math.PI * (c.fx * x + c.fy * y) + c.ph);
    v += (x * 7 + y * 3) % 97 < 48 ? 6 : -6; // hard edges
    d[y * w + x] = v;
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of d) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  for (let i = 0; i < d.length; i++) d[i] = Math.round(20 + (215 * (d[i] - lo)) / (hi - lo));
  return makePlane(w, h, d);
}

export function greyImage(p: Plane): Image {
  return makeImage(p.width, p.height, 1, Float64Array.from(p.data));
}

export function blur(p: Plane, sigma: number): Plane {
  if (sigma <= 0) return p;
  const g = gaussian1d(2 * Math.ceil(3 * sigma) + 1, sigma);
  const q = filterSeparable(p, g, g, 'same', 'symmetric');
  for (let i = 0; i < q.data.length; i++) q.data[i] = Math.round(q.data[i]);
  return q;
}

export function noise(p: Plane, std: number, seed = 7): Plane {
  const r = rng(seed);
  const out = new Float64Array(p.data.length);
  for (let i = 0; i < out.length; i++) {
    const g = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    out[i] = Math.min(255, Math.max(0, Math.round(p.data[i] + std * g)));
  }
  return makePlane(p.width, p.height, out);
}

/** Grey (rgb2gray, rounded) top-left crop of a decoded image, as a plane. */
export function greyCrop(img: Image, w: number, h: number): Plane {
  const n = img.width * img.height, out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * img.width + x;
    out[y * w + x] = img.channels === 1 ? img.data[i] : Math.round(0.298936021293775 * img.data[i] + 0.587043074451121 * img.data[n + i] + 0.114020904255103 * img.data[2 * n + i]);
  }
  return makePlane(w, h, out);
}
