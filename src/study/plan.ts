/**
 * The capacity planner's study (`locksim plan`). For each machine family
 * (every family in models/machines by default): p99 launch latency and the
 * failure rate at the concurrency the planner asked for, the largest
 * concurrency that meets the launch deadline with fewer than 1% failed
 * launches (and so the margin to the cliff), whether the family is arm64,
 * and what it costs per month and per 1,000 launches.
 *
 * The search per family: climb a ladder of concurrencies (10, 20, 50, 100,
 * 150, 200, 300, 400, plus --containers and --max-concurrency) until a step
 * fails, then bisect (bisect.ts, shared with the run report's failure onset)
 * between the last pass and the first fail down to 10 containers. Each step
 * is a scenario document resolved like a file (the launch defaults apply),
 * run once per seed with the same seeds; a step passes when the mean failure
 * rate over seeds is below 1%. Failure rates need not be monotone in
 * concurrency, so the answer is "the largest passing step found", not a
 * proof. Every family searches at once; with a pool executor (--jobs) their
 * steps share it, costliest first.
 *
 * Cost per 1,000 launches = $/hour x (p99 latency at that concurrency, in
 * hours) / concurrency x 1000: the node is paid for while a batch of
 * `concurrency` launches completes, the batch taking (up to) its p99
 * latency. Per month: $/hour x 730. Prices come from the machine model
 * files (`price: {usdPerHour, date, source}`) and are flagged as estimates
 * while their source says so.
 */
import { stringify as toYaml } from 'yaml';
import type { ModelCatalog } from '../input/catalog.js';
import { loadScenarioText, type ScenarioRun } from '../pipeline.js';
import { formatSignificant } from '../charts/format.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { findMachineModel, parseMachineSpec } from '../topology/index.js';
import { LAUNCH_DEFAULTS } from '../workloads/launch/index.js';
import { parseDurationNs } from '../input/units.js';
import { Type } from '@sinclair/typebox';
import { OutputHeadSchema } from '../report/documents.js';
import { bisectOnset } from './bisect.js';

export const PLAN_LADDER = [10, 20, 50, 100, 150, 200, 300, 400] as const;
/** Bisection stops when the last pass and the first fail are this close. */
export const PLAN_RESOLUTION = 10;
/** A concurrency passes below this mean failure rate. */
export const PLAN_MAX_FAILURE_RATE = 0.01;
/** Hours in a month, as AWS bills a month (365 x 24 / 12). */
export const HOURS_PER_MONTH = 730;

export const COST_FORMULA =
  'cost per 1,000 launches = $/hour x (p99 launch latency at that concurrency, in hours) / concurrency x 1000: the node is paid for while one batch of launches completes. Per month: $/hour x 730.';

export interface PlanOptions {
  /** Containers the planner needs to launch at once (the "fits" column; also a ladder step). */
  readonly containers: number;
  readonly layers: number;
  readonly runtime: string;
  readonly deadlineNs: number;
  readonly machines: readonly string[];
  readonly seeds: number;
  readonly maxConcurrency: number;
  readonly kernel?: string;
  readonly node?: string;
  readonly catalog?: ModelCatalog;
  /** Overrides of every run (an uncertainty sample's parameter values). */
  readonly set?: readonly string[];
}

export interface PlanStep {
  readonly concurrency: number;
  readonly failureRate: number;
  readonly p50LatencyS: number;
  readonly p99LatencyS: number;
  readonly passed: boolean;
}

/** Where a family's price comes from: the machine model file's `price` block. */
export interface PlanPrice {
  readonly usdPerHour: number;
  readonly usdPerMonth: number;
  /** When the price was read (YYYY-MM or YYYY-MM-DD). */
  readonly date: string;
  readonly source: string;
  /** True until someone checks it against the provider's price list (the source says "estimate"). */
  readonly estimate: boolean;
}

/** The measurements at the concurrency the planner asked for. */
export interface PlanAtRequested {
  readonly concurrency: number;
  readonly p50LatencyS: number;
  readonly p99LatencyS: number;
  readonly failureRate: number;
  readonly passed: boolean;
  /** $ per 1,000 launches in batches of `concurrency` (NaN when it does not pass). */
  readonly costPer1000Usd: number;
}

