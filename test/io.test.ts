import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { readImage, decodeImage } from '../src/io/index.js';
import { needsSharedData, sharedPath } from './helpers/shared-data.js';

test('BMP from TID2013 decodes as 512x384 RGB', { skip: needsSharedData }, async () => {
  const img = await readImage(sharedPath('calibration/tid2013_resultscalibra/ref_dir/I03.bmp'));
  assert.equal(img.width, 512);
  assert.equal(img.height, 384);
  assert.equal(img.channels, 3);
  // first pixel, checked against PIL
  assert.deepEqual([img.data[0], img.data[512 * 384], img.data[2 * 512 * 384]], [150, 149, 114]);
});

test('PNG 16-bit keeps fractional precision on the 0..255 scale', async () => {
  const raw = new Uint16Array([0, 65535, 257, 1000]);
  const png = await sharp(raw, { raw: { width: 4, height: 1, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toBuffer();
  const img = await decodeImage(png);
  assert.equal(img.bitDepth, 16);
  assert.equal(img.channels, 1);
  assert.deepEqual(Array.from(img.data).map((v) => +v.toFixed(6)), [0, 255, 1, +(1000 * 255 / 65535).toFixed(6)]);
});

test('alpha is dropped by default and composited on white on request', async () => {
  const rgba = Buffer.from([10, 20, 30, 0, 200, 100, 50, 255]);
  const png = await sharp(rgba, { raw: { width: 2, height: 1, channels: 4 } }).png().toBuffer();
  const dropped = await decodeImage(png);
  assert.equal(dropped.channels, 3);
  assert.deepEqual(Array.from(dropped.data), [10, 200, 20, 100, 30, 50]);
  const white = await decodeImage(png, 'x', { alpha: 'white' });
  assert.deepEqual(Array.from(white.data), [255, 200, 255, 100, 255, 50]);
});

test('truncated and corrupt files are clear errors', async () => {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toBuffer();
  await assert.rejects(decodeImage(png.subarray(0, 40), 'cut.png'), /readImage: cut\.png: cannot decode image/);
  await assert.rejects(decodeImage(new Uint8Array([1, 2, 3]), 'junk.bin'), /readImage: junk\.bin: cannot decode image/);
  await assert.rejects(decodeImage(new Uint8Array([0x42, 0x4d, 1, 2]), 'cut.bmp'), /readImage: cut\.bmp: cannot decode BMP/);
  await assert.rejects(readImage('/nonexistent/file.png'), /readImage: \/nonexistent\/file\.png: cannot read file/);
});
