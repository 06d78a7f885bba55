/**
 * Which hardware mechanism carries each family difference. For a pair of
 * machines (a, b) at one launch point, the difference is
 *
 *   diff = p50(a) - p50(b)
 *
 * with every mechanism on, and again with one mechanism off on both
 * machines (same seeds: common random numbers). A mechanism's share of the
 * difference is
 *
 *   share = (diff_full - diff_off) / diff_full
 *
 * the part of the gap that goes away without it. Shares are not additive:
 * mechanisms feed each other (a longer section gathers more spinners).
 *
 * Then the flags: each uncertain machine value (home occupancy, fan-out
 * read, SMT slowdowns, misses in flight, DRAM latency) is moved to the low
 * and to the high end of each family's own range, on both machines at once.
 * A difference that changes sign, or shrinks below half of itself, at one
 * end of one value whose basis is an estimate or a calibration "rests on"
 * that value: a planner should not buy on it until the value is measured.
 * (A difference that grows does not: the ranking holds either way.)
 *
 * `pairTable` is pure over summaries (tested with hand-made ones); the
 * runner loads every variant first, then runs them through one executor.
 */
import { InputError } from '../input/errors.js';
import type { PointSummary, ScenarioSummary } from '../analysis/summary.js';
import { loadScenario, newCatalog, startScenarios } from '../pipeline.js';
import type { ResolvedScenario } from '../scenario/types.js';
import type { StudyRunOptions } from './ablation.js';
import { HARDWARE_MECHANISMS, type MechanismName } from '../launch/index.js';
import { MACHINE_PARAMETER_NAMES, type Basis, type MachineModel, type MachineParameterName } from '../topology/index.js';

/** Two machines to compare: `a` minus `b`. */
export interface MachinePair {
  readonly label: string;
  readonly a: string;
  readonly b: string;
}

/** The pairs the issue names: across families, across sizes, and HT both ways. */
export const DEFAULT_PAIRS: readonly MachinePair[] = [
  { label: 'r5 vs m7i', a: 'r5.metal', b: 'm7i.metal-24xl' },
  { label: 'm7i vs m7a', a: 'm7i.metal-24xl', b: 'm7a.24xlarge' },
  { label: '48xl vs 24xl', a: 'm7i.metal-48xl', b: 'm7i.metal-24xl' },
  { label: 'HT on vs off (nosmt)', a: 'm7i.metal-24xl', b: 'm7i.metal-24xl+nosmt' },
  { label: 'HT on vs off (CPU options)', a: 'm7i.metal-24xl', b: 'm7i.metal-24xl+ht-off' },
];

/** The metric a pair compares. */
export const PAIR_METRIC = 'p50LatencyS';

/** Bases that make a value uncertain enough to flag a difference resting on it. */
const UNCERTAIN_BASES: readonly Basis[] = ['estimate', 'calibrated'];

/** One variant's value of the metric on each machine of a pair. */
export interface PairValues {
  readonly a: number;
  readonly b: number;
  readonly diff: number;
}

export interface MechanismShare extends PairValues {
  readonly mechanism: MechanismName;
  /** (diff_full - diff_off) / diff_full; absent when the full difference is zero. */
  readonly share?: number;
}

export interface ParameterTrialDiff extends PairValues {
  readonly parameter: MachineParameterName;
  readonly point: 'low' | 'high';
  /** The parameter's basis on machine a and b (absent where the machine has no such value). */
  readonly basisA?: Basis;
  readonly basisB?: Basis;
  /** The difference changed sign, or shrank below half of itself. */
  readonly weakens: boolean;
}

export interface PairRow {
  readonly pair: MachinePair;
  readonly full: PairValues;
  readonly mechanisms: readonly MechanismShare[];
  readonly trials: readonly ParameterTrialDiff[];
  /** Uncertain values (estimate or calibrated on either machine) whose range alone weakens the difference. */
  readonly restsOn: readonly MachineParameterName[];
}

/** A variant's summary: every mechanism on (`mechanism` absent), one off, or one machine value at a range end. */
export interface PairVariant {
  readonly mechanism?: MechanismName;
  readonly parameter?: { readonly name: MachineParameterName; readonly point: 'low' | 'high' };
  readonly summary: ScenarioSummary;
}

function valueOf(summary: ScenarioSummary, machine: string): number {
  const point: PointSummary | undefined = summary.points.find((p) => p.machine === machine);
  if (point === undefined) throw new Error(`pairs: no point for machine ${machine} in ${summary.scenario}`);
  return point.metrics[PAIR_METRIC]?.mean ?? NaN;
}

function values(summary: ScenarioSummary, pair: MachinePair): PairValues {
  const a = valueOf(summary, pair.a);
  const b = valueOf(summary, pair.b);
  return { a, b, diff: a - b };
}

/** The difference weakened: it changed sign, or shrank below half of itself. */
export function differenceWeakens(full: number, trial: number): boolean {
  if (!Number.isFinite(full) || !Number.isFinite(trial)) return full !== trial;
  if (Math.sign(full) !== Math.sign(trial)) return true;
  return Math.abs(trial) < 0.5 * Math.abs(full);
}

/**
 * The table, pure: per pair its full difference, each mechanism's share, and
 * the machine values its difference rests on. `bases` gives a machine's
 * basis for a parameter (undefined where it has none).
 */
