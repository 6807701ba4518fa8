/**
 * The one loading routine behind every dataset: find the label file, pick the parser that recognises it,
 * resolve paths, check that the images exist, and return a `Dataset`. Errors name the label file and line.
 */
import type { TextFs } from '../../io/files.js';
import { expected, IqaError } from '../../tensor/errors.js';
import { labelError } from './label-file.js';
import type { Dataset, DatasetItem, DatasetSpec, LoadOptions, RawItem, ScoreDirection } from './types.js';

/** Joins path parts with '/', keeping an absolute first part (platform-neutral; Node accepts '/' on Windows). */
export function joinPath(...parts: string[]): string {
  // an absolute part (POSIX '/x' or Windows 'C:\\x') discards what came before it, as path.join-then-resolve would
  let start = 0;
  parts.forEach((p, i) => {
    if (i > 0 && /^([\\/]|[A-Za-z]:[\\/])/.test(p)) start = i;
  });
  const out = parts
    .slice(start)
    .filter((p) => p !== '')
    .map((p, i) => (i === 0 ? p.replace(/(.)[\\/]+$/, '$1') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .join('/');
  return out === '' ? '.' : out;
}

export function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

async function defaultFs(): Promise<TextFs> {
  // Lazy so that this module can be bundled for the browser with a caller-supplied fs.
  const m = await import('../../io/files.js');
  return m.nodeFs;
}

/** Loads a dataset described by `spec` from `opts.root`. */
export async function loadDataset(spec: DatasetSpec, opts: LoadOptions): Promise<Dataset> {
  const fs = opts.fs ?? (await defaultFs());
  let labelFile = opts.labels;
  if (labelFile === undefined) {
    for (const c of spec.labelFiles) {
      const p = joinPath(opts.root, c);
      if (await fs.exists(p)) {
        labelFile = p;
        break;
      }
    }
    if (labelFile === undefined) {
      throw expected(`load ${spec.name}`, 'label file', `one of ${spec.labelFiles.map((c) => joinPath(opts.root, c)).join(', ')}`, 'none found', 'E_READ');
    }
  }
  const text = await fs.readText(labelFile);
  let parsed: ReturnType<DatasetSpec['parsers'][number]> = null;
  for (const p of spec.parsers) {
    parsed = p(text, labelFile);
    if (parsed !== null) break;
  }
  if (parsed === null) {
    const head = text.split(/\r?\n/, 1)[0] ?? '';
    throw labelError(labelFile, 1, 'header', `a ${spec.name} label format`, `'${head.slice(0, 120)}'`);
  }
  if (parsed.items.length === 0) throw labelError(labelFile, 1, 'label rows', 'at least one', 'none');
  const base = parsed.base === 'root' ? opts.root : dirOf(labelFile);
  const items = parsed.items.map((r) => resolveItem(r, base));
  if (opts.checkFiles ?? true) await checkImages(fs, labelFile, parsed.items, items);
  return { name: spec.name, kind: spec.kind, scoreDirection: spec.scoreDirection, range: spec.range, labelFile, items };
}

function resolveItem(r: RawItem, base: string): DatasetItem {
  const meta = { ...r.meta, line: r.line };
  const item: { -readonly [K in keyof DatasetItem]: DatasetItem[K] } = {
    dist: joinPath(base, r.dist),
    score: r.score,
    content: r.content,
    meta,
  };
  if (r.ref !== undefined) item.ref = joinPath(base, r.ref);
  if (r.std !== undefined) item.std = r.std;
  return item;
}

/** Every referenced image must exist; the first missing one is reported with its label line. */
async function checkImages(fs: TextFs, file: string, raw: readonly RawItem[], items: readonly DatasetItem[]): Promise<void> {
  const seen = new Map<string, boolean>();
  const exists = async (p: string): Promise<boolean> => {
    let v = seen.get(p);
    if (v === undefined) {
      v = await fs.exists(p);
      seen.set(p, v);
    }
    return v;
  };
  const chunk = 256;
  for (let s = 0; s < items.length; s += chunk) {
    const part = items.slice(s, s + chunk);
    const ok = await Promise.all(part.map(async (it) => [await exists(it.dist), it.ref === undefined || (await exists(it.ref))] as const));
    for (let i = 0; i < part.length; i++) {
      const [d, r] = ok[i];
      if (!d || !r) {
        const path = !d ? part[i].dist : (part[i].ref as string);
        throw new IqaError(`${file}:${raw[s + i].line}: ${!d ? 'image' : 'reference image'}: expected an existing file, got missing ${path}`, 'E_MISSING');
      }
    }
  }
}

export interface NormaliseOptions {
  /** Target scale (default [0, 1]). */
  to?: readonly [number, number];
  /** Direction of the result (default 'higher-better': DMOS is flipped). */
  direction?: ScoreDirection;
}

/**
 * Maps scores linearly from the dataset's nominal range onto `to`, flipping DMOS when a higher-better result is asked
 * for: `s' = lo' + (hi' - lo') * (s - lo) / (hi - lo)`, or with `(hi - s)` when flipped. Not clipped (LIVE's
 * realigned DMOS overshoots its nominal 0-100). `std` is scaled by the same factor.
 */
export function normaliseScores(ds: Dataset, opts: NormaliseOptions = {}): Dataset {
  const [lo, hi] = ds.range;
  const [a, b] = opts.to ?? [0, 1];
  const direction = opts.direction ?? 'higher-better';
  const flip = direction !== ds.scoreDirection;
  const k = (b - a) / (hi - lo);
  const items = ds.items.map((it): DatasetItem => {
    const score = a + k * (flip ? hi - it.score : it.score - lo);
    return it.std === undefined ? { ...it, score } : { ...it, score, std: it.std * Math.abs(k) };
  });
  return { ...ds, items, scoreDirection: direction, range: [a, b] };
}
