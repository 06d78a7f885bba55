/**
 * `locksim plan`: the capacity planner's answer, per family, from the plan
 * study (src/study/plan.ts): flags checked, every family searched at once on
 * one executor, the ranked table printed and the plan page written.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { stringify as toYaml } from 'yaml';
import { InputError } from '../../input/errors.js';
import { parseDurationNs } from '../../input/units.js';
import { ModelCatalog } from '../../input/catalog.js';
import { runScenario } from '../../pipeline.js';
import { ensureWritableDir, writeFileAtomic } from '../../report/atomic.js';
import { renderChart } from '../../report/render.js';
import { renderReportHtml, type ReportPage } from '../../report/html.js';
import { toCsv } from '../../report/csv.js';
import { planChartSpec } from '../../charts/plan.js';
import { listMachineModels } from '../../topology/index.js';
import { LAUNCH_DEFAULTS } from '../../workloads/launch/index.js';
import { createExecutor } from '../../sweep/executor.js';
import { COST_FORMULA, PLAN_LADDER, PLAN_RESOLUTION, planCsvRows, planLadder, planSource, planTableRows, runPlanWithUncertainty, type PlanOptions, type PlanRow } from '../../study/plan.js';
import { latinSampleSets } from '../../study/uncertainty.js';
import { formatSignificant } from '../../charts/format.js';
import { outputHead } from '../../input/package-info.js';
import type { CommandContext } from '../context.js';
import { commandLine } from '../format.js';
import { createProgress } from '../progress.js';
import { formatTable } from '../../report/table.js';
import { checkMachineNames } from './compare.js';
import { EXIT_CODES_EPILOGUE, locksimVersion } from './run.js';

/** The plan's recommendation in a sentence or two: the cheapest family that fits, its margin to the cliff, and what to check. */
export function planRecommendation(rows: readonly PlanRow[], options: Pick<PlanOptions, 'containers'>): string {
  const best = rows[0];
  if (best === undefined) return 'No machines planned.';
  if (!best.fits) return `No family launches ${options.containers} at once with < 1% failed launches; ${best.machine} comes closest (${best.maxConcurrency}). Launch in smaller batches, or use a fixed runtime.`;
  const margin = best.atLeast ? `at least ${best.maxConcurrency} (every step passed)` : `${best.maxConcurrency}, the cliff at ${best.firstFailing}`;
  const cost = Number.isFinite(best.atRequested.costPer1000Usd) ? `$${best.atRequested.costPer1000Usd.toFixed(3)} per 1,000 launches, ` : '';
  const arm = best.arch === 'arm64' ? ' It is arm64 (Graviton): your images must be built for arm64.' : '';
  const runnerUp = rows.find((r, i) => i > 0 && r.fits && r.arch !== best.arch);
  const alternative = best.arch === 'arm64' && runnerUp !== undefined ? ` The cheapest ${runnerUp.arch} family that fits is ${runnerUp.machine} (margin ${runnerUp.marginContainers >= 0 ? '+' : ''}${runnerUp.marginContainers}).` : '';
  const estimate = best.price.estimate ? ` Its price ($${best.price.usdPerHour}/hour, ${best.price.date}) is an estimate until checked against the provider's price list.` : '';
  return `Recommended: ${best.machine}. It launches ${options.containers} at once with p99 ${formatSignificant(best.atRequested.p99LatencyS)} s and ${formatSignificant(best.atRequested.failureRate * 100)}% failed, ${cost}$${best.price.usdPerMonth.toFixed(0)} a month; its limit is ${margin}: a margin of ${best.marginContainers >= 0 ? '+' : ''}${best.marginContainers}${best.atLeast ? ' or more' : ''} containers (${best.marginRatio >= 0 ? '+' : ''}${formatSignificant(best.marginRatio * 100)}%).${arm}${alternative}${estimate}`;
}

function planPage(rows: readonly PlanRow[], options: PlanOptions, svg: string, command: string): ReportPage {
  const table = planTableRows(rows, options.containers);
  const estimates = rows.filter((r) => r.price.estimate);
  const prices = [...new Map(rows.map((r) => [`${r.price.date} ${r.price.source}`, r.price])).values()].map((p) => `${p.source} (${p.date})`);
  const lead = `${options.containers} containers of ${options.layers} layers with ${options.runtime}, launch deadline ${options.deadlineNs / 1e9} s, ${rows.length} families.\n\n${planRecommendation(rows, options)}\n\n${COST_FORMULA}${
    estimates.length > 0 ? `\n\nPrices marked * are estimates until checked (source: ${prices.join('; ')}).` : ''
  }${rows.some((r) => r.arch === 'arm64') ? '\n\narm64 (!): Graviton families run only images built for arm64.' : ''}`;
  return {
    title: 'locksim plan: which family, how many at once, at what cost',
    lead,
    scenario: { fileName: 'plan.json', text: toYaml(planSource(options), { lineWidth: 0 }) },
    headline: { caption: `Ranked: families that fit ${options.containers} at once first, cheapest per 1,000 launches first. Mean over ${options.seeds} seeds. Margin to the cliff: the largest passing concurrency (found by bisection to ${PLAN_RESOLUTION} containers) minus ${options.containers}.`, columns: table.header, rows: table.rows },
    charts: [{ title: 'Max concurrency per family', caption: 'Largest concurrency found with < 1% failed launches; colour: $ per 1,000 launches.', svg, specFile: 'plan.vl.json', csvFile: 'plan.csv', pngFile: 'plan.png' }],
    reproduce: { command, note: 'Every step the search tried, per family, is in plan.json.' },
    files: [
      { file: 'plan.json', description: 'the options, the cost formula, and per family every concurrency tried with its failure rate and latencies (schemas/plan.schema.json)' },
      { file: 'plan.csv', description: 'the ranked table as numbers, units in the column names' },
    ],
    footer: { locksimVersion: locksimVersion(), seeds: Array.from({ length: options.seeds }, (_, i) => i + 1) },
  };
}

