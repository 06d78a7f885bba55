/**
 * A workload kind: everything locksim needs to load, run, measure and draw
 * one kind of scenario, in one place. The orchestrator (src/pipeline.ts),
 * the sweep pool, the checks, the studies and the report only ever talk to a
 * kind through this interface, so a new kind is a new entry in the registry
 * (registry.ts) and touches none of them.
 *
 *   schema, resolvePoint   scenario file -> point specs (ScenarioKind)
 *   run                    one point, one seed -> plain output (no file reads)
 *   metrics                the metric table (analysis/metric.ts)
 *   charts, headline       what the report draws and tabulates
 */
import type { RunLimits } from '../engine/index.js';
import type { MetricTable } from '../analysis/metric.js';
import type { RunOutput } from '../analysis/summary.js';
import type { ChartInput, ChartPlan, SeriesOnset, SeriesPoint } from '../charts/series.js';
import type { ScenarioKind } from '../scenario/kind.js';
import type { PointSpecBase, ResolvedModels } from '../scenario/types.js';
import { ALL_HARDWARE, buildTopology, parseMachineSpec, type HardwareSwitches, type Topology } from '../topology/index.js';

/** Built once per thread and reused across its runs: topologies by machine model hash and variant. */
export interface BuildCache {
  readonly topologies: Map<string, Topology>;
}

export function newBuildCache(): BuildCache {
  return { topologies: new Map() };
}

/** The machine of a point, built once per thread from its model (no file reads), with the hardware mechanisms the point keeps. */
export function topologyOf(spec: PointSpecBase, models: ResolvedModels, cache: BuildCache, hardware: HardwareSwitches = ALL_HARDWARE): Topology {
  const { variant } = parseMachineSpec(spec.machine);
  const key = JSON.stringify([spec.machineModel, variant, hardware.numa, hardware.smtSlowdown]);
  let topology = cache.topologies.get(key);
  if (topology === undefined) {
    topology = buildTopology(models.machines[spec.machineModel], variant, hardware);
    cache.topologies.set(key, topology);
  }
  return topology;
}

export interface RunInput<S> {
  readonly spec: S;
  readonly models: ResolvedModels;
  readonly seed: string;
  readonly limits: RunLimits;
  /** Heap in use, for the engine's memory cap (the model reads no process state). */
  readonly heapProbe?: () => number;
  readonly cache: BuildCache;
}

/** A column of the headline table (terminal and page). */
export interface HeadlineColumn {
  readonly title: string;
  readonly metric: string;
  readonly format: 'number' | 'percent';
}

export interface WorkloadKind<S extends PointSpecBase = PointSpecBase, R = unknown, C = unknown> extends ScenarioKind<S> {
  /** Runs one point once. */
  run(input: RunInput<S>): { readonly machine: string; readonly output: RunOutput };
  /** Rough relative cost of one run, only to start the longest runs first. */
  runCost(spec: S): number;
  readonly metrics: MetricTable<R, C>;
  /** What the metric table needs to know about a point besides its output (its models). */
  metricContext(spec: S, models: ResolvedModels): C;
  /** The coordinate the report's curves run along, and a point's value of it. */
  readonly xKey: string;
  x(spec: S): number;
  /** The swept coordinate that moves x, when it is not `xKey` (syscall-mix: `groups.<first group>.threads`); absent: `xKey`. */
  xCoordinate?(spec: S): string;
  /** The headline columns, and the metrics summary.csv carries. */
  readonly headline: readonly HeadlineColumn[];
  readonly csvMetrics: readonly string[];
  charts(input: ChartInput): ChartPlan[];
  /** One sentence about a series for the report's lead (points sorted by x; its failure onset when one was bisected). */
  leadSentence(series: string, points: readonly SeriesPoint[], onset?: SeriesOnset): string;
  /**
   * Where a series starts failing, for kinds that have failures: the metric
   * and the threshold its mean over seeds must exceed, and a point's spec
   * with the x coordinate changed (src/study/onset.ts bisects with it).
   */
  readonly onset?: { readonly metric: string; readonly threshold: number; at(spec: S, x: number): S };
  /** For kinds whose results carry folded stacks: whether a stack's leaf (a time category) is time on a CPU, so the report splits on-CPU from off-CPU flame graphs. */
  readonly onCpu?: (leaf: string) => boolean;
  /** What a result can lose when results.json would grow too large (runs the charts do not draw). */
  readonly thinResult?: { readonly what: string; thin(result: unknown): unknown };
}

/** A kind as stored in the registry, its point and result types erased. */
export type AnyWorkloadKind = WorkloadKind<PointSpecBase, unknown, unknown>;

/** Registers a kind with its concrete types; the registry holds it with them erased. */
export function defineWorkload<S extends PointSpecBase, R, C>(kind: WorkloadKind<S, R, C>): AnyWorkloadKind {
  return kind as unknown as AnyWorkloadKind;
}
