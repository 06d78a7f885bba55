/**
 * runScenario(): the numbered story from a resolved scenario to results.
 *
 *   ResolvedScenario (scenario/load)
 *     1. resolve each point's machine and models   (topology, kernel/node/runtime files)
 *     2. run every point once per seed             (workload/ or bench-models/)
 *     3. summarize per point across seeds          (analysis/)
 *   -> ScenarioRun { scenario, points: PointRuns[], summary }
 *
 * Seeds come from the point and the scenario, never from the order of work,
 * so any split of the points over workers or machines gives the same bytes.
 * File reads happen in step 1 only; nothing here writes.
 */
import { resolveMachine } from './topology/index.js';
import { loadLaunchModels, type LaunchModels } from './workload/load-models.js';
import { runLaunchStorm } from './workload/container-launch.js';
import { runPauseBench } from './bench-models/pause-bench.js';
import { summarizeScenario, type PointRuns, type RunOutput } from './analysis/summarize.js';
import type { ScenarioSummary } from './analysis/summary.js';
import type { ResolvedScenario, RunPoint } from './scenario/types.js';
import type { RunLimits } from './engine/index.js';
import type { Topology } from './topology/topology.js';
import { dirname, join } from 'node:path';
import { DEFAULT_MODELS_DIR } from './topology/index.js';
import { runHeapCap, usedHeapBytes } from './limits/heap.js';

/** The `models/` folder: machines/, kernel/, nodes/, runtimes/. */
export const MODELS_ROOT = dirname(DEFAULT_MODELS_DIR);

export interface ScenarioRun {
  readonly scenario: ResolvedScenario;
  readonly points: readonly PointRuns[];
  readonly summary: ScenarioSummary;
}

export interface RunOptions {
  readonly modelsDir?: string;
  readonly limits?: Partial<RunLimits>;
  /** Called after each (point, seed) run with runs done and total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Only points whose index satisfies this run (sharding); default all. */
  readonly selectPoint?: (index: number) => boolean;
}

/**
 * The seed of one run. Every point of a scenario uses the same seed for a
 * given replication (common random numbers): machines compared at a point
 * see the same arrivals, layer counts and jitter, so their difference is the
 * machine's, not the draw's. It never depends on who runs the point.
 */
export function runSeed(scenarioSeed: string, _point: RunPoint): string {
  return scenarioSeed;
}

/**
 * Models and topologies already read, for a thread that runs many points:
 * both are immutable once built, and a sweep repeats few of them.
 */
export interface RunCache {
  readonly models: Map<string, LaunchModels>;
  readonly topologies: Map<string, Topology>;
}

export function newRunCache(): RunCache {
  return { models: new Map(), topologies: new Map() };
}

/** Runs one point for one seed. Pure given its inputs (reads model files, unless `cache` has them). */
export function runPoint(point: RunPoint, scenarioSeed: string, options: Pick<RunOptions, 'modelsDir' | 'limits'> = {}, cache?: RunCache): { machine: string; output: RunOutput } {
  const modelsDir = options.modelsDir ?? MODELS_ROOT;
  const spec = point.spec;
  // 1. resolve
  const machinesDir = join(modelsDir, 'machines');
  const topologyKey = JSON.stringify([spec.machine, machinesDir]);
  let topology = cache?.topologies.get(topologyKey);
  if (topology === undefined) {
    topology = resolveMachine(spec.machine, machinesDir);
    cache?.topologies.set(topologyKey, topology);
  }
  const seed = runSeed(scenarioSeed, point);
  // The caller's limits (tests, tools) tighten the scenario's; the heap is measured here, not in the model.
  const limits = { ...spec.limits, ...options.limits };
  // The memory cap is lowered to what this thread's V8 heap can hold (limits/heap.ts), so it stops the run before V8 aborts.
  limits.maxHeapBytes = runHeapCap(limits.maxHeapBytes);
  const heapProbe = usedHeapBytes;
  // 2. run
  if (spec.kind === 'pause-bench') {
    const result = runPauseBench({ topology, threads: spec.threads, placement: spec.placement, lock: spec.lock, holdNs: spec.holdNs, thinkNs: spec.thinkNs, durationNs: spec.durationNs, seed, limits, heapProbe });
    return { machine: topology.name, output: { kind: 'pause-bench', result } };
  }
  const key = JSON.stringify([spec.kernel, spec.node, spec.runtime, spec.parameters]);
  let models = cache?.models.get(key);
  if (models === undefined) {
    models = loadLaunchModels(modelsDir, { kernel: spec.kernel, node: spec.node, runtime: spec.runtime }, spec.parameters);
    cache?.models.set(key, models);
  }
  const result = runLaunchStorm({ topology, models, seed, limits, heapProbe, spec });
  return { machine: topology.name, output: { kind: 'launch', result } };
}

export function runScenarioPoints(scenario: ResolvedScenario, options: RunOptions = {}): PointRuns[] {
  const selected = scenario.points.filter((p) => options.selectPoint?.(p.index) ?? true);
  const total = selected.length * scenario.seeds.length;
  const cache = newRunCache();
  let done = 0;
  return selected.map((point) => {
    let machine = '';
    const runs = scenario.seeds.map((seed) => {
      const { machine: name, output } = runPoint(point, seed, options, cache);
      machine = name;
      options.onProgress?.(++done, total);
      return output;
    });
    return { point, machine, runs };
  });
}

export async function runScenario(scenario: ResolvedScenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const points = runScenarioPoints(scenario, options);
  // 3. summarize
  const summary = summarizeScenario(scenario.name, scenario.seeds, points);
  return { scenario, points, summary };
}
