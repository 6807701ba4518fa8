// Building blocks of the distortions against scikit-image / scipy (fixtures: tools/synth_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { labToRgb, rgbToHsv, rgbToLab, rgbToYcbcr, ycbcrToRgb, type Planes3 } from '../../../src/data/synth/colourspace.js';
import { gaussianBlurPlane } from '../../../src/data/synth/filter.js';
import { otsuThresholds } from '../../../src/data/synth/spatial.js';

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
