import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISTORTIONS, distort, distortionType, type DistortionType } from '../../../src/data/synth/index.js';
import { jp2kEncodedSize } from '../../../src/data/synth/jp2k.js';
import { jpegEncodedSize, jpegRoundTrip } from '../../../src/io/encode-image.js';
import { IqaError } from '../../../src/tensor/errors.js';
import { makeImage, type Image } from '../../../src/tensor/image.js';
import { distinctColours, distinctValues, gradientEnergy, lumaStd, mean, meanChroma, meanSaturation, mse, testImage } from './fixtures.js';

const codecs = { jpeg: jpegRoundTrip };
const img = testImage();
// JPEG 2000 at ratio 400 needs an image whose raw size dwarfs the codestream headers (~150 bytes).
const jp2kImg = testImage(256, 192);

async function levels(t: DistortionType, seed = 3, src: Image = t.name === 'jpeg2000' ? jp2kImg : img): Promise<Image[]> {
  const out: Image[] = [];
  for (let l = 1; l <= 5; l++) out.push(await distort(src, t.id, l, { seed, codecs }));
  return out;
}

function assertIncreasing(name: string, v: number[]): void {
  for (let i = 1; i < v.length; i++) assert.ok(v[i] > v[i - 1], `${name}: expected strictly increasing over levels, got ${v.map((x) => x.toFixed(3)).join(', ')}`);
}
function assertDecreasing(name: string, v: number[]): void {
  for (let i = 1; i < v.length; i++) assert.ok(v[i] < v[i - 1], `${name}: expected strictly decreasing over levels, got ${v.map((x) => x.toFixed(3)).join(', ')}`);
}

test('the table has the 25 KADID-10k types in KADID order, 5 parameters each', () => {
  assert.equal(DISTORTIONS.length, 25);
  DISTORTIONS.forEach((d, i) => {
    assert.equal(d.id, i + 1);
    assert.equal(d.params.length, 5);
  });
  assert.deepEqual(distortionType('GBLUR').params, [0.1, 0.5, 1, 2, 5]);
  assert.equal(distortionType(10).name, 'jpeg');
  assert.equal(distortionType('9').name, 'jpeg2000');
  assert.equal(distortionType('Contrast Dist.').id, 25);
});

test('bad type or level names the argument', async () => {
  assert.throws(() => distortionType('sepia'), (e: unknown) => e instanceof IqaError && /distortionType: distortion type: expected a name .* got "sepia"/.test(e.message));
  await assert.rejects(distort(img, 'jpeg', 6, { codecs }), /distort: level: expected an integer 1\.\.5, got 6/);
  await assert.rejects(distort(img, 'jpeg', 1), /jpeg: no JPEG encoder/);
});

for (const t of DISTORTIONS) {
  test(`${t.id} ${t.name}: deterministic per seed, size preserved, levels distinct`, async () => {
    const a = await levels(t, 11);
    const b = await levels(t, 11);
    const src = t.name === 'jpeg2000' ? jp2kImg : img;
    for (let l = 0; l < 5; l++) {
      assert.equal(a[l].width, src.width);
      assert.equal(a[l].height, src.height);
      assert.equal(a[l].channels, 3);
      assert.deepEqual(a[l].data, b[l].data, `level ${l + 1} differs between two runs with the same seed`);
      for (const v of a[l].data) assert.ok(v >= 0 && v <= 255 && Number.isFinite(v));
    }
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) assert.ok(mse(a[i], a[j]) > 0, `levels ${i + 1} and ${j + 1} are identical`);
    if (t.random) {
      const c = await levels(t, 12);
      assert.ok(c.some((x, l) => mse(x, a[l]) > 0), 'a random type gave the same result for two seeds');
    }
  });
}

test('blurs lower gradient energy with level; high sharpen raises it', async () => {
  for (const name of ['gaussian_blur', 'lens_blur', 'motion_blur']) assertDecreasing(name, (await levels(distortionType(name))).map(gradientEnergy));
  assertIncreasing('high_sharpen', (await levels(distortionType('high_sharpen'))).map(gradientEnergy));
});

test('noises raise the residual variance with level', async () => {
  for (const name of ['white_noise', 'white_noise_ycbcr', 'impulse_noise', 'multiplicative_noise', 'denoise']) {
    assertIncreasing(name, (await levels(distortionType(name))).map((d) => mse(d, img)));
  }
});

test('white noise residual variance matches the KADID variance (unit range)', async () => {
  const flat = makeImage(64, 64, 3, new Float64Array(3 * 64 * 64).fill(128));
  const d = await distort(flat, 'white_noise', 5, { seed: 1 });
  const v = mse(d, flat) / 255 ** 2;
  assert.ok(Math.abs(v - 0.01) < 0.001, `variance ${v}, expected about 0.01`);
});

