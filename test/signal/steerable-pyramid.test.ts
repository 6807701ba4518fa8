import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSpyr, corrDn, corrDnSeparable, maxPyrHeight, sp5Filters } from '../../src/signal/steerable-pyramid.js';
import { kernel } from '../../src/signal/filter.js';
import { makePlane, type Plane } from '../../src/tensor/image.js';
import { invertSymmetric, symmetricEigenvalues } from '../../src/signal/linalg.js';

interface Summary { w: number; h: number; sum: number; sumsq: number; wsum: number }

function summary(p: Plane): Summary {
  let sum = 0, sumsq = 0, wsum = 0;
  p.data.forEach((v, i) => {
    sum += v;
    sumsq += v * v;
    wsum += v * Math.sin(i);
  });
  return { w: p.width, h: p.height, sum, sumsq, wsum };
}

test('buildSpyr(sp5, reflect1) matches matlabPyrTools corrDn.m/rconv2.m semantics (numpy fixture) on a 37x45 image', () => {
  const f = JSON.parse(readFileSync(new URL('../fixtures/signal/spyr.json', import.meta.url), 'utf8'));
  const p = buildSpyr(makePlane(f.width, f.height, Float64Array.from(f.image)), 2);
  const got: Record<string, Plane> = { hi0: p.highpass, lo: p.lowpass };
  p.levels.forEach((bands, l) => bands.forEach((b, i) => (got[`L${l}B${i}`] = b)));
  for (const [k, want] of Object.entries(f.bands as Record<string, Summary>)) {
    const g = summary(got[k]);
    assert.equal(g.w, want.w, k);
    assert.equal(g.h, want.h, k);
    const scale = Math.sqrt(want.sumsq * want.w * want.h);
    assert.ok(Math.abs(g.sumsq / want.sumsq - 1) < 1e-12, `${k} sumsq ${g.sumsq} vs ${want.sumsq}`);
    assert.ok(Math.abs(g.sum - want.sum) < 1e-12 * scale, `${k} sum ${g.sum} vs ${want.sum}`);
    assert.ok(Math.abs(g.wsum - want.wsum) < 1e-12 * scale, `${k} wsum ${g.wsum} vs ${want.wsum}`);
  }
});

test('corrDn: reflect1 edges, origin floor(k/2), start/step sampling; separable form agrees', () => {
  const p = makePlane(5, 4, Float64Array.from({ length: 20 }, (_, i) => (i * 37) % 11));
  // a 1x3 filter [1 2 3]: out(x) = x[x-1] + 2x[x] + 3x[x+1] with x[-1] = x[1] (reflection through the edge pixel)
  const o = corrDn(p, kernel(3, 1, [1, 2, 3]));
  const row = Array.from(p.data.subarray(0, 5));
  assert.equal(o.data[0], row[1] + 2 * row[0] + 3 * row[1]);
  assert.equal(o.data[4], row[3] + 2 * row[4] + 3 * row[3]);
  const k = [0.25, 0.5, 0.25];
  const full = corrDn(p, kernel(3, 3, k.flatMap((a) => k.map((b) => a * b))), 2, 1);
  const sep = corrDnSeparable(p, k, k, 2, 1);
  assert.deepEqual([full.width, full.height], [2, 2]);
  full.data.forEach((v, i) => assert.ok(Math.abs(v - sep.data[i]) < 1e-12));
  assert.equal(maxPyrHeight(512, 384, 9), 6);
  assert.throws(() => buildSpyr(makePlane(40, 40), 4), /buildSpyr: pyramid height for a 40x40 image: expected at most 3, got 4/);
  assert.equal(sp5Filters().bands.length, 6);
});

test('linalg: inverse and eigenvalues of a symmetric positive-definite matrix', () => {
  const n = 4;
  const a = Float64Array.from([4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1]);
  const inv = invertSymmetric(a, n)!;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
    assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-14);
  }
  assert.equal(invertSymmetric(new Float64Array(4), 2), null, 'singular matrix');
  const ev = symmetricEigenvalues(a, n);
  const tr = ev.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(tr - 10) < 1e-13);
  // numpy.linalg.eigvalsh of the same matrix
  const want = [0.9066701701696024, 1.9693130219388706, 2.3992643038562114, 4.724752504035314];
  ev.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-13, `${v} vs ${want[i]}`));
});
