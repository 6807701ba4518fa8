import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { encode as encodeBmp } from 'fast-bmp';
import {
  DATASETS,
  datasetSpec,
  loadDataset,
  loadGenericCsv,
  loadNamedDataset,
  normaliseScores,
  type DatasetSpec,
} from '../../../src/data/datasets/index.js';
import { readImage } from '../../../src/io/decode.js';
import { IqaError } from '../../../src/tensor/errors.js';
import { needsSharedData, sharedPath } from '../../helpers/shared-data.js';

/** Writes a small real image in the format its extension names (BMP via fast-bmp, others via sharp). */
async function writeImage(path: string, seed = 0): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const w = 8;
  const h = 6;
  const px = new Uint8Array(w * h * 3).map((_, i) => (i * 37 + seed * 11) % 256);
  const ext = path.split('.').pop()!.toLowerCase();
  if (ext === 'bmp') {
    await writeFile(path, encodeBmp({ width: w, height: h, channels: 3, components: 3, bitsPerPixel: 24, data: px }));
    return;
  }
  const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
  await writeFile(path, await (ext === 'png' ? img.png() : img.jpeg()).toBuffer());
}

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'iqa-ds-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates every image named in `paths` (relative to `base`) and writes the label file. */
async function fakeLayout(base: string, labelRel: string, label: string, paths: string[]): Promise<void> {
  for (let i = 0; i < paths.length; i++) await writeImage(join(base, paths[i]), i);
  await mkdir(dirname(join(base, labelRel)), { recursive: true });
  await writeFile(join(base, labelRel), label);
}

/** Images named in an iqa-dataset label text (first and, if present, third column). */
function pathsOf(label: string, withRef: boolean): string[] {
  const rows = label.trim().split('\n').slice(1).map((l) => l.split(','));
  return [...new Set(rows.flatMap((r) => (withRef ? [r[0], r[2]] : [r[0]])))];
}

