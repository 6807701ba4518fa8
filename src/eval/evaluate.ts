/**
 * One metric on one labelled set: correlations (with sign handling and both logistic fits), optional bootstrap
 * intervals, the table row and the scatter plot SVG. This is what `iqa eval` runs per metric x dataset.
 */
import { bootstrapCi, correlate, pearson, srcc, type BootstrapOptions, type CorrelationOptions, type CorrelationResult, type Direction } from './correlation.js';
import { logistic4, logistic5 } from './logistic.js';
import { scatterSvg } from './plot.js';
import { resultRow, type ResultRow } from './report.js';

export interface EvaluateInput {
  readonly metric: string;
  readonly dataset: string;
  /** Metric scores, one per item. */
  readonly pred: ArrayLike<number>;
  /** Subjective scores, same order. */
  readonly target: ArrayLike<number>;
  readonly predictionDirection?: Direction;
  readonly targetDirection?: Direction;
  /** Bootstrap intervals for SRCC and raw PLCC (default none). */
  readonly bootstrap?: BootstrapOptions;
  /** Which curve the plot shows (default 'logistic4'; null for none). */
  readonly plotCurve?: 'logistic4' | 'logistic5' | null;
  /** Relative path recorded in the row for the report to link. */
  readonly plotPath?: string;
  readonly logistic?: CorrelationOptions['logistic'];
}

export interface EvaluateOutput {
  readonly result: CorrelationResult;
  readonly row: ResultRow;
  /** Scatter of the sign-aligned predictions against the target, with the fitted curve. */
  readonly svg: string;
}

export function evaluatePredictions(input: EvaluateInput): EvaluateOutput {
  const result = correlate(input.pred, input.target, {
    predictionDirection: input.predictionDirection,
    targetDirection: input.targetDirection,
    logistic: input.logistic,
  });
  const x = Float64Array.from(input.pred, (v) => (result.signFlipped ? -v : v));
  const y = Float64Array.from(input.target);
  const extra: Parameters<typeof resultRow>[3] = { plot: input.plotPath };
  const notes: Record<string, string | number> = {};
  if (result.logistic4) notes.logistic4Init = result.logistic4.init.map((v) => Number(v.toPrecision(6))).join(' ');
  if (result.logistic5) notes.logistic5Init = result.logistic5.init.map((v) => Number(v.toPrecision(6))).join(' ');
  const row0 = { ...extra, notes };
  const withCi = input.bootstrap
    ? { ...row0, srccCi: bootstrapCi(srcc, x, y, input.bootstrap), plccCi: bootstrapCi(pearson, x, y, input.bootstrap) }
    : row0;
  const row = resultRow(input.metric, input.dataset, result, withCi);
  const curveKind = input.plotCurve === undefined ? 'logistic4' : input.plotCurve;
  const curve = curveKind ? result[curveKind] : undefined;
  const svg = scatterSvg(x, y, {
    title: `${input.metric} on ${input.dataset}`,
    xLabel: `${input.metric}${result.signFlipped ? ' (negated)' : ''}`,
    yLabel: input.targetDirection === 'lower-better' ? 'DMOS' : 'MOS',
    fit: curve && curveKind ? { kind: curveKind, predict: (v: number) => curveFn(curveKind, curve.params, v) } : undefined,
    legend: [`n ${result.n}`, `SRCC ${result.srcc.toFixed(4)}`, `KRCC ${result.krcc.toFixed(4)}`, `PLCC raw ${result.plcc.toFixed(4)}`, ...(curve ? [`PLCC ${curveKind} ${curve.plcc.toFixed(4)}`] : [])],
  });
  return { result, row, svg };
}

function curveFn(kind: 'logistic4' | 'logistic5', p: readonly number[], x: number): number {
  return kind === 'logistic4' ? logistic4(p, x) : logistic5(p, x);
}
