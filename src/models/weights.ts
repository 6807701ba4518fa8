/**
 * Weight import: torchvision / timm state dicts saved as safetensors, loaded into our modules by name.
 * PyTorch `.pth` files are zip archives of pickles; no maintained npm reader exists, so convert once with
 *   python -c "import torch; from safetensors.torch import save_file; save_file(torch.load('x.pth', map_location='cpu'), 'x.safetensors')"
 * (for checkpoints that wrap the state dict, e.g. Swin's {'model': ...}, pass `torch.load(...)['model']`).
 * Weights are never downloaded: a missing file is an IqaError naming the file expected.
 */
import type { NdArray } from '../tensor/ndarray.js';
import { IqaError, expected } from '../tensor/errors.js';
import { parseSafetensors, readSafetensorsFile } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import type { Rng } from '../engine/rng.js';
import { createBackbone, type Backbone, type BackboneName } from './backbones/index.js';

/** Keys that are not parameters of our modules (recomputed constants, counters, classifier heads we do not build). */
const IGNORED = [/(^|\.)num_batches_tracked$/, /(^|\.)relative_position_index$/, /(^|\.)attn_mask$/, /^__.*__$/];
const HEADS = [/^fc\./, /^head\./, /^head$/, /^classifier\./];

/** Strips wrapper prefixes (`module.` from DataParallel, `backbone.` from mmdet, `model.`). */
function stripPrefixes(keys: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const k of keys) m.set(k.replace(/^(module\.|backbone\.|model\.)+/, ''), k);
  return m;
}

/**
 * Original Microsoft Swin / mmdet layout -> timm >= 0.9 layout: PatchMerging moves from the end of stage i
 * (`layers.i.downsample`) to the start of stage i+1; the classifier `head` becomes `head.fc`.
 */
export function swinKeyMap(key: string, all: ReadonlySet<string>): string {
  const old = all.has('layers.0.downsample.reduction.weight');
  const m = /^layers\.(\d+)\.downsample\.(.*)$/.exec(key);
  if (old && m) return `layers.${Number(m[1]) + 1}.downsample.${m[2]}`;
  if (key === 'head.weight' || key === 'head.bias') return key.replace('head.', 'head.fc.');
  return key;
}

export interface LoadOptions {
  /** Renames a checkpoint key to ours (after prefix stripping); `all` is the set of checkpoint keys. */
  keyMap?: (key: string, all: ReadonlySet<string>) => string;
  /** Missing parameters are errors (default true). Unexpected keys are errors unless `ignoreUnexpected`. */
  strict?: boolean;
  /** Ignore checkpoint keys with no counterpart (e.g. classifier heads). Default: heads only. */
  ignoreUnexpected?: boolean | readonly RegExp[];
}

/**
 * Loads a state dict (name -> array) into `module`. Checks every shape; reports all missing and unexpected keys.
 * @example loadState(resnet50({ numClasses: 0 }), (await readSafetensorsFile('resnet50.safetensors')).tensors)
 */
export function loadState(module: Module, state: Readonly<Record<string, NdArray>>, opts: LoadOptions = {}, label = 'state dict'): void {
  const own = new Map(module.namedTensors());
  const byKey = stripPrefixes(Object.keys(state));
  const all = new Set(byKey.keys());
  const ignore = opts.ignoreUnexpected === true ? [/.*/] : [...IGNORED, ...(opts.ignoreUnexpected || HEADS)];
  const found = new Set<string>();
  const unexpected: string[] = [];
  for (const [k, orig] of byKey) {
    const name = opts.keyMap ? opts.keyMap(k, all) : k;
    const p = own.get(name);
    if (!p) {
      if (!IGNORED.some((r) => r.test(k)) && !ignore.some((r) => r.test(k))) unexpected.push(orig);
      continue;
    }
    const v = state[orig];
    if (v.dtype !== 'float32' && v.dtype !== 'float64') throw expected(`loadState(${label})`, `'${orig}' dtype`, 'floating point', v.dtype, 'E_WEIGHTS');
    if (v.data.length !== p.value.data.length) {
      throw expected(`loadState(${label})`, `'${orig}' shape`, `[${p.shape.join(', ')}]`, `[${v.shape.join(', ')}] (wrong model size or variant?)`, 'E_WEIGHTS');
    }
    p.value = { dtype: 'float32', shape: p.shape, data: v.data instanceof Float32Array ? v.data : Float32Array.from(v.data as Float64Array) };
    found.add(name);
  }
  const missing = [...own.keys()].filter((k) => !found.has(k));
  if ((opts.strict ?? true) && missing.length) {
    throw new IqaError(`loadState(${label}): parameters: expected all ${own.size} present, got ${missing.length} missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`, 'E_WEIGHTS');
  }
  if (unexpected.length) {
    throw new IqaError(`loadState(${label}): keys: expected only parameters of this model, got ${unexpected.length} unexpected: ${unexpected.slice(0, 8).join(', ')}${unexpected.length > 8 ? ', ...' : ''}`, 'E_WEIGHTS');
  }
}

/** Per-backbone key maps (where torchvision / timm / original checkpoints differ from our names). */
const KEY_MAPS: Partial<Record<BackboneName, LoadOptions['keyMap']>> = {
  swin_tiny_patch4_window7_224: swinKeyMap,
};

/**
 * Builds a backbone by torchvision/timm name and loads a safetensors state dict (path or bytes) in one call.
 * The classifier head in the file is ignored; everything else must match by name and shape.
 * @example
 * const net = await loadBackbone('resnet50', 'weights/resnet50.safetensors');
 * const net = await loadBackbone('swin_tiny_patch4_window7_224', 'weights/swin_tiny_patch4_window7_224.safetensors');
 */
export async function loadBackbone(name: BackboneName | string, weights: string | Uint8Array, opts: LoadOptions & { build?: () => Backbone; rng?: Rng } = {}): Promise<Backbone> {
  const net = opts.build ? opts.build() : createBackbone(name, opts.rng);
  const label = typeof weights === 'string' ? weights : `${name} weights`;
  const file = typeof weights === 'string' ? await readSafetensorsFile(weights, `${name} weights`) : parseSafetensors(weights, label);
  loadState(net, file.tensors, { keyMap: KEY_MAPS[name as BackboneName], ...opts }, label);
  return net.eval();
}

/** Reads a `{ shape, data }` JSON array (the shared params/ format) as float32. */
export function jsonArray(v: unknown, where: string): NdArray<'float32'> {
  const o = v as { shape?: number[]; data?: number[] };
  if (!o || !Array.isArray(o.shape) || !Array.isArray(o.data)) throw expected(where, 'array', '{ shape, data }', typeof v, 'E_FORMAT');
  return { dtype: 'float32', shape: o.shape, data: Float32Array.from(o.data) };
}
