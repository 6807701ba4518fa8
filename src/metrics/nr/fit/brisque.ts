/**
 * Trains a BRISQUE regressor as the official release does (Mittal et al. 2012): the 36 features of every training
 * image, svm-scale to [-1, 1] with the training set's per-feature min/max (`svm-scale -l -1 -u 1 -s range`), then
 * a libsvm epsilon-SVR with the RBF kernel (defaults: the LIVE model's gamma 0.05, C 1024, epsilon p 0.1).
 * Training uses libsvm-js (the reference libsvm C code compiled to WebAssembly; no SVR solver of our own, so the
 * model is what libsvm itself produces), loaded lazily so scoring never pulls it in.
 * The result scores with `brisque()` and saves with `serializeBrisqueModel`.
 */
import type { Image } from '../../../tensor/image.js';
import { IqaError } from '../../../tensor/errors.js';
import { brisqueFeatures, brisqueGrey, svmScale, type BrisqueModel } from '../brisque.js';
import { parseLibsvmModel } from '../brisque-format.js';

export interface BrisqueTrainItem {
  image: Image;
  /** Target score (same direction as the model should predict, e.g. DMOS: lower = better). */
  score: number;
}

export interface FitBrisqueOptions {
  items: Iterable<BrisqueTrainItem> | AsyncIterable<BrisqueTrainItem>;
  gamma?: number;
  cost?: number;
  epsilon?: number;
  /** Emulate the official text round trip of features (see `brisque`); default true. */
  quantize?: boolean;
  onItem?: (index: number) => void;
}

export interface FitBrisqueResult {
  model: BrisqueModel;
  items: number;
  /** Training-set predictions by libsvm from the saved model (same order as the items). */
  trainPredictions: number[];
}

export async function fitBrisque(opts: FitBrisqueOptions): Promise<FitBrisqueResult> {
  const feats: Float64Array[] = [], y: number[] = [];
  for await (const it of opts.items) {
    if (!Number.isFinite(it.score)) throw new IqaError(`fitBrisque: item ${feats.length} score: expected a finite number, got ${it.score}`, 'E_ARG');
    feats.push(brisqueFeatures(brisqueGrey(it.image)));
    y.push(it.score);
    opts.onItem?.(feats.length - 1);
  }
  if (feats.length < 2) throw new IqaError(`fitBrisque: items: expected at least 2 scored images, got ${feats.length}`, 'E_ARG');
  const quantize = opts.quantize ?? true;
  const d = 36, min = new Float64Array(d).fill(Infinity), max = new Float64Array(d).fill(-Infinity);
  for (const f of feats) for (let j = 0; j < d; j++) {
    const v = quantize ? Number(f[j].toFixed(6)) : f[j];
    min[j] = Math.min(min[j], v);
    max[j] = Math.max(max[j], v);
  }
  const scale = { lower: -1, upper: 1, min, max };
  const x = feats.map((f) => Array.from(svmScale(f, scale, quantize)));
  const SVM = await (await import('libsvm-js')).default;
  const gamma = opts.gamma ?? 0.05;
  const svm = new SVM({
    type: SVM.SVM_TYPES.EPSILON_SVR,
    kernel: SVM.KERNEL_TYPES.RBF,
    gamma,
    cost: opts.cost ?? 1024,
    epsilon: opts.epsilon ?? 0.1,
    quiet: true,
  });
  try {
    svm.train(x, y);
    // the saved libsvm model is the model (as svm-train writes it for svm-predict: rho and SVs at printed precision)
    const text = svm.serializeModel();
    const svr = parseLibsvmModel(text, d, 'fitBrisque');
    const model: BrisqueModel = { svr, scale, source: `fitBrisque: ${feats.length} images, gamma ${gamma}` };
    const saved = SVM.load(text);
    try {
      return { model, items: feats.length, trainPredictions: x.map((r) => saved.predictOne(r)) };
    } finally {
      saved.free();
    }
  } finally {
    svm.free();
  }
}
