/**
 * The capacity planner's study (`locksim plan`). For each machine family,
 * the largest number of containers launched at once that meets the launch
 * deadline with fewer than 1% failed launches, the p99 launch latency there,
 * and what 1,000 launches cost at that pace.
 *
 * The search per family: climb a ladder of concurrencies (10, 20, 50, 100,
 * 150, 200, 300, 400, plus --containers and --max-concurrency) until a step
 * fails, then bisect between the last pass and the first fail down to 10
 * containers. Each step is a scenario document resolved like a file (the
 * launch defaults apply), run once per seed; a step passes when the mean failure
 * rate over seeds is below 1%. Failure rates need not be monotone in
 * concurrency, so the answer is "the largest passing step found", not a proof.
 * Every family searches at once; with a pool executor their steps share it.
 *
 * Cost per 1,000 launches = $/hour x (p99 latency at that concurrency, in
 * hours) / concurrency x 1000: the node is paid for while a batch of
 * `concurrency` launches completes, the batch taking (up to) its p99 latency.
 */
import { stringify as toYaml } from 'yaml';
import type { ModelCatalog } from '../input/catalog.js';
import { loadScenarioText, type ScenarioRun } from '../pipeline.js';
import { formatSignificant } from '../charts/format.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { findMachineModel, parseMachineSpec } from '../topology/index.js';
import { LAUNCH_DEFAULTS } from '../workloads/launch/index.js';
import { parseDurationNs } from '../input/units.js';

/** The Netflix case's families, the default: `all` runs every family in models/machines (slow). */
export const DEFAULT_PLAN_MACHINES = ['r5.metal', 'm7i.metal-24xl', 'm7a.24xlarge'] as const;
export const PLAN_LADDER = [10, 20, 50, 100, 150, 200, 300, 400] as const;
/** Bisection stops when the last pass and the first fail are this close. */
export const PLAN_RESOLUTION = 10;
/** A concurrency passes below this mean failure rate. */
export const PLAN_MAX_FAILURE_RATE = 0.01;

export const COST_FORMULA =
  'cost per 1,000 launches = $/hour x (p99 launch latency at the max concurrency, in hours) / max concurrency x 1000: the node is paid for while one batch of launches completes.';

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
}

export interface PlanStep {
  readonly concurrency: number;
  readonly failureRate: number;
  readonly p50LatencyS: number;
  readonly p99LatencyS: number;
  readonly passed: boolean;
}

export interface PlanRow {
  readonly machine: string;
  readonly usdPerHour: number;
  /** Largest passing concurrency found; 0 when even the smallest step failed. */
  readonly maxConcurrency: number;
  /** True when every step passed, so the real limit is at or above maxConcurrency. */
  readonly atLeast: boolean;
  readonly p99LatencyS: number;
  readonly failureRate: number;
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
  return loadScenarioText(toYaml(document), '(locksim plan)', { catalog: options.catalog });
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

/** Searches one machine's largest passing concurrency. */
export async function planMachine(machine: string, options: PlanOptions, run: PlanRunner): Promise<PlanRow> {
  const { family } = parseMachineSpec(machine);
  const usdPerHour = findMachineModel(family, options.catalog).priceUsdPerHour;
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
    let lo = lastPass;
    let hi = firstFail;
    while (hi - lo > PLAN_RESOLUTION && lo > 0) {
      let mid = Math.round((lo + hi) / 2 / 5) * 5;
      if (mid <= lo || mid >= hi) mid = Math.floor((lo + hi) / 2);
      if ((await evaluate(mid)).passed) lo = mid;
      else hi = mid;
    }
    lastPass = lo;
  }
  const at = steps.get(lastPass);
  const p99LatencyS = at?.p99LatencyS ?? Number.NaN;
  return {
    machine,
    usdPerHour,
    maxConcurrency: lastPass,
    atLeast: firstFail === undefined,
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

/** Families that fit the asked concurrency first, cheapest first; then the rest, most concurrent first. */
export function rankPlan(rows: readonly PlanRow[]): PlanRow[] {
  const cost = (r: PlanRow): number => (Number.isFinite(r.costPer1000Usd) ? r.costPer1000Usd : Number.POSITIVE_INFINITY);
  return [...rows].sort((a, b) => Number(b.fits) - Number(a.fits) || (a.fits ? cost(a) - cost(b) : 0) || b.maxConcurrency - a.maxConcurrency || cost(a) - cost(b) || (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : 0));
}

/** Ranked table: header and string rows (terminal and page). */
export function planTableRows(rows: readonly PlanRow[], containers: number): { header: string[]; rows: string[][] } {
  return {
    header: ['rank', 'machine', 'max concurrency', `fits ${containers}`, 'p99 latency (s)', 'failed', '$/hour', '$ per 1,000 launches'],
    rows: rows.map((r, i) => [
      String(i + 1),
      r.machine,
      r.maxConcurrency === 0 ? `< ${PLAN_LADDER[0]}` : `${r.atLeast ? '>= ' : ''}${r.maxConcurrency}`,
      r.fits ? 'yes' : 'no',
      Number.isFinite(r.p99LatencyS) ? formatSignificant(r.p99LatencyS) : '-',
      Number.isFinite(r.failureRate) ? `${formatSignificant(r.failureRate * 100)}%` : '-',
      r.usdPerHour.toFixed(3),
      Number.isFinite(r.costPer1000Usd) ? r.costPer1000Usd.toFixed(4) : '-',
    ]),
  };
}

