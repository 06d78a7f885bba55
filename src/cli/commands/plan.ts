/**
 * `locksim plan`: the capacity planner's answer. For each machine family,
 * the largest number of containers launched at once that meets the launch
 * deadline with fewer than 1% failed launches, the p99 launch latency there,
 * and what 1,000 launches cost at that pace.
 *
 * The search per family: climb a ladder of concurrencies (10, 20, 50, 100,
 * 150, 200, 300, 400, plus --containers and --max-concurrency) until a step
 * fails, then bisect between the last pass and the first fail down to 10
 * containers. Each step is a launch point built here as a ResolvedScenario
 * (no scenario file), run once per seed; a step passes when the mean failure
 * rate over seeds is below 1%. Failure rates need not be monotone in
 * concurrency, so the answer is "the largest passing step found", not a proof.
 *
 * Cost per 1,000 launches = $/hour x (p99 latency at that concurrency, in
 * hours) / concurrency x 1000: the node is paid for while a batch of
 * `concurrency` launches completes, the batch taking (up to) its p99 latency.
 */
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Argv } from 'yargs';
import type { TopLevelSpec } from 'vega-lite';
import { stringify as toYaml } from 'yaml';
import { launchMetrics } from '../../analysis/summarize.js';
import { mean } from '../../analysis/statistics.js';
import { InputError } from '../../input/errors.js';
import { parseDurationNs } from '../../input/units.js';
import { MODELS_ROOT, newRunCache, runPoint } from '../../pipeline.js';
import { ensureWritableDir, renderChart, renderReportHtml, toCsv, writeFileAtomic, type ReportPage } from '../../report/index.js';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, VEGA_LITE_SCHEMA } from '../../report/charts/theme.js';
import { formatSignificant } from '../../report/run-report.js';
import type { LaunchPointSpec, ResolvedScenario, RunPoint } from '../../scenario/types.js';
import { findMachineModel, listMachineModels, parseMachineSpec } from '../../topology/index.js';
import { ALL_MECHANISMS_ON } from '../../workload/mechanisms.js';
import { DEFAULT_LIMITS } from '../../engine/index.js';
import { listModelNames } from '../../workload/load-models.js';
import type { CommandContext } from '../context.js';
import { commandLine } from '../format.js';
import { createProgress } from '../progress.js';
import { formatTable } from '../table.js';
import { checkMachineNames } from './compare.js';
import { EXIT_CODES_EPILOGUE, locksimVersion } from './run.js';

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
  readonly modelsDir?: string;
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

/** One launch point of the plan: fixed layers, staggered arrival over 2 s, the default models and deadlines. */
export function planPointSpec(machine: string, concurrency: number, options: PlanOptions): LaunchPointSpec {
  return {
    kind: 'launch',
    machine,
    kernel: options.kernel ?? 'linux-6.12',
    node: options.node ?? 'k8s-node',
    runtime: options.runtime,
    containers: concurrency,
    layers: { kind: 'fixed', value: options.layers },
    arrival: { kind: 'staggered', overNs: 2e9 },
    placement: 'spread',
    deadlines: { launchNs: options.deadlineNs, runtimeRequestNs: 120e9, nodeHealthCheckNs: 30e9 },
    horizonNs: Math.max(120e9, 4 * options.deadlineNs),
    mechanisms: ALL_MECHANISMS_ON,
    parameters: {},
    sampleEveryNs: 1e9,
    limits: DEFAULT_LIMITS,
  };
}

/** The plan's steps for one machine as a scenario; a point's index is its concurrency, so its seeds do not depend on the search path. */
export function planScenario(machine: string, concurrencies: readonly number[], options: PlanOptions): ResolvedScenario {
  const points: RunPoint[] = concurrencies.map((concurrency) => ({ index: concurrency, coordinates: { machine, containers: concurrency }, spec: planPointSpec(machine, concurrency, options) }));
  return {
    name: `plan-${machine}`,
    description: `Capacity plan for ${machine}: ${options.layers}-layer containers, ${options.runtime}`,
    file: '(locksim plan)',
    kind: 'launch',
    seeds: Array.from({ length: options.seeds }, (_, i) => String(i + 1)),
    points,
    expectations: [],
    source: planSource(options),
  };
}

