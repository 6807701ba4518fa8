// Building blocks of the distortions against scikit-image / scipy (fixtures: tools/synth_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { labToRgb, rgbToHsv, rgbToLab, rgbToYcbcr, ycbcrToRgb, type Planes3 } from '../../../src/data/synth/colourspace.js';
import { diskKernel, gaussianBlurPlane, motionKernel } from '../../../src/data/synth/filter.js';
import { otsuThresholds } from '../../../src/data/synth/spatial.js';
import { jp2kEncodedSize, jp2kRoundTrip } from '../../../src/data/synth/jp2k.js';
import { jpegRoundTrip, toInterleaved8 } from '../../../src/io/encode-image.js';
import { fromInterleaved } from '../../../src/tensor/image.js';
import { toneCurve } from '../../../src/data/synth/unit.js';

interface Fixture {
  rgb: number[][];
  lab: number[][];
  hsv: number[][];
  ycbcr: number[][];
  labIn: number[][];
  rgbFromLab: number[][];
  otsuSamples: number[];
  otsu: Record<string, number[]>;
  gaussIn: number[];
  gaussShape: [number, number];
  gauss: Record<string, number[]>;
  curves: Record<string, number[]>;
  jp2kIn: number[];
  jp2kShape: [number, number];
  jp2k: Record<string, number[]>;
  jp2kSize: Record<string, number>;
  jpegIn: number[];
  jpegShape: [number, number];
  jpeg: Record<string, number[]>;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/synth/reference.json', import.meta.url), 'utf8')) as Fixture;

const planes = (rows: number[][]): Planes3 => [0, 1, 2].map((c) => Float64Array.from(rows, (r) => r[c])) as Planes3;

function close(name: string, got: Planes3, want: number[][], tol: number, skip: (i: number) => boolean = () => false): void {
  let worst = 0;
  want.forEach((row, i) => {
    if (skip(i)) return;
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(got[c][i] - row[c]));
  });
  assert.ok(worst <= tol, `${name}: max abs difference ${worst} > ${tol}`);
}

test('rgbToLab matches skimage rgb2lab (D65) within 0.02 L*a*b* units', () => {
  close('rgb2lab', rgbToLab(planes(fx.rgb)), fx.lab, 0.02);
});

test('labToRgb matches skimage lab2rgb inside the gamut within 2e-4', () => {
  const got = labToRgb(planes(fx.labIn));
  const inside = (i: number): boolean => fx.rgbFromLab[i].every((v) => v > 0 && v < 1);
  assert.ok(fx.rgbFromLab.filter((_, i) => inside(i)).length > 10);
  close('lab2rgb', got, fx.rgbFromLab, 2e-4, (i) => !inside(i));
  const back = labToRgb(rgbToLab(planes(fx.rgb)));
  close('lab round trip', back, fx.rgb, 1e-5);
});

test('rgbToHsv matches skimage rgb2hsv exactly; Y\'CbCr matches rgb2ycbcr (studio range) and inverts', () => {
  close('rgb2hsv', rgbToHsv(planes(fx.rgb)), fx.hsv, 1e-12);
  const ycc = rgbToYcbcr(planes(fx.rgb));
  close('rgb2ycbcr', ycc, fx.ycbcr, 1e-12);
  close('ycbcr2rgb', ycbcrToRgb(ycc), fx.rgb, 1e-4);
});

test('gaussianBlurPlane = scipy gaussian_filter, replicate padding, 2*ceil(2 sigma)+1 taps', () => {
  const [h, w] = fx.gaussShape;
  for (const [sigma, want] of Object.entries(fx.gauss)) {
    const got = gaussianBlurPlane(Float64Array.from(fx.gaussIn), w, h, Number(sigma));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    assert.ok(worst < 1e-12, `sigma ${sigma}: ${worst}`);
  }
});

