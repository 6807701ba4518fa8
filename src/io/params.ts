/**
 * Loaders for the learned parameter files of the classic NR metrics, read from a path (nothing is ever
 * downloaded). Formats:
 * - NIQE / IL-NIQE pristine MVG: the plain JSON conversion of the LIVE model (`{mu: {shape, data}, cov: {...}}`,
 *   shared params/niqe/niqe_params.json) or the toolkit's own model JSON (`{format: 'iqa-mvg', ...}`, models/);
 * - BRISQUE SVR: OpenCV `ml::SVM` YAML (+ its `brisque_range_*.yml` feature range), libsvm text model (+ an
 *   svm-scale range file or a JSON `{min_, max_}`), or the plain JSON conversions of either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readImage } from './decode.js';
import type { Image } from '../tensor/image.js';
import { basename, dirname, extname, join } from 'node:path';
import { IqaError } from '../tensor/errors.js';
import type { MvgModel } from '../metrics/nr/niqe.js';
import type { BrisqueModel } from '../metrics/nr/brisque.js';
import { arr, brisqueFromJson, fail, parseLibsvmModel, parseOpenCvRange, parseOpenCvSvm, parseSvmScaleRange } from '../metrics/nr/brisque-format.js';
import type { IlNiqeModel } from '../metrics/nr/il-niqe.js';
import { parseMvgModel, parseIlNiqeModel } from '../metrics/nr/model-format.js';

function readText(where: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new IqaError(`${where}: ${path}: cannot read file: ${(e as Error).message}`, 'E_READ', { cause: e });
  }
}

function readJson(where: string, path: string): unknown {
  const t = readText(where, path);
  try {
    return JSON.parse(t);
  } catch (e) {
    throw new IqaError(`${where}: ${path}: expected JSON, got a parse error: ${(e as Error).message}`, 'E_FORMAT', { cause: e });
  }
}

/** Loads a NIQE pristine model (36-d MVG) from a JSON file. */
export function loadNiqeModel(path: string): MvgModel {
  return parseMvgModel(readJson('loadNiqeModel', path), `loadNiqeModel: ${path}`);
}

/** Loads an IL-NIQE template model (the toolkit's JSON format, written by `fitIlNiqe` / `iqa fit il-niqe`). */
export function loadIlNiqeModel(path: string): IlNiqeModel {
  return parseIlNiqeModel(readJson('loadIlNiqeModel', path), `loadIlNiqeModel: ${path}`);
}

export interface LoadBrisqueOptions {
  /** Feature range file: OpenCV range YAML, svm-scale range file, or JSON `{min_, max_}` / `{min, max}`.
   *  Default for an OpenCV model `brisque_model_X.yml`: `brisque_range_X.yml` beside it. */
  range?: string;
}

/** Loads a BRISQUE regressor (SVR + feature scaling) from a path; see the module comment for the formats. */
export function loadBrisqueModel(path: string, opts: LoadBrisqueOptions = {}): BrisqueModel {
  const where = `loadBrisqueModel: ${path}`;
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return brisqueFromJson(readJson('loadBrisqueModel', path) as Record<string, unknown>, where);
  const text = readText('loadBrisqueModel', path);
  const isYml = ext === '.yml' || ext === '.yaml' || text.startsWith('%YAML');
  const svr = isYml ? parseOpenCvSvm(text, where) : parseLibsvmModel(text, 36, where);
  let rangePath = opts.range;
  if (!rangePath && isYml) rangePath = join(dirname(path), basename(path).replace('model', 'range'));
  if (!rangePath) fail(where, 'a feature range file is required for a libsvm model (option range)');
  const rt = readText('loadBrisqueModel', rangePath);
  let scale: BrisqueModel['scale'];
  if (rt.trimStart().startsWith('{')) {
    const j = JSON.parse(rt) as Record<string, unknown>;
    const mn = arr(j.min_) ?? arr(j.min) ?? arr((j.normalize as Record<string, unknown> | undefined)?.min_);
    const mx = arr(j.max_) ?? arr(j.max) ?? arr((j.normalize as Record<string, unknown> | undefined)?.max_);
    if (!mn || !mx) fail(`loadBrisqueModel: ${rangePath}`, 'expected JSON with min_ and max_');
    scale = { lower: -1, upper: 1, min: Float64Array.from(mn), max: Float64Array.from(mx) };
  } else if (rt.includes('opencv-matrix')) {
    scale = { lower: -1, upper: 1, ...parseOpenCvRange(rt, `loadBrisqueModel: ${rangePath}`) };
  } else {
    scale = parseSvmScaleRange(rt, 36, `loadBrisqueModel: ${rangePath}`);
  }
  return { svr, scale, source: path };
}

