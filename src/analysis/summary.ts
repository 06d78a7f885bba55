/**
 * The contract between a run and everything after it (checks, reports,
 * plans): each run's output, and per sweep point the statistics over seeds.
 * Plain JSON. Which metrics a point has is declared by its workload kind's
 * metric table (src/workloads/<kind>/metrics.ts; `locksim metrics` lists them).
 */
import type { RunPoint } from '../scenario/types.js';

/** One run's output: the workload kind and its plain result. */
export interface RunOutput {
  readonly kind: string;
  readonly result: unknown;
}

/** One point's runs, one per seed, in seed order. */
export interface PointRuns {
  readonly point: RunPoint;
  /** Machine name as resolved (family plus variant). */
  readonly machine: string;
  readonly runs: readonly RunOutput[];
}

/** Mean over seeds with a 95% confidence half-width (Student t), and the per-seed values. */
export interface Estimate {
  readonly mean: number;
  readonly ci95: number;
  readonly perSeed: readonly number[];
}

export type MetricName = string;

export interface PointSummary {
  readonly index: number;
  readonly coordinates: Readonly<Record<string, string | number | boolean>>;
  /** Machine name as resolved (family plus variant). */
  readonly machine: string;
  readonly metrics: Readonly<Record<MetricName, Estimate>>;
}

export interface ScenarioSummary {
  readonly scenario: string;
  readonly seeds: readonly string[];
  readonly points: readonly PointSummary[];
}
