import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cannyMatlab, cpbd, cpbdPool, marzilianoWidths, sobelVerticalMatlab } from '../../../src/metrics/nr/cpbd.js';
import { NR_METRICS } from '../../../src/metrics/nr/index.js';
import { makeImage, makePlane } from '../../../src/tensor/image.js';
import { blur, greyImage, noise, texture } from '../../helpers/synth-nr.js';

/** A plane whose every row is `row`. */
const rows = (row: number[], h: number) => makePlane(row.length, h, Float64Array.from({ length: row.length * h }, (_, i) => row[i % row.length]));

test('cpbd: Marziliano widths of a rising and a falling ramp (hand-computed)', () => {
  // rising ramp 0 -> 30 over x = 1..4: at x = 3 the right side stops at once (flat: 1 sample), the left side goes
  // back to the foot at x = 1 (2 samples): width 3
  const up = rows([0, 0, 10, 20, 30, 30, 30, 30], 3);
  const E = new Uint8Array(24);
  E[8 + 3] = 1;
  assert.equal(marzilianoWidths(E, up).at(8 + 3), 3);
  // falling ramp (angle 180): mirrored, same width; a 5-sample ramp measured in its middle: 2 + 3
  const down = rows([50, 50, 40, 30, 20, 10, 0, 0, 0, 0], 3);
  const E2 = new Uint8Array(30);
  E2[10 + 3] = 1;
  assert.equal(marzilianoWidths(E2, down).at(10 + 3), 2 + 3);
  // a vertical ramp (Gx = 0, Gy != 0) keeps the release's angle 0: measured along the row, where it is flat
  const vert = makePlane(5, 5, Float64Array.from({ length: 25 }, (_, i) => 10 * Math.floor(i / 5)));
  const E3 = new Uint8Array(25);
  E3[12] = 1;
  assert.equal(marzilianoWidths(E3, vert).at(12), 2);
});

test('cpbd: Sobel vertical edges sit on the steepest column of a step; Canny finds the step, not flat areas', () => {
  const step = rows([...Array(10).fill(20), ...Array(10).fill(200)], 12);
  const e = sobelVerticalMatlab(step);
  for (let y = 1; y < 11; y++) {
    const on = [...Array(20).keys()].filter((x) => e[y * 20 + x]);
    assert.deepEqual(on, [9], `row ${y}: ${on}`); // b is equal at x = 9, 10: left < b >= right keeps x = 9
  }
  const c = cannyMatlab(step);
  let n = 0;
  for (let y = 0; y < 12; y++) for (let x = 0; x < 20; x++) if (c[y * 20 + x]) { n++; assert.ok(x === 9 || x === 10, `edge at ${x}`); }
  assert.ok(n >= 8, `${n} Canny edge pixels`);
  assert.equal(cannyMatlab(makePlane(16, 16, new Float64Array(256).fill(7))).reduce((a, b) => a + b, 0), 0);
});

test('cpbd: pooling counts edges with P(blur) < 0.635 in edge blocks only (hand-computed)', () => {
  const W = 128, H = 64;
  const grey = makePlane(W, H, Float64Array.from({ length: W * H }, (_, i) => ((i % W) < 64 ? (i % 2) * 40 : (i % 2) * 200)));
  const canny = new Uint8Array(W * H), widths = new Float64Array(W * H);
  // left block: contrast 40 -> JNB 5; 9 Canny pixels (> 8.192) make it an edge block
  for (let k = 0; k < 9; k++) canny[k * W + 5] = 1;
  widths[10 * W + 10] = 4; // P = 1 - exp(-(4/5)^3.6) = 0.5045 -> bin 50: sharp
  widths[11 * W + 10] = 6; // P = 1 - exp(-(6/5)^3.6) = 0.8926 -> bin 89: blurred
  // right block: contrast 200 -> JNB 3; only 8 Canny pixels: not an edge block, its widths are ignored
  for (let k = 0; k < 8; k++) canny[k * W + 70] = 1;
  widths[10 * W + 70] = 1;
  assert.equal(cpbdPool(grey, canny, widths), 0.5);
  for (let k = 8; k < 9; k++) canny[k * W + 70] = 1; // 9 pixels now: its width-1 edge (P = 0.019) counts as sharp
  assert.equal(cpbdPool(grey, canny, widths), 2 / 3);
  assert.equal(cpbdPool(grey, new Uint8Array(W * H), widths), 0); // no edge blocks
  // the JNB boundary: P(w = 3, JNB 3) = 1 - 1/e = 0.632 -> bin 63 counts as sharp; w = 4 with JNB 5 as above
  assert.ok(Math.round(100 * (1 - Math.exp(-1))) === 63);
});

test('cpbd: sharper is higher and the score falls monotonically with blur; flat images score 0', () => {
  const t = texture(256, 192, 3);
  const s = [0, 0.8, 1.5, 3].map((sg) => cpbd(greyImage(blur(t, sg))).score);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] < s[i - 1], `blur monotone: ${s.join(' > ')}`);
  for (const v of s) assert.ok(v >= 0 && v <= 1);
  assert.equal(cpbd(makeImage(128, 128, 1, new Float64Array(128 * 128).fill(90))).score, 0);
  // noise adds sharp edges
  assert.ok(cpbd(greyImage(noise(blur(t, 3), 8))).score > s[3]);
});

test('cpbd: RGB with equal channels equals grey; map is the width map; too small images are refused', () => {
  const t = texture(128, 128, 9);
  const g = greyImage(t);
  const rgb = makeImage(128, 128, 3, Float64Array.from({ length: 3 * 128 * 128 }, (_, i) => t.data[i % (128 * 128)]));
  const a = cpbd(g), b = cpbd(rgb);
  assert.equal(a.score, b.score);
  assert.ok(a.map && a.map.width === 128 && a.map.data.some((v) => v > 0));
  assert.throws(() => cpbd(makeImage(63, 100, 1, new Float64Array(6300))), /cpbd: image size: expected at least 64x64, got 63x100/);
  const e = NR_METRICS.find((m) => m.name === 'cpbd');
  assert.ok(e && e.lowerBetter === false && e.mode === 'NR');
});
