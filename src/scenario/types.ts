/**
 * What a scenario file becomes once loaded and resolved: every default
 * applied, every duration in ns, every name checked. One `RunPoint` is one
 * cell of a sweep; each point runs once per seed.
 */
import type { MachineSpec } from '../topology/index.js';
import type { LaunchSpec } from '../workload/container-launch.js';
import type { RunLimits } from '../engine/index.js';

export type ScenarioKind = 'launch' | 'pause-bench';

/** Everything one launch-storm run needs besides the seed: the storm itself and the models it runs on. */
export interface LaunchPointSpec extends LaunchSpec {
  readonly kind: 'launch';
  readonly machine: MachineSpec;
  readonly kernel: string;
  readonly node: string;
  readonly runtime: string;
  /** Parameter overrides by name (kernel or node model), value in ns or plain number. */
  readonly parameters: Readonly<Record<string, number>>;
  /** Caps on one run: events, simulated time, heap. */
  readonly limits: RunLimits;
}

/** pause_bench: N threads on one global spinlock. */
export interface PauseBenchPointSpec {
  readonly kind: 'pause-bench';
  readonly machine: MachineSpec;
  readonly threads: number;
  readonly placement: 'compact' | 'spread' | 'one-socket';
  readonly lock: 'ttas' | 'ticket' | 'qspinlock';
  readonly holdNs: number;
  readonly thinkNs: number;
  readonly durationNs: number;
  readonly limits: RunLimits;
}

export type PointSpec = LaunchPointSpec | PauseBenchPointSpec;

export interface RunPoint {
  /** Stable index in sweep order (the merge order of parallel runs). */
  readonly index: number;
  /** The swept values that make this point, e.g. { containers: 100, machine: "r5.metal" }. */
  readonly coordinates: Readonly<Record<string, string | number | boolean>>;
  readonly spec: PointSpec;
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
  readonly kind: ScenarioKind;
  readonly seeds: readonly string[];
  readonly points: readonly RunPoint[];
  readonly expectations: readonly Expectation[];
  /** The scenario as written, with `--set` overrides applied (for resolved.json and the report). */
  readonly source: unknown;
}
