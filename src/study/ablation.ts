/**
 * Ablation: what each mechanism beyond the naive model carries. A scenario
 * runs once with every mechanism on (the baseline) and once per mechanism with
 * only that one switched off (`mechanisms.<name>=false`); per sweep point and
 * metric the table gives the baseline value, the value without the mechanism,
 * their difference, and the mechanism's share of the rise above the smallest
 * swept concurrency, as docs/feasibility.md §7 computes it:
 *
 *   share = (full - off) / (full - base)
 *
 * where `base` is the baseline at the smallest `containers` of the same
 * machine (and other coordinates). Shares are not additive: mechanisms feed
 * each other (propagation multiplies the per-CPU sums), so removing two at
 * once does not remove the sum of their shares, and shares may exceed 1 or be
 * negative (a mechanism that spreads starts lowers the median).
 *
 * `ablationTable` is pure over summaries, so it is tested with hand-made ones;
 * `runAblation` loads every variant first (bad input stops before any run),
 * then runs them in order through an injectable runner.
 */
import { InputError } from '../input/errors.js';
import { didYouMean } from '../input/did-you-mean.js';
import type { ScenarioSummary, PointSummary } from '../analysis/summary.js';
import { loadScenario, newCatalog, startScenarios } from '../pipeline.js';
import type { ModelCatalog } from '../input/catalog.js';
import type { Executor } from '../sweep/executor.js';
import type { LaunchPointSpec } from '../workloads/launch/index.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { MECHANISM_NAMES, type MechanismName } from '../launch/index.js';

/** The metrics an ablation reports, as named in point summaries. */
export const ABLATION_METRICS = ['p50LatencyS', 'p99LatencyS', 'failureRate'] as const;
export type AblationMetric = (typeof ABLATION_METRICS)[number];

/** The sweep coordinate whose smallest value is the uncontended base of a share. */
export const CONCURRENCY_KEY = 'containers';

type Coordinates = Readonly<Record<string, string | number | boolean>>;

/** One metric at one point: with everything on, with the mechanism off, and what that says. */
export interface MetricContribution {
  /** Mean over seeds with every mechanism on. */
  readonly full: number;
  /** Mean over seeds with this mechanism off. */
  readonly off: number;
  /** full - off: what the mechanism adds (negative: it lowers the metric). */
  readonly delta: number;
  /** Baseline at the smallest swept concurrency of the same machine and other coordinates, when concurrency is swept. */
  readonly base?: number;
  /** delta / (full - base); absent without a base, or when full - base is zero or not finite. */
  readonly share?: number;
}

/** One sweep point with one mechanism switched off. */
export interface AblationTableRow {
  readonly pointIndex: number;
  readonly coordinates: Coordinates;
  /** Machine as resolved (family plus variant). */
  readonly machine: string;
  /** The point's concurrency, when it is a sweep coordinate. */
  readonly containers?: number;
  readonly mechanism: MechanismName;
  readonly metrics: Readonly<Record<AblationMetric, MetricContribution>>;
}

/** One ablated run: the summary with `mechanism` off. */
export interface AblationVariant {
  readonly mechanism: MechanismName;
  readonly summary: ScenarioSummary;
}

function coordinateKey(coordinates: Coordinates, without?: string): string {
  return JSON.stringify(
    Object.keys(coordinates)
      .filter((key) => key !== without)
      .sort()
      .map((key) => [key, String(coordinates[key])]),
  );
}

