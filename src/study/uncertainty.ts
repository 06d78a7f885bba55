/**
 * `locksim uncertainty SCENARIO`: how much of the stated parameter space a
 * scenario's conclusions hold in. The conclusions are the scenario's own
 * `expect:` entries (an ordering of families, an HT gain, the effect of a
 * fix, the largest concurrency under a deadline, ...); the space is every
 * uncertain kernel and node parameter over the range its model file states
 * and every machine file's uncertain value as a fraction of each family's
 * own range (src/study/parameter-space.ts).
 *
 * The design: a Latin hypercube of `samples` points over that space (a named
 * seeded stream), each run with the same seeds (common random numbers, so
 * the spread is the parameters', not the seeds'), plus one run at the models
 * as they are. Per conclusion: the share of samples in which it holds; an
 * interval (5th to 95th percentile over the samples, type-7 quantiles) on
 * its figure (the value the comparison reads) and on its margin (how far
 * inside its limit, negative outside); and the parameter most associated
 * with the margin (Spearman rank correlation over the samples).
 *
 * `summarizeUncertainty` is pure; the runner only loads each sample's
 * scenarios with its `--set` entries, runs them and evaluates their
 * expectations.
 */
import { InputError } from '../input/errors.js';
import type { ModelCatalog } from '../input/catalog.js';
import { evaluateExpectations, type CheckRow } from '../check/expect.js';
import { findScenarioFiles } from '../check/run.js';
import { loadScenario, newCatalog, startScenarios } from '../pipeline.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { workloadKind } from '../workloads/registry.js';
import { LAUNCH_DEFAULTS } from '../workloads/launch/index.js';
import { modelParameters } from '../models/load.js';
import type { ModelParameter } from '../models/types.js';
import { latinHypercube, machineSpaceParameter, modelSpaceParameter, uncertainModelParameters, type SpaceParameter } from './parameter-space.js';
import { sweptMachineParameters, sweptParameters } from './sensitivity.js';
import type { StudyRunOptions } from './ablation.js';

export const UNCERTAINTY_DEFAULTS = { samples: 16, lhsSeed: 'uncertainty', lower: 0.05, upper: 0.95 } as const;

export const UNCERTAINTY_METHOD =
  'Latin hypercube over every uncertain kernel and node parameter, calibrated or estimated (its stated range; geometric over a decade or more) and every machine file\'s uncertain value (a fraction of each family\'s own range), the same seeds in every sample (common random numbers); per conclusion: the share of samples it holds in, and the 5th-95th percentile of its figure and margin over the samples';

/** A scenario's expectation, the same one in every sample. */
export interface ConclusionKey {
  readonly scenario: string;
  readonly file?: string;
  readonly line?: number;
  readonly expectation: string;
  readonly knownGap?: string;
}

/** What the pure summary reads: the parameters, the run at the models as they are, and each sample's rows (the same expectations, in order). */
export interface UncertaintyInput {
  readonly parameters: readonly string[];
  readonly defaults: readonly CheckRow[];
  readonly samples: readonly { readonly unit: readonly number[]; readonly rows: readonly CheckRow[] }[];
}

export interface Interval {
  readonly low: number;
  readonly median: number;
  readonly high: number;
}

export interface ConclusionSummary extends ConclusionKey {
  readonly holdsAtDefaults: boolean;
  readonly figureAtDefaults: number | null;
  readonly gotAtDefaults: string;
  /** Samples in which it held, of those run. */
  readonly holds: number;
  readonly samples: number;
  readonly holdsFraction: number;
  /** Over the samples with a figure (absent when none had one). */
  readonly figure?: Interval;
  readonly margin?: Interval;
  /** The parameter whose place in its range ranks most with the margin, when any correlation is defined. */
  readonly driver?: { readonly parameter: string; readonly rho: number };
}