function planSource(options: PlanOptions): Record<string, unknown> {
  return {
    containers: options.containers,
    layers: options.layers,
    runtime: options.runtime,
    deadline: `${options.deadlineNs / 1e9} s`,
    machines: [...options.machines],
    seeds: options.seeds,
    maxConcurrency: options.maxConcurrency,
    kernel: options.kernel ?? 'linux-6.12',
    node: options.node ?? 'k8s-node',
    layersPerContainer: 'fixed',
    arrival: 'staggered over 2 s',
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

/** Searches one machine's largest passing concurrency; `onRun` is called after every simulated run. */
export async function planMachine(machine: string, options: PlanOptions, onRun: () => void = () => {}): Promise<PlanRow> {
  const { family } = parseMachineSpec(machine);
  const usdPerHour = findMachineModel(family, join(options.modelsDir ?? MODELS_ROOT, 'machines')).priceUsdPerHour;
  const cache = newRunCache();
  const steps = new Map<number, PlanStep>();
  const evaluate = async (concurrency: number): Promise<PlanStep> => {
    const seen = steps.get(concurrency);
    if (seen !== undefined) return seen;
    const scenario = planScenario(machine, [concurrency], options);
    const metrics: Record<string, number>[] = [];
    for (const seed of scenario.seeds) {
      const { output } = runPoint(scenario.points[0], seed, { modelsDir: options.modelsDir }, cache);
      if (output.kind === 'launch') metrics.push(launchMetrics(output.result));
      onRun();
      await nextTurn();
    }
    const failureRate = mean(metrics.map((m) => m.failureRate));
    const step = { concurrency, failureRate, p50LatencyS: mean(metrics.map((m) => m.p50LatencyS)), p99LatencyS: mean(metrics.map((m) => m.p99LatencyS)), passed: failureRate < PLAN_MAX_FAILURE_RATE };
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

/** Bar per family: max concurrency, coloured by cost per 1,000 launches; the asked concurrency as a rule. */
export function planChartSpec(rows: readonly PlanRow[], containers: number): TopLevelSpec {
  const order = rows.map((r) => r.machine);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Largest concurrency within the deadline (< 1% failed)', subtitle: 'Bar colour: $ per 1,000 launches (darker costs more). Dashed: the concurrency asked for.' },
    width: CHART_WIDTH_PX,
    height: CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values: rows.map((r) => ({ machine: r.machine, maxConcurrency: r.maxConcurrency, costPer1000Usd: Number.isFinite(r.costPer1000Usd) ? Number(r.costPer1000Usd.toPrecision(6)) : null })) },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'machine', type: 'nominal', title: 'Machine (ranked)', sort: order, axis: { labelAngle: -30 } },
          y: { field: 'maxConcurrency', type: 'quantitative', title: 'Max concurrent launches' },
          color: { field: 'costPer1000Usd', type: 'quantitative', title: '$ / 1,000 launches', scale: { scheme: 'orangered' } },
        },
      },
      {
        data: { values: [{ containers }] },
        mark: { type: 'rule', color: '#5b6474', strokeDash: [6, 4] },
        encoding: { y: { field: 'containers', type: 'quantitative' } },
      },
    ],
  };
}