export function parsePlanMachines(text: string, catalog: ModelCatalog): string[] {
  if (text.trim() === 'all') return listMachineModels(catalog).map((m) => m.name);
  const machines = text.split(',').map((m) => m.trim());
  if (machines.some((m) => m === '')) {
    throw new InputError('invalid machine list', { file: '--machines', expected: '`all` or comma-separated machine names', found: JSON.stringify(text), hint: '`locksim models` lists the families.' });
  }
  checkMachineNames(machines, '--machines', catalog);
  return [...new Set(machines)];
}

export interface PlanCommandArgs {
  readonly containers: number;
  readonly layers: number;
  readonly runtime: string;
  /** Kernel model (default: the launch default). */
  readonly kernel?: string;
  readonly deadline: string;
  readonly machines: string;
  readonly seeds: number;
  readonly maxConcurrency: number;
  readonly out: string;
  readonly quiet?: boolean;
  readonly json?: boolean;
  /** Threads (default: every core). */
  readonly jobs?: number;
  /** Latin hypercube samples of the uncertain parameters to search again in, for an interval per family (0: none). */
  readonly uncertainty?: number;
  readonly catalog?: ModelCatalog;
}

function positiveInteger(value: number, flag: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new InputError(`invalid ${flag}`, { file: flag, expected: `a whole number 1-${max}`, found: String(value) });
  return value;
}

function positiveDuration(text: string): number {
  const ns = parseDurationNs(text, { file: '--deadline' }, { bareNumberUnit: 's' });
  if (ns <= 0) throw new InputError('invalid --deadline', { file: '--deadline', expected: 'a positive duration such as "30 s"', found: JSON.stringify(text) });
  return ns;
}

/** Checks every flag, runs the search per machine, prints and writes the plan; returns the ranked rows. */
export async function executePlan(args: PlanCommandArgs, context: CommandContext): Promise<PlanRow[]> {
  const catalog = args.catalog ?? new ModelCatalog();
  // Unknown names are InputErrors listing the known ones, with a did-you-mean.
  catalog.file('runtimes', args.runtime, '--runtime');
  if (args.kernel !== undefined) catalog.file('kernel', args.kernel, '--kernel');
  const options: PlanOptions = {
    containers: positiveInteger(args.containers, '--containers', 100_000),
    layers: positiveInteger(args.layers, '--layers', 10_000),
    runtime: args.runtime,
    deadlineNs: positiveDuration(args.deadline),
    machines: parsePlanMachines(args.machines, catalog),
    seeds: positiveInteger(args.seeds, '--seeds', 100),
    maxConcurrency: positiveInteger(args.maxConcurrency, '--max-concurrency', 100_000),
    ...(args.kernel === undefined ? {} : { kernel: args.kernel }),
    catalog,
  };
  const samples = args.uncertainty ?? 0;
  if (!Number.isInteger(samples) || samples < 0 || samples === 1 || samples > 1000) {
    throw new InputError('invalid --uncertainty', { file: '--uncertainty', expected: 'a whole number of samples, 2-1000 (0: no interval)', found: String(samples) });
  }
  const sampleSets = samples === 0 ? [] : latinSampleSets(catalog, { kernel: options.kernel ?? LAUNCH_DEFAULTS.kernel, node: options.node ?? LAUNCH_DEFAULTS.node }, samples).sets;
  await ensureWritableDir(args.out);
  const command = commandLine([
    'plan',
    '--containers', String(options.containers),
    '--layers', String(options.layers),
    '--runtime', options.runtime,
    ...(options.kernel === undefined ? [] : ['--kernel', options.kernel]),
    '--deadline', args.deadline,
    '--machines', args.machines,
    '--seeds', String(options.seeds),
    '--max-concurrency', String(options.maxConcurrency),
    ...(samples === 0 ? [] : ['--uncertainty', String(samples)]),
  ]);
  const estimate = (1 + samples) * options.machines.length * options.seeds * (planLadder(options).length + 3);
  const progress = createProgress({ total: estimate, label: 'planning', enabled: context.isTty && args.quiet !== true });
  const executor = createExecutor(args.jobs);
  let ranked: PlanRow[];
  try {
    ranked = await runPlanWithUncertainty(options, sampleSets, (scenario) => runScenario(scenario, { executor, onProgress: () => progress.tick() }));
  } finally {
    progress.stop();
    await executor.close();
  }
  const spec = planChartSpec(ranked, options.containers);
  const rendered = await renderChart(spec);
  const table = planTableRows(ranked, options.containers);
  const csv = planCsvRows(ranked);
  const planDoc = { ...outputHead(), command, options: planSource(options), costFormula: COST_FORMULA, ranked };
  await writeFileAtomic(join(args.out, 'plan.json'), `${JSON.stringify(planDoc, null, 2)}\n`);
  await writeFileAtomic(join(args.out, 'plan.csv'), toCsv(csv.rows, csv.columns));
  await writeFileAtomic(join(args.out, 'plan.vl.json'), `${JSON.stringify(spec, null, 2)}\n`);
  await writeFileAtomic(join(args.out, 'plan.svg'), rendered.svg);
  await writeFileAtomic(join(args.out, 'plan.png'), rendered.png);
  await writeFileAtomic(join(args.out, 'index.html'), renderReportHtml(planPage(ranked, options, rendered.svg, command)));
  if (args.json === true) context.out(JSON.stringify(planDoc, null, 2));
  else if (args.quiet === true) context.out(join(args.out, 'index.html'));
  else context.out(`${formatTable(table.header, table.rows)}\n\n${planRecommendation(ranked, options)}\n${COST_FORMULA}${ranked.some((r) => r.price.estimate) ? '\n* price is an estimate until checked.' : ''}\nopen ${join(args.out, 'index.html')}`);
  return ranked;
}

