/**
 * Evaluates a scenario's `expect:` block against its summary: one CheckRow
 * per expectation, with what was expected and what came out, in words a CI
 * log reader can act on. Pure: no I/O, no simulation.
 *
 * An expectation selecting several points holds only if it holds at each;
 * `over: every-seed` also requires it at each seed. A metric target compares
 * with the paired point (bound by the loader) at the same seed. Known gaps are
 * evaluated like the rest; only the caller's verdict ignores them.
 */
import type { Estimate, PointSummary, ScenarioSummary } from '../analysis/summary.js';
import type { Expectation, ResolvedScenario } from '../scenario/types.js';

export interface CheckRow {
  readonly scenario: string;
  /** The scenario file, when known. */
  readonly file?: string;
  /** Line of the expectation in the file, when known. */
  readonly line?: number;
  /** The expectation in words, e.g. `failureRate @ machine=r5.metal, containers=60 < 0.05`. */
  readonly expectation: string;
  readonly expected: string;
  readonly got: string;
  /** The deciding comparison (the one with the least margin) in numbers: the value seen, ... */
  readonly observed?: number | null;
  /** ... the limit it was held to (a number, or [low, high] for `between`; tolerance not included), ... */
  readonly limit?: number | readonly [number, number] | null;
  /** ... and how far inside the limit it is, tolerance included, in the metric's unit (negative: outside; null: missing). */
  readonly margin?: number | null;
  readonly passed: boolean;
  /** Set for a known gap: reported, never fails the check. */
  readonly knownGap?: string;
}

type Coordinates = Readonly<Record<string, string | number | boolean>>;

/** One comparison: a point (and seed, for every-seed) against its target. */
interface Comparison {
  readonly label: string;
  readonly value: number | undefined;
  readonly target: number | readonly [number, number] | undefined;
  readonly passed: boolean;
}