/** Type-7 quantile of sorted values (linear between order statistics, as R's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

function interval(values: readonly (number | null | undefined)[]): Interval | undefined {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  return { low: quantile(finite, UNCERTAINTY_DEFAULTS.lower), median: quantile(finite, 0.5), high: quantile(finite, UNCERTAINTY_DEFAULTS.upper) };
}

/** Ranks with ties averaged (1-based). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length).fill(0);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let k = i; k <= j; k++) result[order[k].index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

/** Spearman's rank correlation; NaN when either side is constant or fewer than 3 pairs. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length < 3 || x.length !== y.length) return Number.NaN;
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Per conclusion: how often it holds, and the intervals on its figure and margin. */
export function summarizeUncertainty(input: UncertaintyInput): ConclusionSummary[] {
  return input.defaults.map((row, c): ConclusionSummary => {
    const rows = input.samples.map((sample) => sample.rows[c]);
    for (const other of rows) {
      if (other === undefined || other.expectation !== row.expectation || other.scenario !== row.scenario) throw new Error(`sample rows do not line up with the defaults at ${row.scenario}: ${row.expectation}`);
    }
    const holds = rows.filter((r) => r.passed).length;
    const withMargin = input.samples.map((sample, s) => ({ unit: sample.unit, margin: rows[s].margin })).filter((x): x is { unit: readonly number[]; margin: number } => typeof x.margin === 'number' && Number.isFinite(x.margin));
    let driver: ConclusionSummary['driver'];
    input.parameters.forEach((parameter, p) => {
      const rho = spearman(withMargin.map((x) => x.unit[p]), withMargin.map((x) => x.margin));
      if (Number.isFinite(rho) && (driver === undefined || Math.abs(rho) > Math.abs(driver.rho))) driver = { parameter, rho };
    });
    const figure = interval(rows.map((r) => r.observed));
    const margin = interval(rows.map((r) => r.margin));
    return {
      scenario: row.scenario,
      ...(row.file === undefined ? {} : { file: row.file }),
      ...(row.line === undefined ? {} : { line: row.line }),
      expectation: row.expectation,
      ...(row.knownGap === undefined ? {} : { knownGap: row.knownGap }),
      holdsAtDefaults: row.passed,
      figureAtDefaults: typeof row.observed === 'number' ? row.observed : null,
      gotAtDefaults: row.got,
      holds,
      samples: rows.length,
      holdsFraction: rows.length === 0 ? Number.NaN : holds / rows.length,
      ...(figure === undefined ? {} : { figure }),
      ...(margin === undefined ? {} : { margin }),
      ...(driver === undefined ? {} : { driver }),
    };
  });
}

export interface UncertaintyOptions extends Omit<StudyRunOptions, 'set' | 'onLoaded'> {
  /** Scenario files or folders (their .yaml files); each needs `expect:` entries. */
  readonly paths: readonly string[];
  readonly samples?: number;
  /** Parameters to vary (names, or machine.NAME; default: every uncertain kernel and node parameter, calibrated or an estimate, and every machine value). */
  readonly parameters?: readonly string[];
  /** Overrides applied to every run, before the sample's. */
  readonly set?: readonly string[];
  readonly lhsSeed?: string;
}

/** One sample: where it sits, the values it set, and its rows. */
export interface UncertaintySample {
  readonly index: number;
  readonly unit: readonly number[];
  /** Each parameter's value as written (`5 us`, `at 0.3 of each range`). */
  readonly values: readonly string[];
  readonly rows: readonly CheckRow[];
}

export interface UncertaintyStudy {
  /** Per scenario: the samples in which every one of its conclusions holds (a target as a whole). */
  readonly scenarios: readonly { readonly name: string; readonly file: string; readonly allHold: number; readonly samples: number }[];
  readonly parameters: readonly { readonly name: string; readonly range: string; readonly machine: boolean }[];
  readonly sampleCount: number;
  readonly seeds: number | 'files';
  readonly lhsSeed: string;
  readonly method: string;
  readonly samples: readonly UncertaintySample[];
  readonly conclusions: readonly ConclusionSummary[];
}

function hasModelParameters(scenario: ResolvedScenario): boolean {
  const properties = (workloadKind(scenario.kind).schema as { properties?: Record<string, unknown> }).properties ?? {};
  return 'parameters' in properties;
}

/** The space: uncertain model parameters (launch scenarios' kernel and node), then machine values. */
function studySpace(catalog: ModelCatalog, scenarios: readonly ResolvedScenario[], only?: readonly string[]): SpaceParameter[] {
  const launch = scenarios.find(hasModelParameters);
  const spec = launch?.points[0]?.spec as { kernel?: string; node?: string } | undefined;
  const names = { kernel: spec?.kernel ?? LAUNCH_DEFAULTS.kernel, node: spec?.node ?? LAUNCH_DEFAULTS.node };
  const model = launch === undefined ? [] : studiedModelParameters(catalog, names, only).map(modelSpaceParameter);
  return [...model, ...sweptMachineParameters(only).map(machineSpaceParameter)];
}

/** A sourced value that its source calls an estimate: uncertain like a calibrated one, though no target set it. */
export function isEstimate(parameter: ModelParameter): boolean {
  return !parameter.calibrated && /^source: estimate\b/i.test(parameter.provenance);
}

/**
 * The kernel and node parameters a study varies: the named ones, else every
 * calibrated parameter and every estimate, each with a range wider than a point.
 */
export function studiedModelParameters(catalog: ModelCatalog, names: { kernel: string; node: string }, only?: readonly string[]): ModelParameter[] {
  const chosen = (only ?? []).length > 0 ? sweptParameters(catalog, names, only) : [...modelParameters(catalog, names).values()].filter((p) => p.calibrated || isEstimate(p));
  return uncertainModelParameters(chosen);
}

