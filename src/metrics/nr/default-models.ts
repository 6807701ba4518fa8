/**
 * The toolkit's own default models, fitted by the toolkit on the shared pristine photos (tools/fit-default-models.ts)
 * and shipped in models/ so NIQE and IL-NIQE work with no download. Imported as JSON modules (bundlers inline them).
 */
import niqeJson from '../../../models/niqe_toolkit.json' with { type: 'json' };
import ilniqeJson from '../../../models/ilniqe_toolkit.json' with { type: 'json' };
import brisqueJson from '../../../models/brisque_toolkit.json' with { type: 'json' };
import type { BrisqueModel } from './brisque.js';
import { brisqueFromJson } from './brisque-format.js';
import type { MvgModel } from './niqe.js';
import type { IlNiqeModel } from './il-niqe.js';
import { parseIlNiqeModel, parseMvgModel } from './model-format.js';

let niqeModel: MvgModel | null = null;

/** The default NIQE pristine model (models/niqe_toolkit.json). */
export function defaultNiqeModel(): MvgModel {
  niqeModel ??= parseMvgModel(niqeJson, 'models/niqe_toolkit.json');
  return niqeModel;
}

/** The default IL-NIQE template model (models/ilniqe_toolkit.json). */
let ilniqeModel: IlNiqeModel | null = null;

export function defaultIlNiqeModel(): IlNiqeModel {
  ilniqeModel ??= parseIlNiqeModel(ilniqeJson, 'models/ilniqe_toolkit.json');
  return ilniqeModel;
}

/**
 * The default BRISQUE SVR (models/brisque_toolkit.json): trained by `iqa fit brisque` on the toolkit's synthetic
 * KADID-style distortions of the shared pristine photos, with the pseudo-DMOS (5 - KADID MOS per type and level)*25.
 * Not the LIVE model: scores are on that 0 (pristine) .. 100 scale; the official LIVE models load by `modelPath`.
 */
let brisqueModel: BrisqueModel | null = null;

export function defaultBrisqueModel(): BrisqueModel {
  brisqueModel ??= brisqueFromJson(brisqueJson as Record<string, unknown>, 'models/brisque_toolkit.json');
  return brisqueModel;
}
