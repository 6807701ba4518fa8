/**
 * Parsers for BRISQUE regressors (pure: no file access): OpenCV `ml::SVM` YAML and its range YAML, libsvm text
 * models and svm-scale range files, the shared plain-JSON conversions, and the toolkit's own JSON
 * (`{format: 'iqa-brisque'}`, written by `serializeBrisqueModel`).
 */
import { IqaError } from '../../tensor/errors.js';
import type { BrisqueModel, SvrModel } from './brisque.js';


function numbersIn(s: string): number[] {
  const m = s.match(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g);
  return m ? m.map(Number) : [];
}

export function fail(where: string, what: string): never {
  throw new IqaError(`${where}: ${what}`, 'E_FORMAT');
}

/** OpenCV `ml::SVM` YAML (EPS_SVR, RBF) -> SVR. */
export function parseOpenCvSvm(text: string, where = 'parseOpenCvSvm'): SvrModel {
  if (!/svmType:\s*EPS_SVR/.test(text)) fail(where, 'svmType: expected EPS_SVR');
  if (!/type:\s*RBF/.test(text)) fail(where, 'kernel type: expected RBF');
  const gamma = Number(/gamma:\s*([-+0-9.eE]+)/.exec(text)?.[1]);
  const d = Number(/var_count:\s*(\d+)/.exec(text)?.[1]);
  const total = Number(/sv_total:\s*(\d+)/.exec(text)?.[1]);
  const svStart = text.indexOf('support_vectors:'), dfStart = text.indexOf('decision_functions:');
  if (svStart < 0 || dfStart < 0) fail(where, 'expected support_vectors and decision_functions sections');
  const sv = numbersIn(text.slice(svStart + 'support_vectors:'.length, dfStart));
  const df = text.slice(dfStart);
  const rho = Number(/rho:\s*([-+0-9.eE]+)/.exec(df)?.[1]);
  const alphaM = /alpha:\s*\[([^\]]*)\]/.exec(df);
  if (!alphaM) fail(where, 'decision function: expected alpha');
  const alpha = numbersIn(alphaM[1]);
  const idxM = /index:\s*\[([^\]]*)\]/.exec(df);
  const n = alpha.length;
  if (sv.length !== total * d) fail(where, `support vectors: expected ${total}x${d} numbers, got ${sv.length}`);
  const svm = new Float64Array(n * d);
  const index = idxM ? numbersIn(idxM[1]) : [...Array(n).keys()];
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) svm[i * d + j] = sv[index[i] * d + j];
  if (!(gamma > 0) || !Number.isFinite(rho)) fail(where, `gamma/rho: expected numbers, got ${gamma}/${rho}`);
  return { gamma, rho, d, n, sv: svm, coef: Float64Array.from(alpha) };
}

/** OpenCV range YAML (`range: !!opencv-matrix rows 2, cols d`: row 0 min, row 1 max). */
export function parseOpenCvRange(text: string, where = 'parseOpenCvRange'): { min: Float64Array; max: Float64Array } {
  const cols = Number(/cols:\s*(\d+)/.exec(text)?.[1]);
  const m = /data:\s*\[([^\]]*)\]/.exec(text);
  if (!m || !(cols > 0)) fail(where, 'expected an opencv-matrix with rows 2');
  const v = numbersIn(m[1]);
  if (v.length !== 2 * cols) fail(where, `data: expected ${2 * cols} numbers, got ${v.length}`);
  return { min: Float64Array.from(v.slice(0, cols)), max: Float64Array.from(v.slice(cols)) };
}

/** libsvm text model (epsilon_svr, rbf). Feature indices are 1-based; missing ones are 0. */
export function parseLibsvmModel(text: string, d: number, where = 'parseLibsvmModel'): SvrModel {
  const lines = text.split(/\r?\n/);
  const header: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length && lines[i].trim() !== 'SV'; i++) {
    const [k, ...rest] = lines[i].trim().split(/\s+/);
    if (k) header[k] = rest.join(' ');
  }
  if (i >= lines.length) fail(where, "expected an 'SV' line");
  if (header.svm_type !== 'epsilon_svr' && header.svm_type !== 'nu_svr') fail(where, `svm_type: expected epsilon_svr or nu_svr, got ${header.svm_type}`);
  if (header.kernel_type !== 'rbf') fail(where, `kernel_type: expected rbf, got ${header.kernel_type}`);
  const coef: number[] = [], sv: number[] = [];
  for (i++; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t) continue;
    const parts = t.split(/\s+/);
    coef.push(Number(parts[0]));
    const row = new Array<number>(d).fill(0);
    for (let k = 1; k < parts.length; k++) {
      const [idx, val] = parts[k].split(':');
      const j = Number(idx) - 1;
      if (j >= 0 && j < d) row[j] = Number(val);
    }
    sv.push(...row);
  }
  return { gamma: Number(header.gamma), rho: Number(header.rho), d, n: coef.length, sv: Float64Array.from(sv), coef: Float64Array.from(coef) };
}