/**
 * `samples` Latin hypercube samples over the uncertain parameters of a kernel
 * and node (and every machine value), each as the `--set` entries that apply
 * it to a launch scenario: what `plan --uncertainty N` runs its search in.
 */
export function latinSampleSets(catalog: ModelCatalog, names: { kernel: string; node: string }, samples: number, seed: string = UNCERTAINTY_DEFAULTS.lhsSeed): { parameters: string[]; sets: string[][] } {
  const space = [...studiedModelParameters(catalog, names).map(modelSpaceParameter), ...sweptMachineParameters().map(machineSpaceParameter)];
  const sets = latinHypercube(samples, space.length, seed).map((unit) => space.map((p, i) => p.set(p.fromUnit(unit[i]))));
  return { parameters: space.map((p) => p.name), sets };
}

/** Loads every sample's scenarios, runs them all at once, and summarises. */
export async function runUncertainty(options: UncertaintyOptions): Promise<UncertaintyStudy> {
  const catalog = options.catalog ?? newCatalog();
  const samples = options.samples ?? UNCERTAINTY_DEFAULTS.samples;
  if (!Number.isInteger(samples) || samples < 2 || samples > 10_000) throw new InputError('invalid --samples', { file: '--samples', expected: 'a whole number of samples, 2-10000', found: String(samples) });
  const lhsSeed = options.lhsSeed ?? UNCERTAINTY_DEFAULTS.lhsSeed;
  const set = options.set ?? [];
  const load = (file: string, extra: readonly string[]): ResolvedScenario => loadScenario(file, { set: [...set, ...extra], ...(options.seeds === undefined ? {} : { seeds: options.seeds }), catalog });

  const files = findScenarioFiles(options.paths);
  const defaults = files.map((file) => load(file, []));
  const withConclusions = defaults.filter((scenario) => scenario.expectations.length > 0);
  if (withConclusions.length === 0) {
    throw new InputError('no conclusions to test', { file: options.paths.join(', '), expected: 'a scenario with `expect:` entries (the conclusions it draws)', found: 'none' });
  }
  const space = studySpace(catalog, withConclusions, options.parameters);
  if (space.length === 0) throw new InputError('no uncertain parameter to vary', { file: '--parameters', expected: 'a parameter whose range is not a single value', found: 'none' });
  const design = latinHypercube(samples, space.length, lhsSeed);
  const planned = design.map((unit, index) => {
    const values = space.map((p, i) => p.fromUnit(unit[i]));
    const scenarios = withConclusions.map((scenario) => {
      // A pause-bench scenario reads no kernel or node parameter: only the machine values reach it.
      const entries = space.flatMap((p, i) => (p.machine || hasModelParameters(scenario) ? [p.set(values[i])] : []));
      return load(scenario.file, entries);
    });
    return { index, unit: space.map((p, i) => p.toUnit(values[i])), values: space.map((p, i) => p.format(values[i])), scenarios };
  });

  const run = options.run ?? startScenarios([...withConclusions, ...planned.flatMap((sample) => sample.scenarios)], { executor: options.executor, onProgress: options.onProgress });
  const evaluate = async (scenario: ResolvedScenario): Promise<CheckRow[]> => evaluateExpectations(scenario, (await run(scenario)).summary);
  const defaultRows: CheckRow[] = [];
  for (const scenario of withConclusions) defaultRows.push(...(await evaluate(scenario)));
  const sampleResults: UncertaintySample[] = [];
  for (const sample of planned) {
    const rows: CheckRow[] = [];
    for (const scenario of sample.scenarios) rows.push(...(await evaluate(scenario)));
    sampleResults.push({ index: sample.index, unit: sample.unit, values: sample.values, rows });
  }
  const conclusions = summarizeUncertainty({ parameters: space.map((p) => p.name), defaults: defaultRows, samples: sampleResults });
  return {
    scenarios: withConclusions.map((scenario) => ({
      name: scenario.name,
      file: scenario.file,
      allHold: sampleResults.filter((sample) => sample.rows.filter((row) => row.scenario === scenario.name).every((row) => row.passed)).length,
      samples: sampleResults.length,
    })),
    parameters: space.map((p) => ({ name: p.name, machine: p.machine, range: p.machine ? 'each family\'s own range' : `${p.format(p.range[0])} .. ${p.format(p.range[1])}` })),
    sampleCount: samples,
    seeds: options.seeds ?? 'files',
    lhsSeed,
    method: UNCERTAINTY_METHOD,
    samples: sampleResults,
    conclusions,
  };
}