// Small format-faithful snippets of each label file (iqa-dataset layout: header + rows as upstream writes them).
const SNIPPETS: Record<string, { withRef: boolean; file: string; text: string }> = {
  live: {
    withRef: true,
    file: 'LIVE.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nLIVE/jp2k/img2.bmp,jp2k,LIVE/refimgs/bikes.bmp,15.5\nLIVE/jpeg/img9.bmp,jpeg,LIVE/refimgs/bikes.bmp,60.25\nLIVE/wn/img3.bmp,wn,LIVE/refimgs/rapids.bmp,-2.5\n',
  },
  csiq: {
    withRef: true,
    file: 'CSIQ.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nCSIQ/dst_imgs/AWGN/1600.AWGN.1.png,AWGN,CSIQ/src_imgs/1600.png,0.061989\nCSIQ/dst_imgs/jpeg/1600.JPEG.4.png,jpeg,CSIQ/src_imgs/1600.png,0.5\nCSIQ/dst_imgs/blur/boston.BLUR.5.png,blur,CSIQ/src_imgs/boston.png,0.9\n',
  },
  tid2008: {
    withRef: true,
    file: 'TID2008.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nTID2008/distorted_images/I01_01_1.bmp,AWGN,TID2008/reference_images/I01.BMP,5.9706\nTID2008/distorted_images/I02_17_4.bmp,Contrast change,TID2008/reference_images/I02.BMP,3.25\n',
  },
  tid2013: {
    withRef: true,
    file: 'TID2013.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nTID2013/distorted_images/i01_01_1.bmp,AWGN,TID2013/reference_images/i01.bmp,5.5143\nTID2013/distorted_images/i01_24_5.bmp,Comfort noise,TID2013/reference_images/i01.bmp,2.1\nTID2013/distorted_images/i03_10_2.bmp,JPEG,TID2013/reference_images/i03.bmp,6.0\n',
  },
  kadid10k: {
    withRef: true,
    file: 'KADID-10k.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nKADID-10k/images/I01_01_01.png,GBLUR,KADID-10k/images/I01.png,4.57\nKADID-10k/images/I01_25_05.png,CONTRAST,KADID-10k/images/I01.png,2.0\nKADID-10k/images/I81_10_03.png,JPEG,KADID-10k/images/I81.png,3.1\n',
  },
  pipal: {
    withRef: true,
    file: 'PIPAL.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nPIPAL/Distortion_1/A0001_00_00.bmp,PIPAL_distortions,PIPAL/Train_Ref/A0001.bmp,1520.0648\nPIPAL/Distortion_2/A0002_05_11.bmp,PIPAL_distortions,PIPAL/Train_Ref/A0002.bmp,1210.5\n',
  },
  'live-md': {
    withRef: true,
    file: 'LIVE_MD.txt',
    text: 'dis_img_path,dis_type,ref_img_path,score\nLIVE_MD/To_Release/Part_1/blurjpeg/babygirl_blur1.bmp,Multiply Dist.,LIVE_MD/To_Release/Ref_Images/babygirl.bmp,21.5789\nLIVE_MD/To_Release/Part_2/blurnoise/babygirl_blur1_noise1.bmp,Multiply Dist.,LIVE_MD/To_Release/Ref_Images/babygirl.bmp,40\n',
  },
  koniq10k: {
    withRef: false,
    file: 'KonIQ-10k.txt',
    text: 'dis_img_path,dis_type,score\nKonIQ-10k/1024x768/10004473376.jpg,Authentic,3.82857142857143\nKonIQ-10k/1024x768/10007357496.jpg,Authentic,3.47916666666667\n',
  },
  livec: {
    withRef: false,
    file: 'LIVE_Challenge.txt',
    text: 'dis_img_path,dis_type,score\nLIVE_Challenge/Images/101.bmp,Authentic,66.3595\nLIVE_Challenge/Images/102.bmp,Authentic,44.695\n',
  },
  spaq: {
    withRef: false,
    file: 'SPAQ.txt',
    text: 'dis_img_path,dis_type,score\nSPAQ/Dataset/TestImage/00001.jpg,Authentic,48.86\nSPAQ/Dataset/TestImage/00002.jpg,Authentic,62.5\n',
  },
  bid: {
    withRef: false,
    file: 'BID.txt',
    text: 'dis_img_path,dis_type,score\nBID/ImageDatabase/DatabaseImage0001.JPG,Authentic,2.5\nBID/ImageDatabase/DatabaseImage0002.JPG,Authentic,4.1\n',
  },
  flive: {
    withRef: false,
    file: 'FLIVE.txt',
    text: 'dis_img_path,dis_type,score\nFLIVE/database/AVA__149.jpg,Authentic,71.2\nFLIVE/database/blur_dataset/out_of_focus0001.jpg,Authentic,55\n',
  },
  cid2013: {
    withRef: false,
    file: 'CID2013.txt',
    text: 'dis_img_path,dis_type,score\nCID2013/IS1/co1/IS_I_C01_D01.jpg,Authentic,3.34364303351907\nCID2013/IS4/co2/IS_IV_C02_D03.jpg,Authentic,71.18\n',
  },
};

test('every dataset loads a fake copy of its layout (iqa-dataset label format) with real images', async () => {
  assert.deepEqual(Object.keys(SNIPPETS).sort(), Object.keys(DATASETS).sort());
  for (const [name, s] of Object.entries(SNIPPETS)) {
    await withTmp(async (root) => {
      await fakeLayout(root, s.file, s.text, pathsOf(s.text, s.withRef));
      const ds = await loadNamedDataset(name, { root });
      const rows = s.text.trim().split('\n').slice(1).map((l) => l.split(','));
      assert.equal(ds.items.length, rows.length, name);
      assert.equal(ds.labelFile, join(root, s.file));
      for (let i = 0; i < rows.length; i++) {
        const it = ds.items[i];
        assert.equal(it.dist, join(root, rows[i][0]), name);
        assert.equal(it.score, Number(rows[i][s.withRef ? 3 : 2]));
        assert.equal(it.meta.type, rows[i][1]);
        assert.equal(it.meta.line, i + 2);
        if (s.withRef) assert.equal(it.ref, join(root, rows[i][2]));
        else assert.equal(it.ref, undefined);
      }
      assert.equal(ds.kind, s.withRef ? 'synthetic' : 'authentic');
      const img = await readImage(ds.items[0].dist);
      assert.equal(img.width, 8);
    });
  }
});