test('JPEG: coded size falls and error rises as quality falls (43, 36, 24, 7, 4)', async () => {
  const big = testImage(96, 80);
  const sizes: number[] = [];
  for (const q of distortionType('jpeg').params) sizes.push(await jpegEncodedSize(big, q));
  assertDecreasing('jpeg bytes', sizes);
  assertIncreasing('jpeg mse', (await levels(distortionType('jpeg'))).map((d) => mse(d, img)));
});

test('JPEG 2000: the codestream honours the compression ratio and error rises with it', async () => {
  const raw = jp2kImg.width * jp2kImg.height * 3;
  for (const r of distortionType('jpeg2000').params) {
    const n = await jp2kEncodedSize(jp2kImg, r);
    assert.ok(n <= raw / r + 64 && n >= (raw / r) * 0.5, `ratio ${r}: ${n} bytes, expected about ${Math.round(raw / r)}`);
  }
  assertIncreasing('jp2k mse', (await levels(distortionType('jpeg2000'))).map((d) => mse(d, jp2kImg)));
});

test('colour types move chroma the intended way', async () => {
  assertDecreasing('colour_saturation_hsv (levels 1-4)', (await levels(distortionType('colour_saturation_hsv'))).slice(0, 4).map(meanSaturation));
  assertIncreasing('colour_saturation_lab', (await levels(distortionType('colour_saturation_lab'))).map(meanChroma));
  assertIncreasing('colour_diffusion', (await levels(distortionType('colour_diffusion'))).map((d) => mse(d, img)));
  assertIncreasing('colour_shift', (await levels(distortionType('colour_shift'))).map((d) => mse(d, img)));
  const q = await levels(distortionType('colour_quantisation'));
  q.forEach((d, l) => assert.ok(distinctColours(d) <= distortionType('colour_quantisation').params[l], `level ${l + 1}: ${distinctColours(d)} colours`));
});

test('brightness: brighten raises, darken lowers, mean shift goes from +0.15 to -0.15 with level 3 the identity', async () => {
  assertIncreasing('brighten', (await levels(distortionType('brighten'))).map(mean));
  assertDecreasing('darken', (await levels(distortionType('darken'))).map(mean));
  const ms = await levels(distortionType('mean_shift'));
  assertDecreasing('mean_shift', ms.map(mean));
  assert.deepEqual(ms[2].data, img.data);
});

test('contrast change: luma spread falls with level (0.3 .. -0.6)', async () => {
  assertDecreasing('contrast_change', (await levels(distortionType('contrast_change'))).map(lumaStd));
});

test('spatial types: error rises with level; quantisation keeps at most n+1 values', async () => {
  for (const name of ['jitter', 'non_eccentricity_patch']) {
    assertIncreasing(name, (await levels(distortionType(name))).map((d) => mse(d, img)));
  }
  // Colour blocks (2 .. 10 of 32x32, random colours): the area they change grows (a later block may repaint an
  // earlier one with a colour nearer the original, so MSE need not grow).
  const wide = testImage(160, 120);
  const changed = (d: Image): number => {
    let c = 0;
    for (let i = 0; i < d.data.length; i++) if (d.data[i] !== wide.data[i]) c++;
    return c;
  };
  assertIncreasing('colour_block changed samples', (await levels(distortionType('colour_block'), 3, wide)).map(changed));
  // Pixelation: on a horizontal ramp (all columns distinct), the share of columns repeating their left neighbour
  // is the share of pixels lost, 1 - ceil(z * w) / w with z = 0.95 - s^0.6 (MSE on textures aliases instead).
  const W = 120;
  const ramp = makeImage(W, 8, 3, new Float64Array(3 * W * 8).map((_, i) => 2 * (i % W)));
  const repeats = (d: Image): number => {
    let c = 0;
    for (let x = 1; x < W; x++) if (d.data[x] === d.data[x - 1]) c++;
    return c;
  };
  const pix = (await levels(distortionType('pixelate'), 3, ramp)).map(repeats);
  assert.deepEqual(pix, distortionType('pixelate').params.map((s) => W - Math.ceil((0.95 - s ** 0.6) * W)));
  const q = await levels(distortionType('quantisation'));
  q.forEach((d, l) => assert.ok(distinctValues(d) <= distortionType('quantisation').params[l] + 1));
  assertDecreasing('quantisation distinct values', q.map(distinctValues));
});

test('a grey image is expanded to RGB', async () => {
  const g = makeImage(20, 16, 1, new Float64Array(320).map((_, i) => i % 256));
  const d = await distort(g, 'gaussian_blur', 3);
  assert.equal(d.channels, 3);
  assert.deepEqual(d.data.subarray(0, 320), d.data.subarray(320, 640));
});