export interface PlanRow {
  readonly machine: string;
  /** Instruction set: container images must be built for it (arm64: Graviton). */
  readonly arch: 'x86_64' | 'arm64';
  readonly usdPerHour: number;
  readonly price: PlanPrice;
  readonly atRequested: PlanAtRequested;
  /** Smallest failing concurrency found (the cliff), or null when every step up to --max-concurrency passed. */
  readonly firstFailing: number | null;
  /** maxConcurrency - containers asked for: room before the cliff (negative: the family does not fit). */
  readonly marginContainers: number;
  /** maxConcurrency / containers asked for - 1. */
  readonly marginRatio: number;
  /** Largest passing concurrency found; 0 when even the smallest step failed. */
  readonly maxConcurrency: number;
  /** With `--uncertainty N`: the largest concurrency over N samples of the uncertain parameters. */
  readonly uncertainty?: PlanUncertainty;
  /** True when every step passed, so the real limit is at or above maxConcurrency. */
  readonly atLeast: boolean;
  readonly p99LatencyS: number;
  readonly failureRate: number;
  /** $ per 1,000 launches in batches of maxConcurrency. */
  readonly costPer1000Usd: number;
  /** maxConcurrency >= the containers asked for. */
  readonly fits: boolean;
  readonly steps: readonly PlanStep[];
}

/** $ per 1,000 launches at `concurrency` launches per batch, each batch taking `p99LatencyS`. */
export function costPer1000Launches(usdPerHour: number, p99LatencyS: number, concurrency: number): number {
  if (concurrency <= 0 || !Number.isFinite(p99LatencyS)) return Number.NaN;
  return ((usdPerHour * (p99LatencyS / 3600)) / concurrency) * 1000;
}

