/**
 * Where a series of sweep points starts failing, found by bisection between
 * two of its points (src/study/onset.ts runs it; results.json stores it; the
 * report draws it). Plain data.
 */

export interface OnsetStep {
  /** The x value tried (containers). */
  readonly x: number;
  /** The metric's mean over the scenario's seeds. */
  readonly mean: number;
  readonly perSeed: readonly number[];
}

export interface FailureOnset {
  /** Coordinates of the last passing sweep point of the series (its x included). */
  readonly coordinates: Readonly<Record<string, string | number | boolean>>;
  /** Machine as resolved. */
  readonly machine: string;
  /** The coordinate bisected (containers) and the metric compared (failureRate). */
  readonly xKey: string;
  readonly metric: string;
  /** Fails when the mean over seeds exceeds this. */
  readonly threshold: number;
  /** Largest x found to pass, and smallest found to fail (sweep points or bisection steps). */
  readonly lastPass: number;
  readonly firstFail: number;
  /** The bisection's own runs, in the order tried. */
  readonly steps: readonly OnsetStep[];
}