function planPage(rows: readonly PlanRow[], options: PlanOptions, svg: string, command: string): ReportPage {
  const table = planTableRows(rows, options.containers);
  const best = rows[0];
  const lead =
    best === undefined
      ? 'No machines planned.'
      : `${options.containers} containers of ${options.layers} layers with ${options.runtime}, launch deadline ${options.deadlineNs / 1e9} s: ${
          best.fits ? `${best.machine} is the cheapest family that launches them at once (up to ${best.maxConcurrency}, $${best.costPer1000Usd.toFixed(4)} per 1,000 launches).` : `no family launches ${options.containers} at once with < 1% failures; ${best.machine} comes closest (${best.maxConcurrency}).`
        }\n\n${COST_FORMULA}`;
  return {
    title: 'locksim plan: which family, how many at once, at what cost',
    lead,
    scenario: { fileName: 'plan.json', text: toYaml(planSource(options), { lineWidth: 0 }) },
    headline: { caption: `Ranked: families that fit ${options.containers} at once first, cheapest first. Mean over ${options.seeds} seeds.`, columns: table.header, rows: table.rows },
    charts: [{ title: 'Max concurrency per family', caption: 'Largest concurrency found with < 1% failed launches; colour: $ per 1,000 launches.', svg, specFile: 'plan.vl.json', csvFile: 'plan.csv', pngFile: 'plan.png' }],
    reproduce: { command, note: 'Every step the search tried, per family, is in plan.json.' },
    files: [
      { file: 'plan.json', description: 'the options, the cost formula, and per family every concurrency tried with its failure rate and latencies' },
      { file: 'plan.csv', description: 'the ranked table' },
    ],
    footer: { locksimVersion: locksimVersion(), seeds: Array.from({ length: options.seeds }, (_, i) => i + 1) },
  };
}

export function parsePlanMachines(text: string, modelsDir: string): string[] {
  if (text.trim() === 'all') return listMachineModels(join(modelsDir, 'machines')).map((m) => m.name);
  const machines = text.split(',').map((m) => m.trim());
  if (machines.some((m) => m === '')) {
    throw new InputError('invalid machine list', { file: '--machines', expected: '`all` or comma-separated machine names', found: JSON.stringify(text), hint: '`locksim models` lists the families.' });
  }
  checkMachineNames(machines, '--machines', join(modelsDir, 'machines'));
  return [...new Set(machines)];
}

export interface PlanCommandArgs {
  readonly containers: number;
  readonly layers: number;
  readonly runtime: string;
  readonly deadline: string;
  readonly machines: string;
  readonly seeds: number;
  readonly maxConcurrency: number;
  readonly out: string;
  readonly quiet?: boolean;
  readonly json?: boolean;
  readonly modelsDir?: string;
}

function positiveInteger(value: number, flag: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new InputError(`invalid ${flag}`, { file: flag, expected: `a whole number 1-${max}`, found: String(value) });
  return value;
}

function positiveDuration(text: string): number {
  const ns = parseDurationNs(text, { file: '--deadline' });
  if (ns <= 0) throw new InputError('invalid --deadline', { file: '--deadline', expected: 'a positive duration such as "30 s"', found: JSON.stringify(text) });
  return ns;
}

