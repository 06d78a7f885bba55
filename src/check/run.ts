/**
 * `locksim check` without the CLI: find scenario files, load them all (so a
 * bad file stops everything before any run or write), run each through the
 * given runner, evaluate expectations, and compare with or record baselines.
 *
 * The runner is a parameter so tests (and other front ends) can check
 * hand-made summaries; the CLI passes the pipeline's runScenario.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../input/errors.js';
import type { ScenarioSummary } from '../analysis/summary.js';
import { loadScenario, newCatalog, type LoadScenarioOptions } from '../pipeline.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { baselinePath, compareBaseline, describeDiff, formatChange, readBaseline, writeBaseline, DEFAULT_BASELINE_TOLERANCE, type Baseline, type BaselineDiff } from './baseline.js';
import { evaluateExpectations, formatValue, rowsHold, type CheckRow } from './expect.js';
import type { JunitSuite } from './junit.js';

export type ScenarioRunner = (scenario: ResolvedScenario) => Promise<{ readonly summary: ScenarioSummary }>;

export interface CheckOptions {
  /** Record the results as the new baselines instead of comparing. */
  readonly updateBaseline?: boolean;
  /** Relative tolerance of baseline comparisons (0.05 = 5%). */
  readonly baselineTolerance?: number;
  /** Called before each scenario runs. */
  readonly onScenario?: (scenario: ResolvedScenario, index: number, total: number) => void;
  /**
   * Called once before the first run with every scenario that will run; returns the runner
   * to use for them (e.g. one that started them all in one pool). Default: `run`.
   */
  readonly onPlanned?: (scenarios: readonly ResolvedScenario[]) => ScenarioRunner | void;
}

export interface ScenarioCheck {
  readonly scenario: string;
  readonly file: string;
  /** Expectation rows, then one baseline row when a baseline was compared. */
  readonly rows: readonly CheckRow[];
  /** Baseline comparisons that failed (all of them are in `rows` as one summary row). */
  readonly baselineDiffs: readonly BaselineDiff[];
  /** The baseline file written (with updateBaseline). */
  readonly baselineWritten?: string;
  /** Not run: no expectations and no baseline, so nothing to check (figure scenarios). */
  readonly skipped?: boolean;
}

export interface CheckReport {
  readonly scenarios: readonly ScenarioCheck[];
  /** Scenarios not run because they have nothing to check. */
  readonly skipped: number;
  readonly passed: number;
  readonly failed: number;
  readonly knownGaps: number;
}

const SCENARIO_EXTENSIONS = /\.ya?ml$/;

/** Scenario files under `paths` (files as given; folders searched recursively for *.yaml / *.yml), sorted, without duplicates. */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'baselines') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && SCENARIO_EXTENSIONS.test(entry.name)) files.push(path);
    }
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new InputError('no such scenario file or folder', { file: path, expected: 'a scenario file or a folder of them', found: 'nothing at that path' });
    }
    if (isDirectory) {
      const before = files.length;
      walk(path);
      if (files.length === before) throw new InputError('no scenario files in the folder', { file: path, expected: '*.yaml or *.yml files', found: 'none' });
    } else {
      files.push(path);
    }
  }
  return [...new Set(files)];
}

/** Loads every file first: one bad file is an InputError before anything runs. Two scenarios of one folder may not share a name (their baselines would collide). */
export function loadScenarios(files: readonly string[], options: LoadScenarioOptions = {}): ResolvedScenario[] {
  const shared = { ...options, catalog: options.catalog ?? newCatalog() };
  const scenarios = files.map((file) => loadScenario(file, shared));
  const byBaseline = new Map<string, ResolvedScenario>();
  for (const scenario of scenarios) {
    const key = baselinePath(scenario);
    const other = byBaseline.get(key);
    if (other !== undefined) {
      throw new InputError(`scenario name \`${scenario.name}\` is also used by ${other.file}`, {
        file: scenario.file,
        path: 'name',
        expected: 'a name unique within its folder',
        found: `\`${scenario.name}\``,
      });
    }
    byBaseline.set(key, scenario);
  }
  return scenarios;
}

function baselineRow(scenario: ResolvedScenario, baseline: Baseline, diffs: readonly BaselineDiff[], tolerance: number): CheckRow {
  const failing = diffs.filter((d) => !d.passed);
  const sameSeeds = baseline.seeds.length === scenario.seeds.length && baseline.seeds.every((seed, i) => seed === scenario.seeds[i]);
  const seedNote = sameSeeds ? '' : ` (recorded with seeds ${baseline.seeds.join(',')}, now ${scenario.seeds.join(',')})`;
  const shown = failing.slice(0, 3).map(describeDiff).join('; ');
  const changes = diffs.map((d) => (d.now === undefined ? Number.NaN : Math.abs(d.changePct) / 100));
  const largest = changes.some((c) => !Number.isFinite(c)) ? null : changes.reduce((max, c) => Math.max(max, c), 0);
  return {
    scenario: scenario.name,
    file: scenario.file,
    expectation: 'results match the recorded baseline',
    expected: `every metric within ±${formatValue(tolerance * 100)}% of ${relative(process.cwd(), baselinePath(scenario)) || baselinePath(scenario)}${seedNote}`,
    got: failing.length === 0 ? `all ${diffs.length} values within` : `${failing.length} of ${diffs.length} values changed: ${shown}${failing.length > 3 ? '; ...' : ''}`,
    // In numbers: the largest relative change against the tolerance.
    observed: largest,
    limit: tolerance,
    margin: largest === null ? null : tolerance - largest,
    passed: failing.length === 0,
  };
}

