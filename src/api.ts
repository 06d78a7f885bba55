/**
 * locksim as a library: `import { loadScenario, runScenario, ... } from 'locksim'`.
 *
 * The same pipeline the CLI runs, one function per step:
 *
 *   loadScenario(file)            load + resolve a scenario file (YAML/JSON) or a resolved.json
 *   resolveScenario(text, name)   the same from text in memory
 *   runScenario(scenario)         every (point, seed) run, on `jobs` threads, and the summary
 *   summarize(run)                the summary as summary.json holds it (schemaVersion, units)
 *   writeReport(run, dir)         the report folder (resolved.json, results.json, charts, page)
 *   checkScenario(scenario, run)  the scenario's `expect:` block evaluated against a run
 *   diffReports(dirA, dirB)       what changed between two report folders, against their noise
 *   plan(options)                 per family: the largest concurrency within the deadline, and its cost
 *   metricCatalogue()             every metric with its unit, kind and better direction
 *
 * Every bad input throws an InputError (`isInputError`, `error.format()` for
 * one readable line); a run past a simulation cap throws SimulationLimitError.
 * Nothing here touches argv, stdout or the exit code.
 */
import { SimulationLimitError } from './engine/index.js';
import { InputError, isInputError } from './input/errors.js';
import { locksimVersion, OUTPUT_SCHEMA_VERSION } from './input/package-info.js';
import { loadScenario as loadScenarioFromFile, loadScenarioText, runScenario as runOnExecutor, type LoadScenarioOptions, type ScenarioRun } from './pipeline.js';
import { createExecutor } from './sweep/executor.js';
import { writeRunReport } from './report/write-run.js';
import { summaryDocument, type SummaryDocument } from './report/documents.js';
import { evaluateExpectations, rowsHold, type CheckRow } from './check/expect.js';
import { diffReportDirs, type DiffDocument, type DiffOptions } from './check/diff.js';
import { runPlan, type PlanOptions, type PlanRow } from './study/plan.js';
import { metricCatalogue } from './workloads/catalogue.js';
import type { ResolvedScenario } from './scenario/types.js';

export { InputError, isInputError, SimulationLimitError, OUTPUT_SCHEMA_VERSION, metricCatalogue };
export type { ResolvedScenario, ScenarioRun, LoadScenarioOptions, SummaryDocument, CheckRow, DiffDocument, DiffOptions, PlanOptions, PlanRow };
export type { ScenarioSummary, PointSummary, Estimate } from './analysis/summary.js';
export type { MetricDeclaration } from './analysis/metric.js';

/** locksim's own version (from its package.json). */
export const version: string = locksimVersion();

/** Loads and resolves a scenario file (YAML or JSON), or takes a resolved.json as it is. */
export function loadScenario(file: string, options: LoadScenarioOptions = {}): ResolvedScenario {
  return loadScenarioFromFile(file, options);
}

/** Resolves a scenario given as YAML text; `fileName` names it in errors. */
export function resolveScenario(text: string, fileName = '(scenario)', options: LoadScenarioOptions = {}): ResolvedScenario {
  return loadScenarioText(text, fileName, options);
}

export interface RunOptions {
  /** Threads (default: every core; 1 runs in this thread). The results are the same bytes whatever the count. */
  readonly jobs?: number;
  /** After each finished (point, seed) run. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborting stops the sweep (the promise rejects). */
  readonly signal?: AbortSignal;
}

/** Runs every point of `scenario` once per seed and summarizes the runs. */
export async function runScenario(scenario: ResolvedScenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const executor = createExecutor(options.jobs, scenario.points.length * scenario.seeds.length);
  try {
    return await runOnExecutor(scenario, { executor, onProgress: options.onProgress, signal: options.signal });
  } finally {
    await executor.close();
  }
}

/** The run's summary as summary.json and `locksim run --json` hold it: per point, each metric's mean, 95% CI and per-seed values, with units. */
export function summarize(run: ScenarioRun): SummaryDocument {
  return summaryDocument(run.summary, run.scenario.kind);
}

/** Writes the report folder of `run` (created if needed, every file whole); returns the paths written. */
export function writeReport(run: ScenarioRun, outDir: string, options: { readonly command?: string } = {}): Promise<string[]> {
  return writeRunReport(run, outDir, { command: options.command ?? `(locksim API) run ${run.scenario.file}`, version: locksimVersion() });
}

/** The scenario's expectations against a run: one row per expectation, and whether all hold (known gaps never fail). */
export function checkScenario(scenario: ResolvedScenario, run: Pick<ScenarioRun, 'summary'>): { readonly rows: CheckRow[]; readonly holds: boolean } {
  const rows = evaluateExpectations(scenario, run.summary);
  return { rows, holds: rowsHold(rows) };
}

/** Per point and metric, the change from report folder `a` to `b` with its 95% interval and a verdict. */
export function diffReports(a: string, b: string, options: DiffOptions = {}): Promise<DiffDocument> {
  return diffReportDirs(a, b, options);
}

/** The capacity plan (as `locksim plan`): every family of `options.machines`, ranked. */
export async function plan(options: PlanOptions & { readonly jobs?: number }): Promise<PlanRow[]> {
  const executor = createExecutor(options.jobs);
  try {
    return await runPlan(options, (scenario) => runOnExecutor(scenario, { executor }));
  } finally {
    await executor.close();
  }
}
