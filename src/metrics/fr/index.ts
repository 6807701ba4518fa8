/** Every full-reference classic metric, as registry entries. One file per metric beside this one. */
import type { MetricEntry } from '../types.js';
import { psnrEntries } from './psnr.js';
// phase/saliency/Haar section imports
import { fsimEntries } from './fsim.js';
import { vsiEntries } from './vsi.js';
import { srSimEntries } from './sr-sim.js';
import { haarpsiEntries } from './haarpsi.js';
import { mdsiEntries } from './mdsi.js';
import { dssEntries } from './dss.js';

export const FR_METRICS: readonly MetricEntry[] = [
  ...psnrEntries,
  // --- SSIM family, gradients (ssim.ts, ms-ssim.ts, cw-ssim.ts, iw-ssim.ts, gmsd.ts, ms-gmsd.ts)

  // --- phase/saliency/Haar (fsim.ts, vsi.ts, sr-sim.ts, haarpsi.ts, mdsi.ts, dss.ts)
  ...fsimEntries,
  ...vsiEntries,
  ...srSimEntries,
  ...haarpsiEntries,
  ...mdsiEntries,
  ...dssEntries,

  // --- information/perceptual (vif.ts, vifp.ts, nlpd.ts, mad.ts)

];