test('content ids: reference stem for synthetic sets (TID case unified), image path for authentic sets', async () => {
  await withTmp(async (root) => {
    const s = SNIPPETS.tid2013;
    await fakeLayout(root, s.file, s.text, pathsOf(s.text, true));
    const ds = await loadNamedDataset('tid2013', { root });
    assert.deepEqual(ds.items.map((i) => i.content), ['I01', 'I01', 'I03']);
    assert.deepEqual(ds.items.map((i) => [i.meta.typeId, i.meta.level]), [[1, 1], [24, 5], [10, 2]]);
  });
  await withTmp(async (root) => {
    const s = SNIPPETS.csiq;
    await fakeLayout(root, s.file, s.text, pathsOf(s.text, true));
    const ds = await loadNamedDataset('csiq', { root });
    assert.deepEqual(ds.items.map((i) => [i.content, i.meta.level]), [['1600', 1], ['1600', 4], ['boston', 5]]);
  });
});

test('official label formats: TID mos_with_names.txt, KADID dmos.csv, KonIQ scores csv, FLIVE labels_image.csv', async () => {
  await withTmp(async (root) => {
    const base = join(root, 'TID2013');
    await fakeLayout(base, 'mos_with_names.txt', '5.51429 i01_01_1.bmp\r\n4.05714 i02_08_3.bmp\r\n\r\n', [
      'distorted_images/i01_01_1.bmp',
      'distorted_images/i02_08_3.bmp',
      'reference_images/I01.BMP',
      'reference_images/I02.BMP',
    ]);
    const ds = await loadNamedDataset('tid2013', { root });
    assert.deepEqual(ds.items.map((i) => [i.dist, i.ref, i.score, i.content, i.meta.level]), [
      [join(base, 'distorted_images/i01_01_1.bmp'), join(base, 'reference_images/I01.BMP'), 5.51429, 'I01', 1],
      [join(base, 'distorted_images/i02_08_3.bmp'), join(base, 'reference_images/I02.BMP'), 4.05714, 'I02', 3],
    ]);
  });
  await withTmp(async (root) => {
    const base = join(root, 'kadid10k');
    await fakeLayout(base, 'dmos.csv', 'dist_img,ref_img,dmos,var\nI01_01_01.png,I01.png,4.57,0.496\nI02_03_05.png,I02.png,1.2,0.25\n', [
      'images/I01_01_01.png',
      'images/I01.png',
      'images/I02_03_05.png',
      'images/I02.png',
    ]);
    const ds = await loadNamedDataset('kadid10k', { root });
    assert.equal(ds.items[1].std, 0.5);
    assert.deepEqual([ds.items[1].meta.typeId, ds.items[1].meta.level, ds.items[1].content], [3, 5, 'I02']);
  });
  await withTmp(async (root) => {
    const base = join(root, 'koniq10k');
    const csv = '"image_name","c1","c2","c3","c4","c5","c_total","MOS","SD","MOS_zscore"\n"10004473376.jpg",0,0,25,73,7,105,3.828571,0.527,77.383621\n';
    await fakeLayout(base, 'koniq10k_scores_and_distributions.csv', csv, ['1024x768/10004473376.jpg']);
    const ds = await loadNamedDataset('koniq10k', { root });
    assert.deepEqual([ds.items[0].score, ds.items[0].std, ds.items[0].meta.mosZscore], [3.828571, 0.527, 77.383621]);
  });
  await withTmp(async (root) => {
    const base = join(root, 'FLIVE');
    const csv = 'name,mos,is_valid\nAVA__149.jpg,71.2,False\nvoc_emotic_ava/a.jpg,60.0,True\n';
    await fakeLayout(base, 'labels_image.csv', csv, ['database/AVA__149.jpg', 'database/voc_emotic_ava/a.jpg']);
    const ds = await loadNamedDataset('flive', { root });
    assert.deepEqual(ds.items.map((i) => i.meta.split), ['train', 'val']);
  });
});

