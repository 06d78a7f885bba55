/**
 * The fuzz test's thread (fuzz.test.ts): each case is a scenario text, and
 * perhaps a machine file, run the way `locksim run --jobs 1` runs them, with
 * the outcome mapped to an exit code exactly as the CLI maps it. The thread
 * runs under a V8 heap limit (resourceLimits), so a case that outgrows it kills
 * the thread and fails the test: the memory bound is V8's, not a sample.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { describeFailure } from '../../src/cli/failure.js';
import { completeRun, loadScenarioText, newCatalog, runPoint } from '../../src/pipeline.js';
import { resultsDocument } from '../../src/report/run-report.js';

export interface FuzzCase {
  readonly scenario: string;
  /** A machine file to add to the models folder as `<machineName>.yaml`. */
  readonly machine?: { readonly name: string; readonly text: string };
  /** `--set` overrides. */
  readonly set?: readonly string[];
}

export interface FuzzOutcome {
  readonly code: number;
  readonly message: string;
  /** Keys that appeared on Object.prototype during the case (none, ever). */
  readonly polluted: readonly string[];
}

/** Runs (point, seed) per case at most, each under a small event cap: the fuzz is about inputs, not long runs. */
const RUNS_PER_CASE = 2;
const LIMITS = { maxEvents: 20_000 };

/** A copy of the models folder, the test's: the cases add machine files to it. */
const models = (workerData as { models: string }).models;

function runCase(job: FuzzCase): Omit<FuzzOutcome, 'polluted'> {
  try {
    if (job.machine !== undefined) writeFileSync(join(models, 'machines', `${job.machine.name}.yaml`), job.machine.text);
    const loaded = loadScenarioText(job.scenario, 'fuzz.yaml', { catalog: newCatalog(models), set: job.set });
    const point = loaded.points[0];
    const scenario = { ...loaded, seeds: loaded.seeds.slice(0, RUNS_PER_CASE), points: [point] };
    const runs = scenario.seeds.map((seed) => runPoint(scenario, point, seed, LIMITS));
    const points = [{ point, machine: runs[runs.length - 1].machine, runs: runs.map((r) => r.output) }];
    JSON.stringify(resultsDocument(completeRun(scenario, points), { version: 'fuzz' }));
    return { code: 0, message: '' };
  } catch (error) {
    return describeFailure(error);
  }
}

const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
const cleanPrototype = prototypeKeys();

parentPort?.on('message', (job: FuzzCase) => {
  const outcome = runCase(job);
  const polluted = prototypeKeys().filter((key) => !cleanPrototype.includes(key));
  parentPort?.postMessage({ ...outcome, polluted } satisfies FuzzOutcome);
});