export function pairTable(
  pairs: readonly MachinePair[],
  variants: readonly PairVariant[],
  bases: (machine: string, parameter: MachineParameterName) => Basis | undefined,
): PairRow[] {
  const baseline = variants.find((v) => v.mechanism === undefined && v.parameter === undefined);
  if (baseline === undefined) throw new Error('pairs: no baseline among the variants');
  return pairs.map((pair) => {
    const full = values(baseline.summary, pair);
    const mechanisms = variants
      .filter((v) => v.mechanism !== undefined)
      .map((v): MechanismShare => {
        const off = values(v.summary, pair);
        const share = (full.diff - off.diff) / full.diff;
        return { mechanism: v.mechanism!, ...off, ...(Number.isFinite(share) && full.diff !== 0 ? { share } : {}) };
      });
    const trials = variants
      .filter((v) => v.parameter !== undefined)
      .map((v): ParameterTrialDiff => {
        const trial = values(v.summary, pair);
        const { name, point } = v.parameter!;
        const basisA = bases(pair.a, name);
        const basisB = bases(pair.b, name);
        return { parameter: name, point, ...trial, ...(basisA === undefined ? {} : { basisA }), ...(basisB === undefined ? {} : { basisB }), weakens: differenceWeakens(full.diff, trial.diff) };
      });
    const uncertain = (t: ParameterTrialDiff): boolean => [t.basisA, t.basisB].some((basis) => basis !== undefined && UNCERTAIN_BASES.includes(basis));
    const restsOn = [...new Set(trials.filter((t) => t.weakens && uncertain(t)).map((t) => t.parameter))];
    return { pair, full, mechanisms, trials, restsOn };
  });
}

/** `a:b` entries -> pairs (label "a vs b"), checked for shape. */
export function parsePairs(entries: readonly string[] | undefined): MachinePair[] {
  const texts = (entries ?? []).flatMap((entry) => entry.split(',')).map((text) => text.trim()).filter((text) => text !== '');
  if (texts.length === 0) return [...DEFAULT_PAIRS];
  return texts.map((text) => {
    const parts = text.split(':');
    if (parts.length !== 2 || parts[0].trim() === '' || parts[1].trim() === '') {
      throw new InputError('a pair is written A:B', { file: '--pair', expected: 'two machines separated by a colon, e.g. r5.metal:m7i.metal-24xl', found: JSON.stringify(text) });
    }
    const [a, b] = parts.map((part) => part.trim());
    return { label: `${a} vs ${b}`, a, b };
  });
}

export interface PairRunOptions extends StudyRunOptions {
  readonly pairs?: readonly MachinePair[];
  /** Mechanisms to switch off in turn (default the hardware ones). */
  readonly mechanisms?: readonly MechanismName[];
  /** Move each uncertain machine value to its range ends (default true). */
  readonly flags?: boolean;
}

export interface PairStudy {
  readonly scenario: ResolvedScenario;
  readonly pairs: readonly MachinePair[];
  readonly rows: readonly PairRow[];
  readonly seeds: number;
}

/** Runs the baseline, each mechanism off and each machine value at its range ends, for every machine of the pairs. */
export async function runPairs(file: string, options: PairRunOptions = {}): Promise<PairStudy> {
  const catalog = options.catalog ?? newCatalog();
  const pairs = options.pairs ?? DEFAULT_PAIRS;
  const machines = [...new Set(pairs.flatMap((pair) => [pair.a, pair.b]))];
  const base = [`sweep.machine=[${machines.join(', ')}]`, ...(options.set ?? [])];
  const load = (set: readonly string[]): ResolvedScenario => loadScenario(file, { set: [...base, ...set], catalog, ...(options.seeds === undefined ? {} : { seeds: options.seeds }) });
  const scenario = load([]);
  if (scenario.kind !== 'launch') {
    throw new InputError('a pair study compares launch storms, and this is not a launch scenario', { file: scenario.file, path: 'kind', expected: 'a launch scenario (kind: launch)', found: `\`${scenario.kind}\`` });
  }
  const planned: { variant: Omit<PairVariant, 'summary'>; scenario: ResolvedScenario }[] = [{ variant: {}, scenario }];
  for (const mechanism of options.mechanisms ?? HARDWARE_MECHANISMS) planned.push({ variant: { mechanism }, scenario: load([`mechanisms.${mechanism}=false`]) });
  const models = new Map<string, MachineModel>();
  for (const point of scenario.points) models.set(String(point.coordinates.machine), scenario.models.machines[point.spec.machineModel]);
  if (options.flags !== false) {
    for (const name of MACHINE_PARAMETER_NAMES) {
      // A value no machine of the study has is skipped; one some lack moves only where it exists.
      if (!machines.some((machine) => models.get(machine)?.parameters[name] !== undefined)) continue;
      for (const point of ['low', 'high'] as const) planned.push({ variant: { parameter: { name, point } }, scenario: load([`machineParameters.${name}=${point}`]) });
    }
  }
  await options.onLoaded?.(scenario);
  const run = options.run ?? startScenarios(planned.map((p) => p.scenario), { executor: options.executor, onProgress: options.onProgress });
  const variants: PairVariant[] = [];
  for (const entry of planned) variants.push({ ...entry.variant, summary: (await run(entry.scenario)).summary });
  const bases = (machine: string, parameter: MachineParameterName): Basis | undefined => models.get(machine)?.parameters[parameter]?.basis;
  return { scenario, pairs, rows: pairTable(pairs, variants, bases), seeds: scenario.seeds.length };
}
