/**
 * What a scenario file becomes once loaded and resolved: every default
 * applied, every duration in ns, every name checked, and every model it runs
 * on read and stored by content hash (`models`). One `RunPoint` is one cell
 * of a sweep; each point runs once per seed. A resolved scenario is plain,
 * serializable data: it is what worker threads receive and what
 * resolved.json stores, and it runs without reading a file.
 */
import type { MachineSpec } from '../topology/index.js';
import type { RunLimits } from '../engine/index.js';
import type { ResolvedModels } from './models.js';

export type { ResolvedModels } from './models.js';

/** What every point spec has, whatever its workload kind. */
export interface PointSpecBase {
  /** The workload kind (a key of the workload registry). */
  readonly kind: string;
  /** The machine as written: a family plus variant suffixes, or {family, variant}. */
  readonly machine: MachineSpec;
  /** Content hash of the family's model in ResolvedScenario.models.machines. */
  readonly machineModel: string;
  /** Caps on one run: events, simulated time, heap. */
  readonly limits: RunLimits;
}

export interface RunPoint<S extends PointSpecBase = PointSpecBase> {
  /** Stable index in sweep order (the merge order of parallel runs). */
  readonly index: number;
  /** The swept values that make this point, e.g. { containers: 100, machine: "r5.metal" }. */
  readonly coordinates: Readonly<Record<string, string | number | boolean>>;
  readonly spec: S;
}

/** Comparison of a metric against a number or against the same metric elsewhere. */
export interface Expectation {
  /** As written, for the check table. */
  readonly text: string;
  readonly metric: string;
  /** Sweep coordinates that select the point(s); several points: every one must hold. */
  readonly where: Readonly<Record<string, string | number | boolean>>;
  readonly op: '<' | '<=' | '>' | '>=' | '==' | 'between';
  /** A number, or the same/another metric at other coordinates (times `factor`). */
  readonly target: number | { readonly metric: string; readonly where: Readonly<Record<string, string | number | boolean>>; readonly factor: number } | readonly [number, number];
  /** Absolute tolerance for '==' (and slack for inequalities). */
  readonly tolerance: number;
  /** Check the mean over seeds, or every seed. */
  readonly over: 'mean' | 'every-seed';
  /** A known gap: reported, never fails the check (with the reason). */
  readonly knownGap?: string;
  /**
   * Indices of the points `where` selected, bound at load time (the loader
   * always sets it; without it, points are matched by coordinates).
   */
  readonly points?: readonly number[];
  /** For a metric target: the point each entry of `points` is compared with (same order). */
  readonly targetPoints?: readonly number[];
  /** Line of the expectation in its file, for reports. */
  readonly line?: number;
}

export interface ResolvedScenario {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  /** The workload kind of every point. */
  readonly kind: string;
  readonly seeds: readonly string[];
  readonly points: readonly RunPoint[];
  readonly expectations: readonly Expectation[];
  /** The scenario as written, with `--set` overrides applied (for resolved.json and the report). */
  readonly source: unknown;
  /** Every model a point runs on, by content hash. */
  readonly models: ResolvedModels;
}
