/** Access to ../shared/data/calibration/reference_values.json (golden values with provenance and tolerance). */
import { readFileSync } from 'node:fs';
import { sharedPath } from './shared-data.js';

export interface TidEntry {
  metric: string;
  reference_values: Record<string, number>;
  tolerance_used_by_source?: string;
  conventions?: string;
  computed_by?: string;
}
export interface PiqEntry {
  metric: string;
  value: number;
  conventions?: string;
  tolerance_used_by_source?: string;
  [k: string]: unknown;
}

export const TID_PAIRS = ['I03', 'I04', 'I06', 'I08', 'I19'] as const;

export function loadCalibration() {
  const raw = JSON.parse(readFileSync(sharedPath('calibration/reference_values.json'), 'utf8')) as {
    metrics_tid2013_resultscalibra: TidEntry[];
    metrics_tid2013_resultscalibra_2022_ycbcr_era: TidEntry[];
    metrics_piq: PiqEntry[];
    metrics_basicsr: unknown;
  };
  return {
    raw,
    /** The current official entry for a metric on the 5 TID pairs. */
    tid: (metric: string) => raw.metrics_tid2013_resultscalibra.find((e) => e.metric === metric),
    tid2022: (metric: string) => raw.metrics_tid2013_resultscalibra_2022_ycbcr_era.find((e) => e.metric === metric),
    piq: (metric: string) => raw.metrics_piq.filter((e) => e.metric === metric),
  };
}

/** Paths of a TID calibration pair: [distorted, reference]. */
export function tidPair(name: string): [string, string] {
  return [
    sharedPath(`calibration/tid2013_resultscalibra/dist_dir/${name}.bmp`),
    sharedPath(`calibration/tid2013_resultscalibra/ref_dir/${name}.bmp`),
  ];
}