/** svm-scale range file: 'x', 'lower upper', then 'index min max' per feature. */
export function parseSvmScaleRange(text: string, d: number, where = 'parseSvmScaleRange'): BrisqueModel['scale'] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== 'x') fail(where, "expected an svm-scale range file starting with 'x'");
  const [lower, upper] = numbersIn(lines[1]);
  const min = new Float64Array(d), max = new Float64Array(d);
  for (const l of lines.slice(2)) {
    const [k, lo, hi] = numbersIn(l);
    if (k >= 1 && k <= d) { min[k - 1] = lo; max[k - 1] = hi; }
  }
  return { lower, upper, min, max };
}

export function arr(x: unknown): number[] | undefined {
  if (Array.isArray(x)) return x as number[];
  if (x && typeof x === 'object' && Array.isArray((x as { data?: unknown }).data)) return (x as { data: number[] }).data;
  return undefined;
}

export function brisqueFromJson(j: Record<string, unknown>, where: string): BrisqueModel {
  const d = 36;
  if (j.format === 'iqa-brisque') {
    const s = j.scale as { lower: number; upper: number; min: number[]; max: number[] };
    const svr = j.svr as { gamma: number; rho: number; sv: number[]; coef: number[] };
    return {
      svr: { gamma: svr.gamma, rho: svr.rho, d, n: svr.coef.length, sv: Float64Array.from(svr.sv), coef: Float64Array.from(svr.coef) },
      scale: { lower: s.lower, upper: s.upper, min: Float64Array.from(s.min), max: Float64Array.from(s.max) },
      source: String(j.source ?? where),
    };
  }
  const sv = arr(j.support_vectors), rangeFlat = arr(j.feature_range);
  if (sv && rangeFlat && arr(j.alpha)) { // shared OpenCV conversion
    const alpha = arr(j.alpha)!;
    return {
      svr: { gamma: Number(j.gamma), rho: Number(j.rho), d, n: alpha.length, sv: Float64Array.from(sv), coef: Float64Array.from(alpha) },
      scale: { lower: -1, upper: 1, min: Float64Array.from(rangeFlat.slice(0, d)), max: Float64Array.from(rangeFlat.slice(d)) },
      source: where,
    };
  }
  const norm = j.normalize as { min_?: number[]; max_?: number[] } | undefined;
  if (sv && arr(j.sv_coef) && norm?.min_ && norm.max_) { // shared imquality conversion
    const h = j.header as { gamma: number; rho: number };
    const coef = arr(j.sv_coef)!;
    return {
      svr: { gamma: Number(h.gamma), rho: Number(h.rho), d, n: coef.length, sv: Float64Array.from(sv), coef: Float64Array.from(coef) },
      scale: { lower: -1, upper: 1, min: Float64Array.from(norm.min_), max: Float64Array.from(norm.max_) },
      source: where,
    };
  }
  return fail(where, 'expected a BRISQUE model JSON (toolkit format, or the OpenCV/imquality conversions)');
}

/** Writes a BRISQUE model as the toolkit's JSON. */
export function serializeBrisqueModel(m: BrisqueModel, meta: { source: string; [k: string]: unknown }): string {
  return JSON.stringify({
    format: 'iqa-brisque',
    version: 1,
    ...meta,
    scale: { lower: m.scale.lower, upper: m.scale.upper, min: Array.from(m.scale.min), max: Array.from(m.scale.max) },
    svr: { gamma: m.svr.gamma, rho: m.svr.rho, coef: Array.from(m.svr.coef), sv: Array.from(m.svr.sv) },
  });
}