function concurrencyOf(point: PointSummary): number | undefined {
  const value = point.coordinates[CONCURRENCY_KEY];
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

function metricMean(point: PointSummary, metric: AblationMetric): number {
  return point.metrics[metric]?.mean ?? NaN;
}

/** The baseline point at the smallest concurrency for each point (same other coordinates). */
function basePoints(baseline: ScenarioSummary): Map<number, PointSummary> {
  const smallest = new Map<string, PointSummary>();
  for (const point of baseline.points) {
    const containers = concurrencyOf(point);
    if (containers === undefined) continue;
    const key = coordinateKey(point.coordinates, CONCURRENCY_KEY);
    const known = smallest.get(key);
    if (known === undefined || containers < (concurrencyOf(known) ?? Infinity)) smallest.set(key, point);
  }
  const byPoint = new Map<number, PointSummary>();
  for (const point of baseline.points) {
    const base = concurrencyOf(point) === undefined ? undefined : smallest.get(coordinateKey(point.coordinates, CONCURRENCY_KEY));
    if (base !== undefined) byPoint.set(point.index, base);
  }
  return byPoint;
}

/** The contribution of one metric; pure arithmetic, exported for tests and other front ends. */
export function contribution(full: number, off: number, base?: number): MetricContribution {
  const delta = full - off;
  if (base === undefined) return { full, off, delta };
  const rise = full - base;
  const share = delta / rise;
  // A point at the base concurrency has no rise to share out.
  return Number.isFinite(share) && rise !== 0 ? { full, off, delta, base, share } : { full, off, delta, base };
}

/**
 * One row per baseline point and ablated mechanism, points in sweep order,
 * mechanisms in the order given. Points are matched by coordinates, so a
 * variant that lost a point (it cannot, through a mechanism switch, but a
 * hand-made summary might) is an error rather than a silent misalignment.
 */
export function ablationTable(baseline: ScenarioSummary, variants: readonly AblationVariant[]): AblationTableRow[] {
  const bases = basePoints(baseline);
  const variantPoints = variants.map((variant) => {
    const byKey = new Map(variant.summary.points.map((point) => [coordinateKey(point.coordinates), point]));
    return { variant, byKey };
  });
  const rows: AblationTableRow[] = [];
  for (const point of baseline.points) {
    const key = coordinateKey(point.coordinates);
    const base = bases.get(point.index);
    const containers = concurrencyOf(point);
    for (const { variant, byKey } of variantPoints) {
      const off = byKey.get(key);
      if (off === undefined) throw new Error(`ablation: the run without ${variant.mechanism} has no point ${key}`);
      const metrics = Object.fromEntries(
        ABLATION_METRICS.map((metric) => [metric, contribution(metricMean(point, metric), metricMean(off, metric), base === undefined ? undefined : metricMean(base, metric))]),
      ) as Record<AblationMetric, MetricContribution>;
      rows.push({
        pointIndex: point.index,
        coordinates: point.coordinates,
        machine: point.machine,
        ...(containers === undefined ? {} : { containers }),
        mechanism: variant.mechanism,
        metrics,
      });
    }
  }
  return rows;
}

/**
 * The rows a chart shows: per machine, the point with the largest
 * concurrency (the first such point in sweep order when other coordinates
 * vary too), one row per mechanism.
 */
export function largestPointRows(rows: readonly AblationTableRow[]): AblationTableRow[] {
  const chosen = new Map<string, number>();
  for (const row of rows) {
    const known = chosen.get(row.machine);
    const knownRow = known === undefined ? undefined : rows.find((r) => r.pointIndex === known);
    if (knownRow === undefined || (row.containers ?? -Infinity) > (knownRow.containers ?? -Infinity)) chosen.set(row.machine, row.pointIndex);
  }
  const indices = new Set(chosen.values());
  return rows.filter((row) => indices.has(row.pointIndex));
}

/** `a,b` or a list of names -> mechanism names, checked; empty or absent means all. */
export function parseMechanismList(entries: readonly string[] | undefined): MechanismName[] {
  const names = (entries ?? []).flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) return [...MECHANISM_NAMES];
  for (const name of names) {
    if (!(MECHANISM_NAMES as readonly string[]).includes(name)) {
      throw new InputError(`unknown mechanism \`${name}\``, {
        file: '--mechanisms',
        expected: `a comma-separated list of ${MECHANISM_NAMES.map((m) => `\`${m}\``).join(', ')}`,
        found: `\`${name}\``,
        hint: didYouMean(name, MECHANISM_NAMES),
      });
    }
  }
  return [...new Set(names)] as MechanismName[];
}