test('otsuThresholds partitions the histogram as skimage threshold_multiotsu (exhaustive search)', () => {
  const s = Float64Array.from(fx.otsuSamples, (v) => v / 255);
  for (const [n, want] of Object.entries(fx.otsu)) {
    const t = otsuThresholds(s, Number(n));
    // skimage: class k+1 holds bins > t_k; ours: bins > t*255 = first upper bin - 0.5. Same partition of bins:
    assert.deepEqual(t.map((v) => Math.round(v * 255 - 0.5)), want.map((v) => Math.round(v)), `n = ${n}: ${t.map((v) => (v * 255).toFixed(2))} vs ${want}`);
  }
});

test('jpegRoundTrip (sharp) decodes to the same pixels as PIL/libjpeg at the same IJG quality, 4:2:0', async () => {
  const [h, w] = fx.jpegShape;
  const src = fromInterleaved(fx.jpegIn, w, h, 3);
  for (const [q, want] of Object.entries(fx.jpeg)) {
    const got = toInterleaved8(await jpegRoundTrip(src, Number(q)));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    assert.equal(worst, 0, `quality ${q}: max difference ${worst}`);
  }
});

test('jp2kRoundTrip (OpenJPEG/wasm) = PIL\'s OpenJPEG with the same settings: same codestream size, same pixels', async () => {
  const [h, w] = fx.jp2kShape;
  const src = fromInterleaved(fx.jp2kIn, w, h, 3);
  for (const [r, want] of Object.entries(fx.jp2k)) {
    assert.equal(await jp2kEncodedSize(src, Number(r)), fx.jp2kSize[r]);
    const got = toInterleaved8(await jp2kRoundTrip(src, Number(r)));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    assert.equal(worst, 0, `ratio ${r}: max difference ${worst}`);
  }
});

test("diskKernel = MATLAB fspecial('disk', 1) (published 4-digit values); motionKernel(3, 0) = fspecial('motion', 3, 0)", () => {
  const d = diskKernel(1);
  const want = [0.0251, 0.1453, 0.0251, 0.1453, 0.3183, 0.1453, 0.0251, 0.1453, 0.0251];
  assert.equal(d.kw, 3);
  d.data.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 5e-5, `tap ${i}: ${v} vs ${want[i]}`));
  assert.ok(Math.abs(d.data[4] - 1 / Math.PI) < 1e-12); // the centre pixel lies inside: area 1 of total pi
  // Edge pixel [0.5, 1.5] x [-0.5, 0.5]: (sqrt(3)/2 - 1/2) + 2 * (pi/4 - (sqrt(3)/4 + pi/3)/2), divided by pi.
  const edge = (Math.sqrt(3) / 2 - 0.5 + 2 * (Math.PI / 4 - (Math.sqrt(3) / 4 + Math.PI / 3) / 2)) / Math.PI;
  assert.ok(Math.abs(d.data[3] - edge) < 1e-12, `${d.data[3]} vs ${edge}`);
  const big = diskKernel(8);
  assert.ok(Math.abs(big.data.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const m = motionKernel(3, 0);
  const row = Array.from(m.data.subarray(((m.kh - 1) / 2) * m.kw, ((m.kh + 1) / 2) * m.kw));
  assert.deepEqual(row.map((v) => Number(v.toFixed(6))), [0, 1 / 3, 1 / 3, 1 / 3, 0].map((v) => Number(v.toFixed(6))));
  assert.ok(Math.abs(m.data.reduce((a, b) => a + b, 0) - row.reduce((a, b) => a + b, 0)) < 1e-12);
  const one = motionKernel(1, 37);
  assert.equal(one.data[((one.kh - 1) / 2) * one.kw + (one.kw - 1) / 2], 1); // length 1: identity
});

test('toneCurve = MATLAB spline (scipy not-a-knot CubicSpline) through the KADID control points, clamped', () => {
  for (const [key, want] of Object.entries(fx.curves)) {
    const [kind, v] = key.split(' ');
    const a = Number(v);
    const f = kind === 'contrast' ? toneCurve([0.25 - a / 4, 0.75 + a / 4]) : toneCurve(a);
    want.forEach((y, i) => assert.ok(Math.abs(f(i / 100) - y) < 2e-6, `${key} at ${i / 100}: ${f(i / 100)} vs ${y}`));
  }
});
