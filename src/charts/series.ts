/**
 * What a workload kind's charts are drawn from: the sweep's points grouped
 * into series (one per machine, or per machine and any other swept
 * coordinate), each with its runs, its summary and its position on the
 * curve's x axis. A chart plan is a typed vega-lite spec with the rows it
 * draws, before rendering.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PointSummary, RunOutput } from '../analysis/summary.js';
import type { ResolvedModels, RunPoint } from '../scenario/types.js';
import type { FailureOnset } from '../analysis/onset.js';

/** A chart's data row (also written as the chart's CSV). */
export type ChartRow = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface SeriesPoint {
  readonly point: RunPoint;
  readonly machine: string;
  readonly runs: readonly RunOutput[];
  readonly summary: PointSummary;
  /** Series name: the machine, plus any other swept coordinate. */
  readonly series: string;
  /** The point's position along the curves (containers, threads). */
  readonly x: number;
}

export interface ChartInput {
  readonly seeds: readonly string[];
  readonly points: readonly SeriesPoint[];
  /** Every series, sorted: fixes each one's colour across the report's charts. */
  readonly series: readonly string[];
  /** Whether the x coordinate was swept (else one point per series). */
  readonly swept: boolean;
  /** Each series' point with the largest x, sorted by series. */
  readonly largest: readonly SeriesPoint[];
  /** "at 400 containers", or "at each series' largest point". */
  readonly atLargest: string;
  readonly models: ResolvedModels;
  /** Failure onsets found by bisection, per series (empty when none was searched). */
  readonly onsets: readonly SeriesOnset[];
}

/** A failure onset with the name of its series. */
export interface SeriesOnset extends FailureOnset {
  readonly series: string;
}

/** One chart of a report before rendering: file stem, texts, spec and its data rows. */
export interface ChartPlan {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
  readonly rows: readonly ChartRow[];
}

/** Rounds chart values so the specs stay readable and stable (6 significant digits). */
export function tidy(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : 0;
}

export function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The mean of an estimate, NaN when the point has no such metric. */
export function meanOf(estimate: { readonly mean: number } | undefined): number {
  return estimate?.mean ?? Number.NaN;
}