/** What every study of switched variants (ablation, family pairs) takes: overrides, seeds, where models are found and runs execute. */
export interface StudyRunOptions {
  /** The user's `--set` overrides, applied to every run after the study's own switches. */
  readonly set?: readonly string[];
  /** Replications per point (default: the file's). */
  readonly seeds?: number;
  /** Where models are found (default: the repository's models/). */
  readonly catalog?: ModelCatalog;
  /** Where the runs execute (default: this thread); the baseline and every variant share it. */
  readonly executor?: Executor;
  /** After each finished run of the whole study. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Runs one resolved scenario instead of the executor (tests feed summaries through it). */
  readonly run?: (scenario: ResolvedScenario) => Promise<{ readonly summary: ScenarioSummary }>;
  /** Called once everything is loaded and checked, before the first run (e.g. to check the output folder). */
  readonly onLoaded?: (scenario: ResolvedScenario) => void | Promise<void>;
}

export interface AblationRunOptions extends StudyRunOptions {
  /** Mechanisms to switch off in turn (default all, in MECHANISM_NAMES order). */
  readonly mechanisms?: readonly MechanismName[];
  /** Called before each variant runs: "baseline" or the mechanism switched off. */
  readonly onVariant?: (label: string, index: number, total: number) => void;
}

export interface AblationStudy {
  /** The baseline as resolved (every mechanism on, then the user's overrides). */
  readonly scenario: ResolvedScenario;
  readonly baseline: ScenarioSummary;
  readonly variants: readonly AblationVariant[];
  /** Mechanisms asked for but already off in the baseline (through --set), so not ablated. */
  readonly skipped: readonly MechanismName[];
  readonly rows: readonly AblationTableRow[];
}

/** Overrides of the baseline: every mechanism on, then the user's, so an explicit `--set mechanisms.x=false` wins. */
export function baselineOverrides(set: readonly string[] = []): string[] {
  return [...MECHANISM_NAMES.map((name) => `mechanisms.${name}=true`), ...set];
}

function mechanismOnEverywhere(scenario: ResolvedScenario, mechanism: MechanismName): boolean {
  return scenario.points.every((point) => point.spec.kind === 'launch' && (point.spec as LaunchPointSpec).mechanisms[mechanism]);
}

/** Loads the baseline and every variant (so bad input fails before any run), then runs them in order. */
export async function runAblation(file: string, options: AblationRunOptions = {}): Promise<AblationStudy> {
  const catalog = options.catalog ?? newCatalog();
  const load = (set: readonly string[]): ResolvedScenario =>
    loadScenario(file, { set, catalog, ...(options.seeds === undefined ? {} : { seeds: options.seeds }) });
  const baselineSet = baselineOverrides(options.set);
  const scenario = load(baselineSet);
  if (scenario.kind !== 'launch') {
    throw new InputError('an ablation switches launch mechanisms off, and this is not a launch scenario', {
      file: scenario.file,
      path: 'kind',
      expected: 'a launch scenario (kind: launch)',
      found: `\`${scenario.kind}\``,
      hint: 'pause-bench scenarios model one spinlock and have no mechanism switches.',
    });
  }
  const asked = options.mechanisms ?? MECHANISM_NAMES;
  const skipped = asked.filter((mechanism) => !mechanismOnEverywhere(scenario, mechanism));
  const ablated = asked.filter((mechanism) => !skipped.includes(mechanism));
  const variantScenarios = ablated.map((mechanism) => ({ mechanism, scenario: load([...baselineSet, `mechanisms.${mechanism}=false`]) }));

  await options.onLoaded?.(scenario);
  const run = options.run ?? startScenarios([scenario, ...variantScenarios.map((variant) => variant.scenario)], { executor: options.executor, onProgress: options.onProgress });
  const total = variantScenarios.length + 1;
  options.onVariant?.('baseline', 0, total);
  const baseline = (await run(scenario)).summary;
  const variants: AblationVariant[] = [];
  for (const [index, variant] of variantScenarios.entries()) {
    options.onVariant?.(`${variant.mechanism} off`, index + 1, total);
    variants.push({ mechanism: variant.mechanism, summary: (await run(variant.scenario)).summary });
  }
  return { scenario, baseline, variants, skipped, rows: ablationTable(baseline, variants) };
}
