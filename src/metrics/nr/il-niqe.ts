/** IL-NIQE (placeholder types; implementation below). */
export interface IlNiqeModel {
  readonly featDim: number;
  readonly k: number;
  readonly meanOfSampleData: Float64Array;
  /** featDim x k, row-major. */
  readonly principleVectors: Float64Array;
  readonly mu: Float64Array;
  readonly cov: Float64Array;
  readonly infConst: number;
  readonly source?: string;
}
export const ilNiqeEntries: readonly import('../types.js').MetricEntry[] = [];