/** Numbers as people read them: integers whole, others to 4 significant digits. */
export function formatValue(value: number | undefined): string {
  if (value === undefined) return 'missing';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

export function holds(op: Expectation['op'], value: number, target: number | readonly [number, number], tolerance: number): boolean {
  if (Number.isNaN(value)) return false;
  if (Array.isArray(target)) return value >= target[0] - tolerance && value <= target[1] + tolerance;
  const t = target as number;
  if (Number.isNaN(t)) return false;
  switch (op) {
    case '<':
      return value < t + tolerance;
    case '<=':
      return value <= t + tolerance;
    case '>':
      return value > t - tolerance;
    case '>=':
      return value >= t - tolerance;
    case '==':
      return value === t || Math.abs(value - t) <= tolerance;
    case 'between':
      return false;
  }
}

/** How far `value` is inside the limit, tolerance included (negative when outside). */
export function marginOf(op: Expectation['op'], value: number, target: number | readonly [number, number], tolerance: number): number {
  if (Array.isArray(target)) return Math.min(value - (target[0] - tolerance), target[1] + tolerance - value);
  const t = target as number;
  switch (op) {
    case '<':
    case '<=':
      return t + tolerance - value;
    case '>':
    case '>=':
      return value - (t - tolerance);
    case '==':
      return tolerance - Math.abs(value - t);
    case 'between':
      return Number.NaN;
  }
}

function finiteOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** The comparison that decides the row: the first without a value, else the one with the least margin. */
function decidingComparison(comparisons: readonly Comparison[], expectation: Expectation): { observed: number | null; limit: number | readonly [number, number] | null; margin: number | null } {
  let worst: { observed: number | null; limit: number | readonly [number, number] | null; margin: number | null } | undefined;
  for (const c of comparisons) {
    const limit = c.target === undefined ? null : Array.isArray(c.target) ? ([c.target[0], c.target[1]] as const) : finiteOrNull(c.target as number);
    if (c.value === undefined || c.target === undefined) return { observed: finiteOrNull(c.value), limit, margin: null };
    const margin = marginOf(expectation.op, c.value, c.target, expectation.tolerance);
    if (worst === undefined || !Number.isFinite(margin) || (worst.margin !== null && margin < worst.margin)) worst = { observed: finiteOrNull(c.value), limit, margin: finiteOrNull(margin) };
    if (worst.margin === null) break;
  }
  return worst ?? { observed: null, limit: null, margin: null };
}

function matchesWhere(coordinates: Coordinates, where: Coordinates): boolean {
  return Object.entries(where).every(([key, wanted]) => {
    const actual = coordinates[key];
    // The loader writes a list of accepted values as "a|b".
    return String(wanted)
      .split('|')
      .some((option) => option === String(actual));
  });
}

function label(coordinates: Coordinates, where: Coordinates): string {
  return Object.entries(coordinates)
    .filter(([key]) => !(key in where) || String(where[key]).includes('|'))
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
}

function selectedPoints(expectation: Expectation, scenario: ResolvedScenario): number[] {
  if (expectation.points !== undefined) return [...expectation.points];
  return scenario.points.filter((p) => matchesWhere(p.coordinates, expectation.where)).map((p) => p.index);
}

/** The point compared with `pointIndex`, when the loader did not bind it: same coordinates, overridden by the target's where. */
function pairedPoint(pointIndex: number, target: { readonly where: Coordinates }, scenario: ResolvedScenario): number | undefined {
  const candidates = scenario.points.filter((p) => matchesWhere(p.coordinates, target.where));
  if (candidates.length === 1) return candidates[0].index;
  const own = scenario.points.find((p) => p.index === pointIndex)?.coordinates ?? {};
  const paired = candidates.filter((p) => Object.entries(own).every(([key, value]) => key in target.where || String(p.coordinates[key]) === String(value)));
  return paired.length === 1 ? paired[0].index : undefined;
}

function opWord(op: Expectation['op']): string {
  return op === 'between' ? 'in' : op;
}

function evaluate(expectation: Expectation, scenario: ResolvedScenario, points: ReadonlyMap<number, PointSummary>): CheckRow {
  const selected = selectedPoints(expectation, scenario);
  const everySeed = expectation.over === 'every-seed';
  const comparisons: Comparison[] = [];
  const targetValues: number[] = [];
  selected.forEach((pointIndex, k) => {
    const point = points.get(pointIndex);
    const estimate: Estimate | undefined = point?.metrics[expectation.metric];
    const pointLabel = point === undefined ? `point ${pointIndex}` : label(point.coordinates, expectation.where);
    const targetOf = (seed: number | undefined): number | readonly [number, number] | undefined => {
      const target = expectation.target;
      if (typeof target === 'number' || Array.isArray(target)) return target as number | readonly [number, number];
      const ref = target as { readonly metric: string; readonly where: Coordinates; readonly factor: number };
      const otherIndex = expectation.targetPoints?.[k] ?? pairedPoint(pointIndex, ref, scenario);
      const other = otherIndex === undefined ? undefined : points.get(otherIndex)?.metrics[ref.metric];
      if (other === undefined) return undefined;
      const base = seed === undefined ? other.mean : other.perSeed[seed];
      return base === undefined ? undefined : base * ref.factor;
    };
    const compare = (value: number | undefined, target: number | readonly [number, number] | undefined, seedLabel: string): void => {
      const passed = value !== undefined && target !== undefined && holds(expectation.op, value, target, expectation.tolerance);
      comparisons.push({ label: [pointLabel, seedLabel].filter((s) => s !== '').join(', '), value, target, passed });
      if (typeof target === 'number') targetValues.push(target);
    };
    if (estimate === undefined) {
      compare(undefined, targetOf(undefined), '');
    } else if (everySeed) {
      estimate.perSeed.forEach((value, seed) => compare(value, targetOf(seed), `seed ${scenario.seeds[seed] ?? seed + 1}`));
    } else {
      compare(estimate.mean, targetOf(undefined), '');
    }
  });
  if (comparisons.length === 0) comparisons.push({ label: 'no point', value: undefined, target: undefined, passed: false });
  const passed = comparisons.every((c) => c.passed);
  return {
    scenario: scenario.name,
    file: scenario.file,
    ...(expectation.line === undefined ? {} : { line: expectation.line }),
    expectation: expectation.text,
    expected: describeExpected(expectation, targetValues),
    got: describeGot(comparisons, expectation.target),
    ...decidingComparison(comparisons, expectation),
    passed,
    ...(expectation.knownGap === undefined ? {} : { knownGap: expectation.knownGap }),
  };
}

function describeExpected(expectation: Expectation, targetValues: readonly number[]): string {
  const tolerance = expectation.tolerance > 0 ? ` ± ${formatValue(expectation.tolerance)}` : '';
  const target = expectation.target;
  if (Array.isArray(target)) return `in [${formatValue(target[0])}, ${formatValue(target[1])}]${tolerance}`;
  if (typeof target === 'number') return `${opWord(expectation.op)} ${formatValue(target)}${tolerance}`;
  const ref = target as { readonly metric: string; readonly where: Coordinates; readonly factor: number };
  const where = Object.entries(ref.where)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const distinct = [...new Set(targetValues.map(formatValue))];
  const values = distinct.length === 0 ? '' : distinct.length === 1 ? ` (${distinct[0]})` : ` (${distinct.length} values)`;
  return `${opWord(expectation.op)} ${ref.factor === 1 ? '' : `${formatValue(ref.factor)} x `}${ref.metric}${where === '' ? '' : ` @ ${where}`}${values}${tolerance}`;
}

function describeGot(comparisons: readonly Comparison[], target: Expectation['target']): string {
  const perTarget = typeof target === 'object' && !Array.isArray(target);
  const entry = (c: Comparison): string => {
    const against = perTarget && typeof c.target === 'number' ? ` vs ${formatValue(c.target)}` : '';
    return `${formatValue(c.value)}${against}${c.label === '' ? '' : ` @ ${c.label}`}`;
  };
  if (comparisons.length === 1) return entry(comparisons[0]);
  const failing = comparisons.filter((c) => !c.passed);
  if (failing.length > 0) {
    const shown = failing.slice(0, 3).map(entry).join('; ');
    return `${shown}${failing.length > 3 ? `; ...` : ''} (${failing.length} of ${comparisons.length} fail)`;
  }
  if (comparisons.length <= 2) return comparisons.map(entry).join('; ');
  const values = comparisons.map((c) => c.value as number);
  const what = everySeedLabels(comparisons) ? 'checks' : 'points';
  return `${formatValue(Math.min(...values))} .. ${formatValue(Math.max(...values))} over ${comparisons.length} ${what}`;
}

function everySeedLabels(comparisons: readonly Comparison[]): boolean {
  return comparisons.some((c) => /(^|, )seed /.test(c.label));
}

/** One row per expectation, in file order. */
export function evaluateExpectations(scenario: ResolvedScenario, summary: ScenarioSummary): CheckRow[] {
  const points = new Map(summary.points.map((p) => [p.index, p]));
  return scenario.expectations.map((expectation) => evaluate(expectation, scenario, points));
}

/** The check's verdict: every row passed or is a known gap. */
export function rowsHold(rows: readonly CheckRow[]): boolean {
  return rows.every((row) => row.passed || row.knownGap !== undefined);
}
