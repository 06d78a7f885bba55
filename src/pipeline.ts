/**
 * The orchestrator: every command runs scenarios through here.
 *
 *   scenario file (YAML) or resolved.json
 *     1. load + resolve   loadScenario          (scenario/, models/, topology/)
 *                          -> ResolvedScenario: points + every model by content hash
 *     2. run              runScenario           each (point, seed) on an executor (sweep/):
 *                                                this thread, or a pool of threads that read no files
 *     3. summarize        completeRun           per point, every metric of its kind over seeds (analysis/)
 *     4. render           writeRunReport        resolved.json, results.json, charts, page (report/)
 *
 * Seeds come from the scenario, never from the order of work, so any split
 * of the points over threads, shards or machines gives the same bytes. File
 * reads happen in step 1 only; runs write nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import type { RunLimits } from './engine/index.js';
import { InputError } from './input/errors.js';
import { ModelCatalog } from './input/catalog.js';
import { MAX_INPUT_BYTES } from './input/load.js';
import type { PointRuns } from './analysis/summary.js';
import { completeRun, type ScenarioRun } from './workloads/run.js';
import { loadScenarioFile, loadScenarioFileText, type LoadScenarioOptions } from './scenario/load.js';
import { isResolvedDocument, readResolvedDocument, scenarioFromDocument } from './scenario/document.js';
import type { ResolvedModels, ResolvedScenario, RunPoint } from './scenario/types.js';
import { Checkpoint, runKey, type CheckpointOptions } from './sweep/checkpoint.js';
import { inlineExecutor, SweepInterruptedError, type Executor, type FinishedRun, type RunTask } from './sweep/executor.js';
import { makePartial, type PartialResult } from './sweep/partial.js';
import { runTask } from './sweep/run-task.js';
import { newBuildCache } from './workloads/kind.js';
import { shardSelector, type Shard } from './sweep/shard.js';
import { SCENARIO_KINDS, WORKLOADS, workloadKind } from './workloads/registry.js';

export type { LoadScenarioOptions } from './scenario/load.js';

// ---------------------------------------------------------------- 1. load + resolve

/**
 * A scenario file (YAML or JSON) resolved against the models, or a
 * resolved.json written by an earlier run, taken as it is. Every problem is
 * an InputError (exit 2).
 */
export function loadScenario(file: string, options: LoadScenarioOptions = {}): ResolvedScenario {
  if (file.endsWith('.json')) {
    const text = readSmallFile(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isResolvedDocument(parsed)) {
      if ((options.set?.length ?? 0) > 0 || options.seeds !== undefined) {
        throw new InputError('a resolved scenario runs as it was resolved', {
          file,
          expected: 'no --set, --seed or --seeds',
          found: 'overrides',
          hint: 'Apply overrides to the scenario file it came from (its name is in the document), or run the document unchanged.',
        });
      }
      return scenarioFromDocument(readResolvedDocument(text, file, new Set(WORKLOADS.keys())));
    }
  }
  return loadScenarioFile(file, SCENARIO_KINDS, options);
}

/** A scenario file's text in memory; `file` names it in errors. */
export function loadScenarioText(text: string, file: string, options: LoadScenarioOptions = {}): ResolvedScenario {
  return loadScenarioFileText(text, file, SCENARIO_KINDS, options);
}

/** One catalog for many loads (a check, a study): each model file is read once. */
export function newCatalog(root?: string): ModelCatalog {
  return new ModelCatalog(root);
}

function readSmallFile(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new InputError('cannot read the file', { file, expected: 'an existing, readable file', found: 'no such file' });
  }
  if (size > 64 * MAX_INPUT_BYTES) throw new InputError('the file is too large to be a resolved scenario', { file, expected: `at most ${64 * MAX_INPUT_BYTES} bytes`, found: `${size} bytes` });
  return readFileSync(file, 'utf8');
}

// ---------------------------------------------------------------- 2. run

export interface RunScenarioOptions {
  /** Where the runs execute (default: this thread). The caller closes it. */
  readonly executor?: Executor;
  /** Tightens every run's limits (tests, tools). */
  readonly limits?: Partial<RunLimits>;
  /** After each finished run: runs done (journalled ones included) and runs in total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborting stops dispatching; the run rejects with SweepInterruptedError. */
  readonly signal?: AbortSignal;
  /** Journal finished runs; with `resume`, skip the runs found there. */
  readonly checkpoint?: CheckpointOptions;
}

/** The models one point runs on, out of the scenario's. */
function modelsOf(scenario: ResolvedScenario, point: RunPoint): ResolvedModels {
  const spec = point.spec as RunPoint['spec'] & { launchModels?: string };
  const launch = spec.launchModels === undefined ? {} : { [spec.launchModels]: scenario.models.launch[spec.launchModels] };
  return { machines: { [spec.machineModel]: scenario.models.machines[spec.machineModel] }, launch };
}