test('a malformed label line is an IqaError naming the file and line', async () => {
  await withTmp(async (root) => {
    const file = join(root, 'LIVE.txt');
    await writeFile(file, 'dis_img_path,dis_type,ref_img_path,score\nLIVE/jp2k/img2.bmp,jp2k,LIVE/refimgs/a.bmp,15.5\nLIVE/jp2k/img3.bmp,jp2k,LIVE/refimgs/a.bmp,abc\n');
    await assert.rejects(loadNamedDataset('live', { root, checkFiles: false }), (e: unknown) => {
      assert.ok(e instanceof IqaError);
      assert.equal(e.message, `${file}:3: column 'score': expected a finite number, got 'abc'`);
      return true;
    });
    await writeFile(file, 'dis_img_path,dis_type,ref_img_path,score\nLIVE/jp2k/img2.bmp,jp2k,LIVE/refimgs/a.bmp,15.5\n\nLIVE/jp2k/img3.bmp,jp2k\n');
    await assert.rejects(loadNamedDataset('live', { root, checkFiles: false }), (e: unknown) => {
      assert.ok(e instanceof IqaError);
      assert.equal(e.message, `${file}:4: malformed CSV line: columns length is 4, got 2 on line 4`);
      return true;
    });
    await writeFile(file, 'path,mos\na.png,1\n');
    await assert.rejects(loadNamedDataset('live', { root, checkFiles: false }), { message: `${file}:1: header: expected a LIVE label format, got 'path,mos'` });
  });
  await withTmp(async (root) => {
    const file = join(root, 'TID2013', 'mos_with_names.txt');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '5.1 i01_01_1.bmp\n4.0\n');
    await assert.rejects(loadNamedDataset('tid2013', { root, checkFiles: false }), { message: `${file}:2: line: expected '<score> <image name>', got '4.0'` });
    await writeFile(file, '5.1 i01_01_1.bmp\n4.0 cat.bmp\n');
    await assert.rejects(loadNamedDataset('tid2013', { root, checkFiles: false }), { message: `${file}:2: image name: expected 'iRR_TT_L.bmp', got 'cat.bmp'` });
  });
});

test('a missing image is an IqaError naming the label file, the line and the path', async () => {
  await withTmp(async (root) => {
    const s = SNIPPETS.kadid10k;
    const paths = pathsOf(s.text, true).filter((p) => p !== 'KADID-10k/images/I81.png');
    await fakeLayout(root, s.file, s.text, paths);
    await assert.rejects(loadNamedDataset('kadid10k', { root }), (e: unknown) => {
      assert.ok(e instanceof IqaError);
      assert.equal(e.code, 'E_MISSING');
      assert.equal(e.message, `${join(root, 'KADID-10k.txt')}:4: reference image: expected an existing file, got missing ${join(root, 'KADID-10k/images/I81.png')}`);
      return true;
    });
    // Skipping the check loads the labels anyway.
    assert.equal((await loadNamedDataset('kadid10k', { root, checkFiles: false })).items.length, 3);
  });
  await assert.rejects(loadNamedDataset('bid', { root: '/nonexistent-root' }), /load BID: label file: expected one of \/nonexistent-root\/BID.txt/);
  assert.throws(() => datasetSpec('lieve'), { message: /datasetSpec: dataset name: expected one of live, csiq, .*, got 'lieve'/ });
  assert.equal(datasetSpec('KADID-10k').name, 'KADID-10k');
  assert.equal(datasetSpec('LIVE_Challenge').name, 'LIVEC');
});