/** The plan's steps for one machine as a scenario document, resolved like any scenario file (the launch defaults apply). */
export function planScenario(machine: string, concurrencies: readonly number[], options: PlanOptions): ResolvedScenario {
  const document = {
    name: `plan-${machine.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
    description: `Capacity plan for ${machine}: ${options.layers}-layer containers, ${options.runtime}`,
    machine,
    ...(options.kernel === undefined ? {} : { kernel: options.kernel }),
    ...(options.node === undefined ? {} : { node: options.node }),
    runtime: options.runtime,
    containers: concurrencies[0],
    layers: options.layers,
    arrival: LAUNCH_DEFAULTS.arrival,
    deadlines: { launch: `${options.deadlineNs} ns` },
    // At least the default deadline's horizon, so a short deadline still lets slow launches finish.
    horizon: `${Math.max(parseDurationNs(LAUNCH_DEFAULTS.deadlines.launch), options.deadlineNs) * LAUNCH_DEFAULTS.horizonDeadlines} ns`,
    seeds: options.seeds,
    ...(concurrencies.length > 1 ? { sweep: { containers: [...concurrencies] } } : {}),
  };
  return loadScenarioText(toYaml(document), '(locksim plan)', { catalog: options.catalog, set: options.set ?? [] });
}

export function planSource(options: PlanOptions): Record<string, unknown> {
  return {
    containers: options.containers,
    layers: options.layers,
    runtime: options.runtime,
    deadline: `${options.deadlineNs / 1e9} s`,
    machines: [...options.machines],
    seeds: options.seeds,
    maxConcurrency: options.maxConcurrency,
    kernel: options.kernel ?? LAUNCH_DEFAULTS.kernel,
    node: options.node ?? LAUNCH_DEFAULTS.node,
    layersPerContainer: 'fixed',
    arrival: `${LAUNCH_DEFAULTS.arrival.kind} over ${LAUNCH_DEFAULTS.arrival.over}`,
    passes: `mean failure rate over seeds < ${PLAN_MAX_FAILURE_RATE * 100}%`,
  };
}

/** The ladder steps for these options, ascending. */
export function planLadder(options: Pick<PlanOptions, 'containers' | 'maxConcurrency'>): number[] {
  const steps = new Set<number>(PLAN_LADDER.filter((c) => c <= options.maxConcurrency));
  if (options.containers <= options.maxConcurrency) steps.add(options.containers);
  steps.add(options.maxConcurrency);
  return [...steps].sort((a, b) => a - b);
}

/** Runs a scenario of the plan (the caller decides where: this thread, or a pool shared by every family). */
export type PlanRunner = (scenario: ResolvedScenario) => Promise<ScenarioRun>;

/** The instruction set of a machine model, from its CPU model (Graviton and other Neoverse cores are arm64). */
export function machineArch(cpuModel: string): 'x86_64' | 'arm64' {
  return /graviton|neoverse|ampere|\barm/i.test(cpuModel) ? 'arm64' : 'x86_64';
}

/**
 * Searches one machine's largest passing concurrency: the ladder until a
 * step fails, then a bisection (bisect.ts) between the last pass and the
 * first fail; the asked concurrency is measured whether or not the climb
 * reached it.
 */
export async function planMachine(machine: string, options: PlanOptions, run: PlanRunner): Promise<PlanRow> {
  const { family } = parseMachineSpec(machine);
  const model = findMachineModel(family, options.catalog);
  const usdPerHour = model.priceUsdPerHour;
  const steps = new Map<number, PlanStep>();
  const evaluate = async (concurrency: number): Promise<PlanStep> => {
    const seen = steps.get(concurrency);
    if (seen !== undefined) return seen;
    const { summary } = await run(planScenario(machine, [concurrency], options));
    const metrics = summary.points[0].metrics;
    const failureRate = metrics.failureRate.mean;
    const step = { concurrency, failureRate, p50LatencyS: metrics.p50LatencyS.mean, p99LatencyS: metrics.p99LatencyS.mean, passed: failureRate < PLAN_MAX_FAILURE_RATE };
    steps.set(concurrency, step);
    return step;
  };

  let lastPass = 0;
  let firstFail: number | undefined;
  for (const concurrency of planLadder(options)) {
    if ((await evaluate(concurrency)).passed) lastPass = concurrency;
    else {
      firstFail = concurrency;
      break;
    }
  }
  if (firstFail !== undefined) {
    const found = await bisectOnset(lastPass, firstFail, async (count) => (await evaluate(count)).passed, PLAN_RESOLUTION);
    lastPass = found.lastPass;
    firstFail = found.firstFail;
  }
  const requested = await evaluate(options.containers);
  const at = steps.get(lastPass);
  const p99LatencyS = at?.p99LatencyS ?? Number.NaN;
  const estimate = /estimate/i.test(model.priceSource);
  return {
    machine,
    arch: machineArch(model.cpuModel),
    usdPerHour,
    price: { usdPerHour, usdPerMonth: usdPerHour * HOURS_PER_MONTH, date: model.priceDate, source: model.priceSource, estimate },
    atRequested: {
      concurrency: options.containers,
      p50LatencyS: requested.p50LatencyS,
      p99LatencyS: requested.p99LatencyS,
      failureRate: requested.failureRate,
      passed: requested.passed,
      costPer1000Usd: requested.passed ? costPer1000Launches(usdPerHour, requested.p99LatencyS, options.containers) : Number.NaN,
    },
    maxConcurrency: lastPass,
    atLeast: firstFail === undefined,
    firstFailing: firstFail ?? null,
    marginContainers: lastPass - options.containers,
    marginRatio: lastPass / options.containers - 1,
    p99LatencyS,
    failureRate: at?.failureRate ?? Number.NaN,
    costPer1000Usd: costPer1000Launches(usdPerHour, p99LatencyS, lastPass),
    fits: lastPass >= options.containers,
    steps: [...steps.values()].sort((a, b) => a.concurrency - b.concurrency),
  };
}

/** Every machine's search at once (each search goes step by step), ranked. */
export async function runPlan(options: PlanOptions, run: PlanRunner): Promise<PlanRow[]> {
  return rankPlan(await Promise.all(options.machines.map((machine) => planMachine(machine, options, run))));
}

/** Families that fit the asked concurrency first, cheapest per 1,000 launches at it first; then the rest, most concurrent first. */
export function rankPlan(rows: readonly PlanRow[]): PlanRow[] {
  const cost = (r: PlanRow): number => {
    const value = r.fits && Number.isFinite(r.atRequested?.costPer1000Usd) ? r.atRequested.costPer1000Usd : r.costPer1000Usd;
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  return [...rows].sort((a, b) => Number(b.fits) - Number(a.fits) || (a.fits ? cost(a) - cost(b) : 0) || b.maxConcurrency - a.maxConcurrency || cost(a) - cost(b) || (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : 0));
}

function money(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Ranked table: header and string rows (terminal and page). Prices marked * are estimates until checked. */
export function planTableRows(rows: readonly PlanRow[], containers: number): { header: string[]; rows: string[][] } {
  return {
    header: ['rank', 'machine', 'arch', 'max concurrency', `fits ${containers}`, 'margin to the cliff', `p99 at ${containers} (s)`, `failed at ${containers}`, '$/hour', '$/month', `$ per 1,000 launches at ${containers}`],
    rows: rows.map((r, i) => [
      String(i + 1),
      r.machine,
      r.arch === 'arm64' ? 'arm64 (!)' : r.arch,
      `${r.maxConcurrency === 0 ? `< ${r.firstFailing ?? PLAN_LADDER[0]}` : `${r.atLeast ? '>= ' : ''}${r.maxConcurrency}`}${r.uncertainty === undefined ? '' : ` (${planIntervalText(r.uncertainty)})`}`,
      `${r.fits ? 'yes' : 'no'}${r.uncertainty === undefined ? '' : ` (${Math.round(r.uncertainty.fitsShare * 100)}% of samples)`}`,
      `${r.marginContainers >= 0 ? '+' : ''}${r.marginContainers}${r.atLeast ? ' or more' : ''} (${r.marginRatio >= 0 ? '+' : ''}${formatSignificant(r.marginRatio * 100)}%)`,
      Number.isFinite(r.atRequested.p99LatencyS) ? formatSignificant(r.atRequested.p99LatencyS) : '-',
      Number.isFinite(r.atRequested.failureRate) ? `${formatSignificant(r.atRequested.failureRate * 100)}%` : '-',
      `${money(r.price.usdPerHour, 3)}${r.price.estimate ? '*' : ''}`,
      `${money(r.price.usdPerMonth, 0)}${r.price.estimate ? '*' : ''}`,
      money(r.atRequested.costPer1000Usd, 3),
    ]),
  };
}

/** plan.csv: the ranked rows as numbers (empty where there is none), units in the column names. */
export function planCsvRows(rows: readonly PlanRow[]): { columns: string[]; rows: Record<string, string | number | boolean>[] } {
  const columns = [
    'rank', 'machine', 'arch', 'fits', 'requested_concurrency', 'max_concurrency', 'max_concurrency_at_least', 'first_failing_concurrency',
    'margin_containers', 'margin_ratio', 'p50_latency_s_at_requested', 'p99_latency_s_at_requested', 'failure_rate_at_requested',
    'p99_latency_s_at_max', 'usd_per_hour', 'usd_per_month', 'usd_per_1000_launches_at_requested', 'usd_per_1000_launches_at_max',
    'price_date', 'price_is_estimate', 'price_source',
  ];
  // With --uncertainty: the interval on each family's largest concurrency.
  if (rows.some((r) => r.uncertainty !== undefined)) columns.push('uncertainty_samples', 'max_concurrency_p5', 'max_concurrency_median', 'max_concurrency_p95', 'fits_share_of_samples');
  return {
    columns,
    rows: rows.map((r, i) => ({
      rank: i + 1,
      machine: r.machine,
      arch: r.arch,
      fits: r.fits,
      requested_concurrency: r.atRequested.concurrency,
      max_concurrency: r.maxConcurrency,
      max_concurrency_at_least: r.atLeast,
      first_failing_concurrency: r.firstFailing ?? Number.NaN,
      margin_containers: r.marginContainers,
      margin_ratio: r.marginRatio,
      p50_latency_s_at_requested: r.atRequested.p50LatencyS,
      p99_latency_s_at_requested: r.atRequested.p99LatencyS,
      failure_rate_at_requested: r.atRequested.failureRate,
      p99_latency_s_at_max: r.p99LatencyS,
      usd_per_hour: r.price.usdPerHour,
      usd_per_month: r.price.usdPerMonth,
      usd_per_1000_launches_at_requested: r.atRequested.costPer1000Usd,
      usd_per_1000_launches_at_max: r.costPer1000Usd,
      price_date: r.price.date,
      price_is_estimate: r.price.estimate,
      price_source: r.price.source,
      ...(r.uncertainty === undefined
        ? {}
        : { uncertainty_samples: r.uncertainty.samples, max_concurrency_p5: r.uncertainty.low, max_concurrency_median: r.uncertainty.median, max_concurrency_p95: r.uncertainty.high, fits_share_of_samples: r.uncertainty.fitsShare }),
    })),
  };
}

const JsonNumber = Type.Union([Type.Number(), Type.Null()]);

/** plan.json and `locksim plan --json`. */
export const PlanDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    command: Type.String({ description: 'The command line that made the plan.' }),
    options: Type.Record(Type.String(), Type.Unknown(), { description: 'What was asked: containers, layers, runtime, deadline, machines, seeds.' }),
    costFormula: Type.String(),
    ranked: Type.Array(
      Type.Object(
        {
          machine: Type.String(),
          arch: Type.Union([Type.Literal('x86_64'), Type.Literal('arm64')], { description: 'arm64 (Graviton) needs images built for arm64.' }),
          usdPerHour: Type.Number(),
          price: Type.Object({ usdPerHour: Type.Number(), usdPerMonth: Type.Number(), date: Type.String(), source: Type.String(), estimate: Type.Boolean({ description: 'True until checked against the provider.' }) }),
          atRequested: Type.Object({ concurrency: Type.Integer(), p50LatencyS: JsonNumber, p99LatencyS: JsonNumber, failureRate: JsonNumber, passed: Type.Boolean(), costPer1000Usd: JsonNumber }),
          maxConcurrency: Type.Integer({ description: 'Largest passing concurrency found (< 1% failed launches).' }),
          atLeast: Type.Boolean({ description: 'Every step passed: the limit is at or above maxConcurrency.' }),
          firstFailing: Type.Union([Type.Integer(), Type.Null()], { description: 'Smallest failing concurrency found: the cliff.' }),
          marginContainers: Type.Integer(),
          marginRatio: Type.Number(),
          p99LatencyS: JsonNumber,
          failureRate: JsonNumber,
          costPer1000Usd: JsonNumber,
          fits: Type.Boolean(),
          uncertainty: Type.Optional(
            Type.Object(
              {
                samples: Type.Integer(),
                low: Type.Integer({ description: '5th percentile of the largest concurrency over the samples.' }),
                median: Type.Number(),
                high: Type.Integer({ description: '95th percentile.' }),
                fitsShare: Type.Number({ minimum: 0, maximum: 1, description: 'Share of samples in which the family fits the asked concurrency.' }),
                perSample: Type.Array(Type.Integer()),
              },
              { description: 'With --uncertainty N: the largest concurrency over N Latin hypercube samples of the uncertain kernel, node and machine values.' },
            ),
          ),
          steps: Type.Array(Type.Object({ concurrency: Type.Integer(), failureRate: JsonNumber, p50LatencyS: JsonNumber, p99LatencyS: JsonNumber, passed: Type.Boolean() })),
        },
      ),
    ),
  },
  { description: '`locksim plan`: per family, the largest concurrency within the deadline and what it costs.' },
);

/** The largest concurrency over samples of the uncertain parameters. */
export interface PlanUncertainty {
  readonly samples: number;
  /** 5th and 95th percentiles (rounded down and up to whole containers) and the median. */
  readonly low: number;
  readonly median: number;
  readonly high: number;
  readonly fitsShare: number;
  readonly perSample: readonly number[];
}

export function planIntervalText(u: PlanUncertainty): string {
  return `${u.low}-${u.high} over ${u.samples} samples`;
}

/** Type-7 quantile of sorted values. */
function quantileOf(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** Summarises each family's largest concurrency over the samples (`perSample[s]` is sample s's ranked plan). */
export function planUncertainty(perSample: readonly (readonly PlanRow[])[], machine: string, containers: number): PlanUncertainty {
  const values = perSample.map((rows) => rows.find((r) => r.machine === machine)?.maxConcurrency ?? 0);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: values.length,
    low: Math.floor(quantileOf(sorted, 0.05)),
    median: quantileOf(sorted, 0.5),
    high: Math.ceil(quantileOf(sorted, 0.95)),
    fitsShare: values.filter((v) => v >= containers).length / Math.max(1, values.length),
    perSample: values,
  };
}

/**
 * The plan with an interval per family: the search again in each of
 * `sampleSets` (one Latin hypercube sample's `--set` entries each, the same
 * seeds), all at once on the runner's pool.
 */
export async function runPlanWithUncertainty(options: PlanOptions, sampleSets: readonly (readonly string[])[], run: PlanRunner): Promise<PlanRow[]> {
  const [ranked, ...perSample] = await Promise.all([runPlan(options, run), ...sampleSets.map((set) => runPlan({ ...options, set: [...(options.set ?? []), ...set] }, run))]);
  if (perSample.length === 0) return ranked;
  return ranked.map((row) => ({ ...row, uncertainty: planUncertainty(perSample, row.machine, options.containers) }));
}