/** Runs and checks each scenario in order. */
export async function runChecks(scenarios: readonly ResolvedScenario[], run: ScenarioRunner, options: CheckOptions = {}): Promise<CheckReport> {
  const tolerance = options.baselineTolerance ?? DEFAULT_BASELINE_TOLERANCE;
  const checks: ScenarioCheck[] = [];
  const baselines: (Baseline | undefined)[] = [];
  for (const scenario of scenarios) baselines.push(options.updateBaseline === true ? undefined : await readBaseline(scenario));
  const runs = (scenario: ResolvedScenario, index: number): boolean => scenario.expectations.length > 0 || baselines[index] !== undefined || options.updateBaseline === true;
  run = options.onPlanned?.(scenarios.filter(runs)) ?? run;
  for (const [index, scenario] of scenarios.entries()) {
    const baseline = baselines[index];
    if (!runs(scenario, index)) {
      checks.push({ scenario: scenario.name, file: scenario.file, rows: [], baselineDiffs: [], skipped: true });
      continue;
    }
    options.onScenario?.(scenario, index, scenarios.length);
    const { summary } = await run(scenario);
    const rows = evaluateExpectations(scenario, summary);
    let diffs: BaselineDiff[] = [];
    let written: string | undefined;
    if (options.updateBaseline === true) {
      written = await writeBaseline(scenario, summary);
    } else {
      if (baseline !== undefined) {
        const all = compareBaseline(baseline, summary, tolerance);
        diffs = all.filter((d) => !d.passed);
        rows.push(baselineRow(scenario, baseline, all, tolerance));
      }
    }
    checks.push({ scenario: scenario.name, file: scenario.file, rows, baselineDiffs: diffs, ...(written === undefined ? {} : { baselineWritten: written }) });
  }
  const rows = checks.flatMap((c) => c.rows);
  return {
    scenarios: checks,
    skipped: checks.filter((c) => c.skipped === true).length,
    passed: rows.filter((r) => r.passed && r.knownGap === undefined).length,
    failed: rows.filter((r) => !r.passed && r.knownGap === undefined).length,
    knownGaps: rows.filter((r) => r.knownGap !== undefined).length,
  };
}

export function reportHolds(report: CheckReport): boolean {
  return report.scenarios.every((s) => rowsHold(s.rows));
}

/** What a JUnit suite records about a scenario's inputs: seeds, the locksim version, and each model by content hash. */
export function scenarioProperties(scenario: ResolvedScenario, version: string): [string, string][] {
  const properties: [string, string][] = [['seeds', scenario.seeds.join(',')], ['locksim.version', version]];
  for (const [hash, machine] of Object.entries(scenario.models.machines).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) properties.push([`model.machine.${machine.name}`, hash]);
  for (const [hash, launch] of Object.entries(scenario.models.launch).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    properties.push([`model.launch.${launch.kernel.name}+${launch.node.name}+${launch.runtime.name}`, hash]);
  }
  return properties;
}

/** The report as JUnit suites; `scenarios` (by file) and `timesS` (by file) add properties and wall times when known. */
export function junitSuites(report: CheckReport, options: { scenarios?: ReadonlyMap<string, ResolvedScenario>; timesS?: ReadonlyMap<string, number>; version?: string } = {}): JunitSuite[] {
  return report.scenarios.map((s) => {
    const scenario = options.scenarios?.get(s.file);
    return {
      name: s.scenario,
      file: s.file,
      rows: s.rows,
      ...(options.timesS?.has(s.file) === true ? { timeS: options.timesS.get(s.file) } : {}),
      ...(scenario === undefined ? {} : { properties: scenarioProperties(scenario, options.version ?? 'unknown') }),
    };
  });
}

export function rowStatus(row: CheckRow): string {
  if (row.knownGap !== undefined) return row.passed ? 'known gap (holds)' : 'known gap';
  return row.passed ? 'ok' : 'FAIL';
}

/** Table header and cells for the CLI's table printer. */
export function checkTable(report: CheckReport, options: { quiet?: boolean } = {}): { header: string[]; rows: string[][] } {
  const rows = report.scenarios.flatMap((s) => s.rows.filter((row) => options.quiet !== true || (!row.passed && row.knownGap === undefined)));
  return {
    header: ['scenario', 'assertion', 'expected', 'got', ''],
    rows: rows.map((row) => [row.scenario, row.expectation, row.expected, row.got, rowStatus(row)]),
  };
}

/** Baseline diffs as table cells (metric, point, baseline, now, change), largest change first, at most `limit` rows. */
export function diffTable(report: CheckReport, limit = 30): { header: string[]; rows: string[][]; omitted: number } {
  const magnitude = (d: BaselineDiff): number => (d.now === undefined || Number.isNaN(d.changePct) ? Infinity : Math.abs(d.changePct));
  const diffs = report.scenarios.flatMap((s) => s.baselineDiffs).sort((a, b) => magnitude(b) - magnitude(a));
  return {
    header: ['scenario', 'metric', 'point', 'baseline', 'now', 'change'],
    rows: diffs.slice(0, limit).map((d) => [d.scenario, d.metric, d.point, formatValue(d.baseline), formatValue(d.now), formatChange(d)]),
    omitted: Math.max(0, diffs.length - limit),
  };
}

/** `12 hold, 1 failed, 2 known gaps in 5 scenarios`. */
export function checkSummaryLine(report: CheckReport): string {
  const parts = [`${report.passed} hold`, `${report.failed} failed`];
  if (report.knownGaps > 0) parts.push(`${report.knownGaps} known gap${report.knownGaps === 1 ? '' : 's'}`);
  const checked = report.scenarios.length - report.skipped;
  let line = `${parts.join(', ')} in ${checked} scenario${checked === 1 ? '' : 's'}`;
  if (report.skipped > 0) line += ` (${report.skipped} without expectations or baseline not run)`;
  return line;
}