test('generic CSV: ref optional, std, split, content and extra columns; paths relative to the CSV', async () => {
  await withTmp(async (root) => {
    const csv = 'ref,dist,score,std,split,type,level\nref/a.png,dist/a_blur_1.png,0.9,0.1,train,blur,1\nref/a.png,dist/a_blur_5.png,0.2,,test,blur,5\n,dist/wild.jpg,0.5,0.05,val,authentic,\n';
    await fakeLayout(root, 'set/labels.csv', csv, ['set/ref/a.png', 'set/dist/a_blur_1.png', 'set/dist/a_blur_5.png', 'set/dist/wild.jpg']);
    const ds = await loadGenericCsv({ file: join(root, 'set/labels.csv') });
    assert.equal(ds.name, 'labels');
    assert.equal(ds.kind, 'synthetic');
    assert.deepEqual(ds.range, [0.2, 0.9]);
    assert.deepEqual(ds.items.map((i) => [i.ref, i.dist, i.std, i.content, i.meta.split, i.meta.type, i.meta.level]), [
      [join(root, 'set/ref/a.png'), join(root, 'set/dist/a_blur_1.png'), 0.1, 'ref/a.png', 'train', 'blur', 1],
      [join(root, 'set/ref/a.png'), join(root, 'set/dist/a_blur_5.png'), undefined, 'ref/a.png', 'test', 'blur', 5],
      [undefined, join(root, 'set/dist/wild.jpg'), 0.05, 'dist/wild.jpg', 'val', 'authentic', ''],
    ]);
    await writeFile(join(root, 'bad.csv'), 'dist,score,split\na.png,1,holdout\n');
    await assert.rejects(loadGenericCsv({ file: join(root, 'bad.csv'), checkFiles: false }), {
      message: `${join(root, 'bad.csv')}:2: column 'split': expected train, val or test, got 'holdout'`,
    });
  });
});

test('normaliseScores maps the nominal range to [0, 1] and flips DMOS', () => {
  const ds = {
    name: 'x',
    kind: 'synthetic' as const,
    scoreDirection: 'lower-better' as const,
    range: [0, 100] as const,
    labelFile: 'x',
    items: [
      { dist: 'a', score: 0, content: 'a', meta: {} },
      { dist: 'b', score: 25, std: 10, content: 'a', meta: {} },
      { dist: 'c', score: 110, content: 'a', meta: {} },
    ],
  };
  const n = normaliseScores(ds);
  assert.equal(n.scoreDirection, 'higher-better');
  assert.deepEqual(n.items.map((i) => i.score), [1, 0.75, -0.1]);
  assert.equal(n.items[1].std, 0.1);
  const same = normaliseScores(ds, { direction: 'lower-better', to: [1, 5] });
  assert.deepEqual(same.items.map((i) => i.score), [1, 2, 5.4]);
});

// The real label files (read from shared data, never copied): counts, directions, parsed levels.
const REAL: [string, number, number][] = [
  ['live', 779, 29],
  ['csiq', 866, 30],
  ['tid2008', 1700, 25],
  ['tid2013', 3000, 25],
  ['kadid10k', 10125, 81],
  ['pipal', 23200, 200],
  ['live-md', 450, 15],
  ['koniq10k', 10073, 10073],
  ['livec', 1161, 1161],
  ['spaq', 11125, 11125],
  ['cid2013', 474, 474],
];

test('real iqa-dataset label files parse completely (shared data)', { skip: needsSharedData }, async () => {
  const root = needsSharedData ? '' : sharedPath('labels', 'iqa-dataset');
  for (const [name, n, contents] of REAL) {
    const spec: DatasetSpec = datasetSpec(name);
    const ds = await loadDataset(spec, { root, checkFiles: false });
    assert.equal(ds.items.length, n, name);
    assert.equal(new Set(ds.items.map((i) => i.content)).size, contents, name);
    for (const it of ds.items) assert.ok(Number.isFinite(it.score));
  }
  const kadid = await loadNamedDataset('kadid10k', { root, checkFiles: false });
  const levels = new Set(kadid.items.map((i) => `${i.meta.typeId}/${i.meta.level}`));
  assert.equal(levels.size, 125);
  const tid = await loadNamedDataset('tid2013', { root, checkFiles: false });
  assert.equal(new Set(tid.items.map((i) => i.meta.typeId)).size, 24);
  assert.equal((await loadNamedDataset('live', { root, checkFiles: false })).scoreDirection, 'lower-better');
});
