/**
 * Many scenarios in one pool: the studies (`check`, `ablate`,
 * `sensitivity`) load every scenario they will run before the first run, so
 * all their (point, seed) runs can share the threads. One scenario at a time
 * would leave threads idle at the end of each; here the runs of every
 * scenario are dealt together, the costliest first, and each scenario's
 * result is ready as soon as its own runs are.
 *
 *   start(scenarios)  ->  every (scenario, point, seed) run, costliest first
 *                     ->  pool.runTasks (jobs threads, or here for 1)
 *   run(scenario)     ->  ScenarioRun once that scenario's runs are in,
 *                         the same bytes as pipeline.runScenario
 *
 * Seeds come from the scenario, as everywhere (pipeline.runSeed): the order
 * of work never changes a result.
 */
import { availableParallelism } from 'node:os';
import { summarizeScenario } from '../analysis/summarize.js';
import type { ScenarioRun, RunOptions } from '../pipeline.js';
import type { ResolvedScenario, RunPoint } from '../scenario/types.js';
import { checkJobCount, pointRuns, runCost, runTasks, SweepInterruptedError, type FinishedRun, type RunTask } from './pool.js';

export interface BatchOptions {
  /** Threads; default os.availableParallelism(). 1 runs in this thread. */
  readonly jobs?: number;
  readonly modelsDir?: string;
  readonly limits?: RunOptions['limits'];
  /** After each finished run: runs done and runs started in total. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly scenario: ResolvedScenario;
  /** Position of the scenario's first point in the batch's point list. */
  readonly firstSlot: number;
  readonly outputs: (FinishedRun | undefined)[];
  left: number;
  readonly done: Promise<ScenarioRun>;
  resolve(run: ScenarioRun): void;
  reject(error: unknown): void;
}

/** (point, seed) runs in `scenarios`, for progress bars and reports. */
export function runCount(scenarios: readonly ResolvedScenario[]): number {
  return scenarios.reduce((sum, s) => sum + s.points.length * s.seeds.length, 0);
}

export class ScenarioBatch {
  private readonly pending = new Map<ResolvedScenario, Pending>();
  private started = false;

  constructor(private readonly options: BatchOptions = {}) {
    checkJobCount(options.jobs);
  }

  /** Starts every run of `scenarios` (once per batch); results come from `run`. */
  start(scenarios: readonly ResolvedScenario[]): void {
    if (this.started) throw new Error('a ScenarioBatch starts once');
    this.started = true;
    const points: RunPoint[] = [];
    const tasks: RunTask[] = [];
    const owners: Pending[] = [];
    const seedIndexes: number[] = [];
    for (const scenario of scenarios) {
      if (this.pending.has(scenario)) continue;
      let resolve!: (run: ScenarioRun) => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<ScenarioRun>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      // Nobody may be waiting yet when a failure arrives: it is reported by run(), not as unhandled.
      done.catch(() => undefined);
      const entry: Pending = { scenario, firstSlot: points.length, outputs: new Array<FinishedRun | undefined>(scenario.points.length * scenario.seeds.length), left: 0, done, resolve, reject };
      this.pending.set(scenario, entry);
      for (const point of scenario.points) {
        for (const [seedIndex, seed] of scenario.seeds.entries()) {
          tasks.push({ slot: points.length, seed });
          owners.push(entry);
          seedIndexes.push(seedIndex);
          entry.left++;
        }
        points.push(point);
      }
      if (entry.left === 0) entry.resolve(this.finish(entry));
    }
    // Costliest first (stable, so ties keep scenario order): the last runs to finish are short ones.
    const order = tasks.map((_task, index) => index).sort((a, b) => runCost(points[tasks[b].slot]) - runCost(points[tasks[a].slot]) || a - b);
    const ordered = order.map((index) => tasks[index]);
    const total = ordered.length;
    let finished = 0;
    const record = (position: number, result: FinishedRun): void => {
      const index = order[position];
      const entry = owners[index];
      const task = tasks[index];
      const pointIndex = task.slot - entry.firstSlot;
      entry.outputs[pointIndex * entry.scenario.seeds.length + seedIndexes[index]] = result;
      this.options.onProgress?.(++finished, total);
      if (--entry.left === 0) entry.resolve(this.finish(entry));
    };
    const jobs = Math.min(this.options.jobs ?? availableParallelism(), Math.max(1, total));
    const interrupted = (): Error => new SweepInterruptedError(finished, total, undefined);
    runTasks(points, ordered, jobs, this.options, record, interrupted).catch((error: unknown) => {
      for (const entry of this.pending.values()) if (entry.left > 0) entry.reject(error);
    });
  }

  /** The run of a started scenario, as pipeline.runScenario would return it. */
  run(scenario: ResolvedScenario): Promise<ScenarioRun> {
    const entry = this.pending.get(scenario);
    if (entry === undefined) return Promise.reject(new Error(`scenario ${scenario.name} was not started in this batch`));
    return entry.done;
  }

  private finish(entry: Pending): ScenarioRun {
    const { scenario, outputs } = entry;
    const seeds = scenario.seeds.length;
    const points = scenario.points.map((point, p) => pointRuns(point, outputs.slice(p * seeds, (p + 1) * seeds) as FinishedRun[]));
    return { scenario, points, summary: summarizeScenario(scenario.name, scenario.seeds, points) };
  }
}