// ---------------------------------------------------------------- folders of images (for fitting)

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.gif', '.avif']);

/** Image files under `dir` (recursive), sorted by path so fits are deterministic. */
export function listImageFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (IMAGE_EXT.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  try {
    walk(dir);
  } catch (e) {
    throw new IqaError(`listImageFiles: ${dir}: cannot read folder: ${(e as Error).message}`, 'E_READ', { cause: e });
  }
  return out.sort();
}

/** Decodes the images of a folder one at a time (for `fitNiqe({ images })` etc.). */
export async function* imagesInDir(dir: string, onFile?: (path: string, index: number, total: number) => void): AsyncGenerator<Image> {
  const files = listImageFiles(dir);
  if (files.length === 0) throw new IqaError(`imagesInDir: ${dir}: expected image files, got none`, 'E_ARG');
  for (let i = 0; i < files.length; i++) {
    onFile?.(files[i], i, files.length);
    yield await readImage(files[i]);
  }
}

// ---------------------------------------------------------------- option resolution for createMetric / the CLI

/**
 * Turns path options into loaded models for the NR metrics that take one, so `createMetric('niqe', { modelPath })`
 * and `iqa score --options '{"brisque": {"modelPath": "...", "rangePath": "..."}}'` work:
 * niqe / ilniqe: `modelPath` -> `model`; brisque: `modelPath` (+ optional `rangePath`) -> `model`.
 * Other metrics and options pass through unchanged.
 */
export function resolveNrModelOptions(metric: string, options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { modelPath, rangePath, ...rest } = options as { modelPath?: unknown; rangePath?: unknown; [k: string]: unknown };
  if (typeof modelPath !== 'string') return { ...options };
  const name = metric.toLowerCase().replace(/-/g, '_');
  if (name === 'niqe') return { ...rest, model: loadNiqeModel(modelPath) };
  if (name === 'ilniqe' || name === 'il_niqe') return { ...rest, model: loadIlNiqeModel(modelPath) };
  if (name === 'brisque') return { ...rest, model: loadBrisqueModel(modelPath, typeof rangePath === 'string' ? { range: rangePath } : {}) };
  return { ...options };
}

// --- generic readers for learned-model files (JSON parameters, ONNX/safetensors bytes)

async function read(path: string, what: string, where: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IqaError(`${where}: ${what}: expected a file at '${path}', got ${code === 'ENOENT' ? 'no such file' : (e as Error).message} (nothing is ever downloaded)`, 'E_WEIGHTS', { cause: e });
  }
}

/** Parses a JSON file. */
export async function readJsonFile(path: string, what = 'parameter file'): Promise<unknown> {
  const b = await read(path, what, 'readJsonFile');
  try {
    return JSON.parse(b.toString('utf8')) as unknown;
  } catch (e) {
    throw new IqaError(`readJsonFile: ${what} '${path}': expected JSON, got unparsable text`, 'E_FORMAT', { cause: e });
  }
}

/** Reads a whole file as bytes (ONNX models, safetensors). */
export async function readBytesFile(path: string, what = 'model file'): Promise<Uint8Array> {
  return new Uint8Array(await read(path, what, 'readBytesFile'));
}