export function registerPlan(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'plan',
    'For each machine family: p99 and failures at the asked concurrency, the largest concurrency within the deadline with < 1% failures (the margin to the cliff), and cost per month and per 1,000 launches',
    (y) =>
      y
        .option('containers', { type: 'number', default: 100, describe: 'containers you need to launch at once' })
        .option('layers', { type: 'number', default: 50, describe: 'image layers per container (fixed)' })
        .option('runtime', { type: 'string', default: LAUNCH_DEFAULTS.runtime, describe: 'runtime model in models/runtimes' })
        .option('kernel', { type: 'string', describe: `kernel model in models/kernel (default ${LAUNCH_DEFAULTS.kernel})` })
        .option('deadline', { type: 'string', default: LAUNCH_DEFAULTS.deadlines.launch, describe: 'launch deadline (the health check), e.g. "30 s"' })
        .option('machines', { type: 'string', default: 'all', describe: '`all` (every family in models/machines, searched at once on --jobs threads) or comma-separated names' })
        .option('seeds', { type: 'number', default: 3, describe: 'replications per concurrency tried' })
        .option('max-concurrency', { type: 'number', default: 400, describe: 'largest concurrency to try' })
        .option('uncertainty', { type: 'number', default: 0, describe: 'also search in N Latin hypercube samples of the uncertain kernel, node and machine values (the same seeds): an interval on each family\'s largest concurrency (0: none)' })
        .option('jobs', { type: 'number', describe: 'threads; every family searches at once (default: every core; 1 runs in this process)' })
        .option('out', { type: 'string', default: join('reports', 'plan'), describe: 'report directory' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar or table; print only the report path' })
        .option('json', { type: 'boolean', default: false, describe: 'print the plan as JSON' })
        .example('$0 plan --containers 100 --layers 50 --runtime containerd-idmap', 'the Netflix question, on every family')
        .example('$0 plan --machines r5.metal,m7i.metal-24xl,m7a.24xlarge --runtime containerd-common-parent --deadline 30s', 'three families, after the fix')
        .epilogue(`Search: climb ${PLAN_LADDER.join(', ')} (plus --containers and --max-concurrency) until a step has >= 1% failed launches, then bisect to ${PLAN_RESOLUTION} containers; --containers is always measured. arm64 (Graviton) families are flagged. Prices come from the machine model files, marked * while they are estimates.\n${COST_FORMULA}\n${EXIT_CODES_EPILOGUE}`),
    async (argv) => {
      await executePlan(
        {
          containers: argv.containers,
          layers: argv.layers,
          runtime: argv.runtime,
          kernel: argv.kernel,
          deadline: argv.deadline,
          machines: argv.machines,
          seeds: argv.seeds,
          maxConcurrency: argv['max-concurrency'],
          jobs: argv.jobs,
          uncertainty: argv.uncertainty,
          out: argv.out,
          quiet: argv.quiet,
          json: argv.json,
        },
        context,
      );
    },
  );
}