/** Checks every flag, runs the search per machine, prints and writes the plan; returns the ranked rows. */
export async function executePlan(args: PlanCommandArgs, context: CommandContext): Promise<PlanRow[]> {
  const modelsDir = args.modelsDir ?? MODELS_ROOT;
  const runtimes = listModelNames(modelsDir, 'runtimes');
  if (!runtimes.includes(args.runtime)) {
    throw new InputError(`unknown runtime "${args.runtime}"`, { file: '--runtime', expected: `one of ${runtimes.join(', ')}`, found: JSON.stringify(args.runtime) });
  }
  const options: PlanOptions = {
    containers: positiveInteger(args.containers, '--containers', 100_000),
    layers: positiveInteger(args.layers, '--layers', 10_000),
    runtime: args.runtime,
    deadlineNs: positiveDuration(args.deadline),
    machines: parsePlanMachines(args.machines, modelsDir),
    seeds: positiveInteger(args.seeds, '--seeds', 100),
    maxConcurrency: positiveInteger(args.maxConcurrency, '--max-concurrency', 100_000),
    modelsDir,
  };
  await ensureWritableDir(args.out);
  const command = commandLine([
    'plan',
    '--containers', String(options.containers),
    '--layers', String(options.layers),
    '--runtime', options.runtime,
    '--deadline', args.deadline,
    '--machines', args.machines,
    '--seeds', String(options.seeds),
    '--max-concurrency', String(options.maxConcurrency),
  ]);
  const estimate = options.machines.length * options.seeds * (planLadder(options).length + 3);
  const progress = createProgress({ total: estimate, label: 'planning', enabled: context.isTty && process.stderr.isTTY === true && args.quiet !== true });
  const rows: PlanRow[] = [];
  try {
    for (const machine of options.machines) rows.push(await planMachine(machine, options, () => progress.tick()));
  } finally {
    progress.stop();
  }
  const ranked = rankPlan(rows);
  const spec = planChartSpec(ranked, options.containers);
  const rendered = await renderChart(spec);
  const table = planTableRows(ranked, options.containers);
  const planDoc = { locksim: { version: locksimVersion(), command }, options: planSource(options), costFormula: COST_FORMULA, ranked };
  await writeFileAtomic(join(args.out, 'plan.json'), `${JSON.stringify(planDoc, null, 2)}\n`);
  await writeFileAtomic(join(args.out, 'plan.csv'), toCsv(table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]))), table.header));
  await writeFileAtomic(join(args.out, 'plan.vl.json'), `${JSON.stringify(spec, null, 2)}\n`);
  await writeFileAtomic(join(args.out, 'plan.svg'), rendered.svg);
  await writeFileAtomic(join(args.out, 'plan.png'), rendered.png);
  await writeFileAtomic(join(args.out, 'index.html'), renderReportHtml(planPage(ranked, options, rendered.svg, command)));
  if (args.json === true) context.out(JSON.stringify(planDoc, null, 2));
  else if (args.quiet === true) context.out(join(args.out, 'index.html'));
  else context.out(`${formatTable(table.header, table.rows)}\n\n${COST_FORMULA}\nopen ${join(args.out, 'index.html')}`);
  return ranked;
}

export function registerPlan(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'plan',
    'For each machine family: the largest concurrency within the deadline with < 1% failures, p99 latency there, and $ per 1,000 launches',
    (y) =>
      y
        .option('containers', { type: 'number', default: 100, describe: 'containers you need to launch at once' })
        .option('layers', { type: 'number', default: 50, describe: 'image layers per container (fixed)' })
        .option('runtime', { type: 'string', default: 'containerd-idmap', describe: 'runtime model in models/runtimes' })
        .option('deadline', { type: 'string', default: '30 s', describe: 'launch deadline (the health check), e.g. "30 s"' })
        .option('machines', { type: 'string', default: DEFAULT_PLAN_MACHINES.join(','), describe: '`all` (every family in models/machines; slow) or comma-separated names' })
        .option('seeds', { type: 'number', default: 3, describe: 'replications per concurrency tried' })
        .option('max-concurrency', { type: 'number', default: 400, describe: 'largest concurrency to try' })
        .option('out', { type: 'string', default: join('reports', 'plan'), describe: 'report directory' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar or table; print only the report path' })
        .option('json', { type: 'boolean', default: false, describe: 'print the plan as JSON' })
        .example('$0 plan --containers 100 --layers 50 --runtime containerd-idmap', 'the Netflix question on r5.metal, m7i.metal-24xl, m7a.24xlarge')
        .example('$0 plan --machines all --runtime containerd-common-parent --deadline 30s', 'every family, after the fix')
        .epilogue(`Search: climb ${PLAN_LADDER.join(', ')} (plus --containers and --max-concurrency) until a step has >= 1% failed launches, then bisect to ${PLAN_RESOLUTION} containers.\n${COST_FORMULA}\n${EXIT_CODES_EPILOGUE}`),
    async (argv) => {
      await executePlan(
        {
          containers: argv.containers,
          layers: argv.layers,
          runtime: argv.runtime,
          deadline: argv.deadline,
          machines: argv.machines,
          seeds: argv.seeds,
          maxConcurrency: argv['max-concurrency'],
          out: argv.out,
          quiet: argv.quiet,
          json: argv.json,
        },
        context,
      );
    },
  );
}