/** Runs every point of `points` (a scenario's, or a shard's) once per seed; runs in point order, seeds in order. */
async function runPoints(scenario: ResolvedScenario, points: readonly RunPoint[], options: RunScenarioOptions): Promise<PointRuns[]> {
  const seeds = scenario.seeds;
  const total = points.length * seeds.length;
  const finished = new Array<FinishedRun | undefined>(total);
  const checkpoint = options.checkpoint === undefined ? undefined : Checkpoint.open(scenario, options.checkpoint);
  try {
    const tasks: RunTask[] = [];
    const slots: number[] = [];
    points.forEach((point, slot) => {
      const kind = workloadKind(point.spec.kind);
      const models = modelsOf(scenario, point);
      seeds.forEach((seed, seedIndex) => {
        const journalled = checkpoint?.finished.get(runKey(point.index, seedIndex));
        if (journalled !== undefined) finished[slot * seeds.length + seedIndex] = { machine: journalled.machine, output: journalled.output };
        else {
          tasks.push({ point, seed, models, cost: kind.runCost(point.spec), limits: options.limits });
          slots.push(slot * seeds.length + seedIndex);
        }
      });
    });
    let done = total - tasks.length;
    const record = (index: number, result: FinishedRun): void => {
      const at = slots[index];
      const slot = Math.floor(at / seeds.length);
      const seedIndex = at % seeds.length;
      checkpoint?.append({ point: points[slot].index, seedIndex, seed: seeds[seedIndex], machine: result.machine, output: result.output });
      finished[at] = result;
      options.onProgress?.(++done, total);
    };
    const executor = options.executor ?? inlineExecutor();
    await executor.run(tasks, record, { signal: options.signal, interrupted: () => new SweepInterruptedError(done, total, checkpoint?.file) });
    return points.map((point, slot) => {
      const runs = seeds.map((_seed, seedIndex) => finished[slot * seeds.length + seedIndex]!);
      // A point's machine is that of its runs (all runs of a point share it).
      return { point, machine: runs.length === 0 ? '' : runs[runs.length - 1].machine, runs: runs.map((r) => r.output) };
    });
  } finally {
    checkpoint?.close();
  }
}

/** Runs a whole scenario and summarizes it. */
export async function runScenario(scenario: ResolvedScenario, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  return completeRun(scenario, await runPoints(scenario, scenario.points, options));
}

/** Runs one shard of a scenario (every N-th point from I) and returns its partial result, for `locksim merge`. */
export async function runShard(scenario: ResolvedScenario, shard: Shard, options: RunScenarioOptions & { readonly command?: string } = {}): Promise<PartialResult> {
  const points = await runPoints(scenario, scenario.points.filter((p) => shardSelector(shard)(p.index)), options);
  return makePartial(scenario, shard, points, options.command);
}

// ---------------------------------------------------------------- 3. summarize

export { completeRun, scenarioMetrics, type ScenarioRun } from './workloads/run.js';

// ---------------------------------------------------------------- many scenarios

/** (point, seed) runs in `scenarios`, for progress bars and reports. */
export function runCount(scenarios: readonly ResolvedScenario[]): number {
  return scenarios.reduce((sum, s) => sum + s.points.length * s.seeds.length, 0);
}

/**
 * Starts every run of `scenarios` at once on one executor, so a pool deals
 * all of them costliest first; each scenario's run is ready as soon as its
 * own runs are (the same bytes as runScenario on its own). A failure is
 * reported by the promise of the scenario it belongs to.
 */
export function startScenarios(scenarios: readonly ResolvedScenario[], options: RunScenarioOptions = {}): (scenario: ResolvedScenario) => Promise<ScenarioRun> {
  const runs = new Map<ResolvedScenario, Promise<ScenarioRun>>();
  const total = runCount(scenarios);
  let done = 0;
  const onProgress = options.onProgress === undefined ? undefined : (): void => options.onProgress!(++done, total);
  for (const scenario of scenarios) {
    if (runs.has(scenario)) continue;
    const run = runScenario(scenario, { ...options, onProgress });
    // Nobody may be waiting yet when a failure arrives: it is reported by the lookup, not as unhandled.
    run.catch(() => undefined);
    runs.set(scenario, run);
  }
  return (scenario) => runs.get(scenario) ?? Promise.reject(new Error(`scenario ${scenario.name} was not started`));
}

/** One point of `scenario`, one seed, in this thread (tests and tools; sweeps use runScenario). */
export function runPoint(scenario: ResolvedScenario, point: RunPoint, seed: string, limits?: Partial<RunLimits>): FinishedRun {
  return runTask({ point, seed, models: modelsOf(scenario, point), cost: 0, limits }, newBuildCache());
}
