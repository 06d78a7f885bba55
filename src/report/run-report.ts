/**
 * A scenario run -> what its report shows: the documents stored next to it
 * (resolved.json, results.json), the chart specs with their rows, the CSV
 * summary, the headline table and the page. Pure: no file I/O, no rendering;
 * write-run.ts does both.
 *
 * Everything here is computed from the two documents, never from anything
 * only the live run has, so `locksim report DIR` (which reads them back)
 * draws the same bytes as the run that wrote them. Charts show one series per
 * machine; when other coordinates are swept too (runtime, mechanisms), each
 * combination is its own series, named "machine, value" ("r5.metal,
 * docker-shifted"; "key=value" for numbers and switches).
 */
import type { TopLevelSpec } from 'vega-lite';
import { stringify as toYaml } from 'yaml';
import { summarizeScenario, type PointRuns, type RunOutput } from '../analysis/summarize.js';
import type { Estimate, PointSummary, ScenarioSummary } from '../analysis/summary.js';
import type { ScenarioRun } from '../pipeline.js';
import type { ResolvedScenario, RunPoint, ScenarioKind } from '../scenario/types.js';
import { DISTANCE_CLASSES } from '../topology/topology.js';
import { CATEGORY } from '../workload/accounting.js';
import type { LaunchRunResult } from '../workload/container-launch.js';
import { toCsv, type CsvRow } from './csv.js';
import type { StackSample } from './folded.js';
import type { ReportChart, ReportFileLink, ReportPage, ReportTable } from './html.js';
import { failureCurveSpec } from './charts/failure-curve.js';
import { handoffsSpec } from './charts/handoffs.js';
import { latencyCurveSpec } from './charts/latency-curve.js';
import { mountTableSpec } from './charts/mount-table.js';
import { pauseBenchSpec } from './charts/pause-bench.js';
import { timeBreakdownSpec } from './charts/time-breakdown.js';
import { CHART_CONFIG, compareCodeUnits, distinctInOrder } from './charts/theme.js';

type Scalar = string | number | boolean;

/** results.json larger than this keeps only the mount-table samples the charts draw. */
export const RESULTS_BUDGET_BYTES = 50_000_000;

/** The failure rate the failure chart marks, and the lead's "starts failing" threshold. */
export const FAILURE_THRESHOLD = 0.05;

/** resolved.json: the scenario exactly as run, every default filled in, plus who ran it how. */
export interface ResolvedDocument {
  readonly locksim: { readonly version: string; readonly command: string };
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly kind: ScenarioKind;
  readonly seeds: readonly string[];
  readonly points: readonly RunPoint[];
  readonly expectations: ResolvedScenario['expectations'];
  /** The scenario as written, with `--set` applied. */
  readonly source: unknown;
}

export interface StoredPoint {
  readonly index: number;
  readonly coordinates: Readonly<Record<string, Scalar>>;
  readonly machine: string;
  /** One per seed, in seed order; launch runs without their `folded` stacks (merged per machine below). */
  readonly runs: readonly RunOutput[];
}

/** results.json: every run's outputs, enough to recompute the summary and redraw every chart. */
export interface ResultsDocument {
  readonly locksim: { readonly version: string };
  readonly scenario: string;
  readonly kind: ScenarioKind;
  readonly seeds: readonly string[];
  readonly points: readonly StoredPoint[];
  /** Simulated CPU time by stack, summed over every point and seed of each machine (launch scenarios). */
  readonly folded: readonly { readonly machine: string; readonly stacks: readonly StackSample[] }[];
  /** What was left out to keep the file under RESULTS_BUDGET_BYTES, if anything. */
  readonly omitted: readonly string[];
}

/** What the renderer works from: the scenario, its runs and their summary. */
export interface ReportData {
  readonly resolved: ResolvedDocument;
  readonly results: ResultsDocument;
  readonly summary: ScenarioSummary;
}

/** One chart of the report before rendering: file stem, texts, spec and its data rows. */
export interface ChartPlan {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
  readonly rows: readonly CsvRow[];
}

export function resolvedDocument(scenario: ResolvedScenario, options: { command: string; version: string }): ResolvedDocument {
  return {
    locksim: { version: options.version, command: options.command },
    name: scenario.name,
    description: scenario.description,
    file: scenario.file,
    kind: scenario.kind,
    seeds: [...scenario.seeds],
    points: scenario.points,
    expectations: scenario.expectations,
    source: scenario.source,
  };
}

/** The resolved scenario back from its document (for `locksim report`, or to rerun it). */
export function scenarioFromDocument(doc: ResolvedDocument): ResolvedScenario {
  return { name: doc.name, description: doc.description, file: doc.file, kind: doc.kind, seeds: doc.seeds, points: doc.points, expectations: doc.expectations, source: doc.source };
}

/**
 * The results document of a run. Folded stacks move out of the runs and are
 * merged per machine (they are the bulk of a run and only ever read merged);
 * past `budgetBytes`, mount-table samples the charts do not draw are dropped.
 */
export function resultsDocument(run: ScenarioRun, options: { version: string; budgetBytes?: number }): ResultsDocument {
  const folded = new Map<string, Map<string, StackSample>>();
  const points: StoredPoint[] = run.points.map((point) => ({
    index: point.point.index,
    coordinates: point.point.coordinates,
    machine: point.machine,
    runs: point.runs.map((output) => {
      if (output.kind !== 'launch') return output;
      const byStack = folded.get(point.machine) ?? new Map<string, StackSample>();
      folded.set(point.machine, byStack);
      for (const sample of output.result.folded) {
        const key = sample.stack.join('\u0000');
        const seen = byStack.get(key);
        byStack.set(key, { stack: sample.stack, weight: (seen?.weight ?? 0) + sample.weight });
      }
      const { folded: _dropped, ...rest } = output.result;
      return { kind: 'launch', result: { ...rest, folded: [] } };
    }),
  }));
  const doc: ResultsDocument = {
    locksim: { version: options.version },
    scenario: run.scenario.name,
    kind: run.scenario.kind,
    seeds: [...run.scenario.seeds],
    points,
    folded: [...folded].map(([machine, stacks]) => ({ machine, stacks: [...stacks.values()] })),
    omitted: [],
  };
  if (JSON.stringify(doc).length <= (options.budgetBytes ?? RESULTS_BUDGET_BYTES)) return doc;
  const kept = new Set(largestPointPerSeries(storedAsPointRuns(doc, run.scenario.points), run.scenario.kind).map((p) => p.point.index));
  return {
    ...doc,
    points: points.map((point) =>
      kept.has(point.index)
        ? point
        : {
            ...point,
            runs: point.runs.map((output): RunOutput => (output.kind === 'launch' ? { kind: 'launch', result: { ...output.result, mountTable: { ...output.result.mountTable, samples: [] } } } : output)),
          },
    ),
    omitted: ['mountTable.samples of points the mount-table chart does not draw (the file would exceed 50 MB)'],
  };
}

function storedAsPointRuns(results: ResultsDocument, points: readonly RunPoint[]): PointRuns[] {
  const byIndex = new Map(points.map((p) => [p.index, p]));
  return results.points.map((stored) => {
    const point = byIndex.get(stored.index) ?? { index: stored.index, coordinates: stored.coordinates, spec: points[0].spec };
    return { point, machine: stored.machine, runs: stored.runs };
  });
}

/** The report's data from the two documents; the summary is recomputed from the runs. */
export function reportData(resolved: ResolvedDocument, results: ResultsDocument): ReportData {
  const summary = summarizeScenario(resolved.name, resolved.seeds, storedAsPointRuns(results, resolved.points));
  return { resolved, results, summary };
}

// ---------------------------------------------------------------- series and points

interface SeriesPoint {
  readonly point: RunPoint;
  readonly machine: string;
  readonly runs: readonly RunOutput[];
  readonly summary: PointSummary;
  /** Series name: the machine, plus any other swept coordinate. */
  readonly series: string;
  /** Concurrency (containers) or threads of this point. */
  readonly x: number;
}

/** The coordinate the curves run along: containers for launch storms, threads for pause_bench. */
export function xKeyOf(kind: ScenarioKind): 'containers' | 'threads' {
  return kind === 'launch' ? 'containers' : 'threads';
}

function xOf(point: RunPoint): number {
  return point.spec.kind === 'launch' ? point.spec.containers : point.spec.threads;
}

function seriesPoints(data: ReportData): SeriesPoint[] {
  const xKey = xKeyOf(data.resolved.kind);
  const summaries = new Map(data.summary.points.map((p) => [p.index, p]));
  return storedAsPointRuns(data.results, data.resolved.points).map((p) => {
    const others = Object.entries(p.point.coordinates).filter(([key]) => key !== xKey && key !== 'machine');
    // A name (runtime, kernel) reads on its own; a number or switch needs its key.
    const series = [p.machine, ...others.map(([key, value]) => (typeof value === 'string' ? value : `${key}=${String(value)}`))].join(', ');
    return { point: p.point, machine: p.machine, runs: p.runs, summary: summaries.get(p.point.index)!, series, x: xOf(p.point) };
  });
}

function largestPointPerSeries<T extends { point: RunPoint; machine: string }>(points: readonly T[], kind: ScenarioKind): T[] {
  const xKey = xKeyOf(kind);
  const best = new Map<string, T>();
  for (const p of points) {
    const others = Object.entries(p.point.coordinates).filter(([key]) => key !== xKey && key !== 'machine');
    const key = JSON.stringify([p.machine, others]);
    const seen = best.get(key);
    if (seen === undefined || xOf(p.point) >= xOf(seen.point)) best.set(key, p);
  }
  return [...best.values()];
}

function meanOf(estimate: Estimate | undefined): number {
  return estimate?.mean ?? Number.NaN;
}

function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Rounds chart values so the specs stay readable and stable (6 significant digits). */
function tidy(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : 0;
}

// ---------------------------------------------------------------- charts

/** Mount-path CPU time categories of the time-breakdown chart, waiting first. */
const TIME_BREAKDOWN: readonly { label: string; of: (r: LaunchRunResult, times: readonly number[]) => number }[] = [
  { label: 'spin: mount_lock (writers)', of: (_r, t) => t[CATEGORY['spin:mount_lock']] },
  { label: 'spin: path_init (readers)', of: (r, t) => t[CATEGORY['spin:path_init']] + (r.background.backgroundSpinNs ?? 0) },
  { label: 'spin: namespace_sem', of: (_r, t) => t[CATEGORY['spin:namespace_sem']] },
  { label: 'critical section: mount_lock', of: (_r, t) => t[CATEGORY['cs:mount_lock']] },
  { label: 'critical section: namespace_sem', of: (_r, t) => t[CATEGORY['cs:namespace_sem']] },
  { label: 'other mount-path work', of: (r, t) => t[CATEGORY['walk']] + t[CATEGORY['kernel work']] + (r.background.backgroundWalkNs ?? 0) },
];

/**
 * Per-category CPU time of one run, in s: launch threads plus the mount-table
 * readers, plus other processes' path lookups, the same total
 * `lockWaitingShare` divides by, so the chart's red share is that metric.
 */
function timeBreakdownS(result: LaunchRunResult): number[] {
  const totals = new Array<number>(result.containers[0]?.timeNs.length ?? result.readerTimeNs.length).fill(0);
  for (const times of [...result.containers.map((c) => c.timeNs), result.readerTimeNs]) times.forEach((ns, c) => (totals[c] += ns));
  return TIME_BREAKDOWN.map((category) => category.of(result, totals) / 1e9);
}

function launchResults(runs: readonly RunOutput[]): LaunchRunResult[] {
  return runs.flatMap((r) => (r.kind === 'launch' ? [r.result] : []));
}

/** The lock whose handoffs the chart shows: mount_lock, the one the Netflix case is about, else the first. */
function handoffLock(result: LaunchRunResult): LaunchRunResult['locks'][number] | undefined {
  return result.locks.find((l) => l.name === 'mount_lock') ?? result.locks[0];
}

function sortedSeries(points: readonly SeriesPoint[]): string[] {
  return distinctInOrder(points.map((p) => p.series)).sort(compareCodeUnits);
}

/** Series names carry swept coordinates ("r5.metal, docker-shifted"): let legends and axes show them whole. */
function withWideLabels(spec: TopLevelSpec): TopLevelSpec {
  const config = spec.config ?? CHART_CONFIG;
  return { ...spec, config: { ...config, legend: { ...config.legend, labelLimit: 420 }, axis: { ...config.axis, labelLimit: 360 } } };
}

/** Every chart of a report, in page order. */
export function reportCharts(data: ReportData): ChartPlan[] {
  return buildCharts(data).map((chart) => ({ ...chart, spec: withWideLabels(chart.spec) }));
}

function buildCharts(data: ReportData): ChartPlan[] {
  const points = seriesPoints(data);
  if (points.length === 0) return [];
  const machines = sortedSeries(points);
  const swept = points.some((p) => xKeyOf(data.resolved.kind) in p.point.coordinates);
  const largest = largestPointPerSeries(points, data.resolved.kind).sort((a, b) => compareCodeUnits(a.series, b.series));
  const largestX = distinctInOrder(largest.map((p) => String(p.x)));
  const atLargest = largestX.length === 1 ? `at ${largestX[0]} ${data.resolved.kind === 'launch' ? 'containers' : 'threads'}` : 'at each series’ largest point';
  const charts: ChartPlan[] = [];
  const handoffRows = largest.flatMap((p) => {
    const counts = new Map<string, number[]>();
    for (const run of p.runs) {
      const byClass = run.kind === 'launch' ? (handoffLock(run.result)?.handoffsByClass ?? {}) : run.result.handoffsByClass;
      for (const [distanceClass, count] of Object.entries(byClass)) counts.set(distanceClass, [...(counts.get(distanceClass) ?? []), count as number]);
    }
    return DISTANCE_CLASSES.filter((c) => counts.has(c)).map((distanceClass) => ({ machine: p.series, distanceClass, count: tidy(average(counts.get(distanceClass)!)) }));
  });
  const handoffClasses = DISTANCE_CLASSES.filter((c) => handoffRows.some((row) => row.distanceClass === c && row.count > 0));
  const handoffs = (lockName: string): ChartPlan => {
    const rows = handoffRows.filter((row) => handoffClasses.includes(row.distanceClass as (typeof DISTANCE_CLASSES)[number]));
    return {
      name: 'handoffs',
      title: `${lockName} handoffs by distance`,
      caption: `How far the lock's cache line moved each time it changed owner, ${atLargest} (mean over seeds). Handoffs across sockets or L3 domains cost the most.`,
      spec: handoffsSpec(rows, { machines, distanceClasses: handoffClasses, title: `${lockName} handoffs by distance, ${atLargest}` }),
      rows,
    };
  };

  if (data.resolved.kind === 'pause-bench') {
    const rows = points.map((p) => ({ machine: p.series, threads: p.x, latencyNs: tidy(meanOf(p.summary.metrics.latencyNs)) }));
    const latencies = rows.map((r) => r.latencyNs).filter((v) => v > 0);
    const logY = latencies.length > 0 && Math.max(...latencies) / Math.min(...latencies) > 20;
    charts.push({
      name: 'pause-bench',
      title: 'Lock acquisition latency vs threads',
      caption: `Mean time from requesting the global lock to releasing it, per acquisition, against the threads spinning on it (mean over ${data.resolved.seeds.length} seeds)${swept ? '' : '; the thread count was not swept, so one point per machine'}.`,
      spec: pauseBenchSpec(rows, { machines, logY }),
      rows,
    });
    charts.push(handoffs('Global lock'));
    return charts;
  }

  const deadlines = distinctInOrder(points.map((p) => (p.point.spec.kind === 'launch' ? String(p.point.spec.deadlines.launchNs / 1e9) : '')));
  const latencyRows = points.map((p) => ({
    machine: p.series,
    containers: p.x,
    p50: tidy(meanOf(p.summary.metrics.p50LatencyS)),
    p90: tidy(meanOf(p.summary.metrics.p90LatencyS)),
    p99: tidy(meanOf(p.summary.metrics.p99LatencyS)),
  }));
  const notSwept = swept ? '' : ' The concurrency was not swept, so each machine is one point.';
  charts.push({
    name: 'latency',
    title: 'Launch latency vs concurrent launches',
    caption: `Median launch latency (line) with the p90 to p99 band, mean over ${data.resolved.seeds.length} seeds; the dashed line is the launch deadline. Unfinished launches count up to the end of the run.${notSwept}`,
    spec: latencyCurveSpec(latencyRows, { machines, deadlineS: deadlines.length === 1 ? Number(deadlines[0]) : null, deadlineLabel: deadlines.length === 1 ? `launch deadline ${deadlines[0]} s` : undefined }),
    rows: latencyRows,
  });
  const failureRows = points.map((p) => ({ machine: p.series, containers: p.x, failureRate: tidy(meanOf(p.summary.metrics.failureRate)) }));
  charts.push({
    name: 'failures',
    title: 'Failed launches vs concurrent launches',
    caption: `Share of launches that missed a deadline (launch, kubelet's runtime request, node health check) or had not finished at the horizon, mean over seeds; dashed: ${FAILURE_THRESHOLD * 100}%.${notSwept}`,
    spec: failureCurveSpec(failureRows, { machines, thresholdRate: FAILURE_THRESHOLD }),
    rows: failureRows,
  });
  const timeRows = largest.flatMap((p) => {
    const perRun = launchResults(p.runs).map(timeBreakdownS);
    return TIME_BREAKDOWN.map((category, index) => ({ machine: p.series, category: category.label, seconds: tidy(average(perRun.map((values) => values[index]))) }));
  });
  charts.push({
    name: 'time-breakdown',
    title: 'Where mount-path CPU time goes',
    caption: `CPU time of the launch threads, the mount-table readers (systemd, kubelet) and other processes' path lookups ${atLargest}, summed over CPUs, mean over seeds. The spinning share is the lockWaitingShare metric, the model's analogue of the blog's 95.5% of slots stalled on contested accesses.`,
    spec: timeBreakdownSpec(timeRows, { machines, title: `Where mount-path CPU time goes, ${atLargest}` }),
    rows: timeRows,
  });
  charts.push(handoffs('mount_lock'));
  const mountRows = largest.flatMap((p) => {
    const first = launchResults(p.runs)[0];
    if (first === undefined) return [];
    return [
      ...first.mountTable.samples.map((s) => ({ machine: `${p.series}, host`, timeS: tidy(s.timeNs / 1e9), mounts: s.hostMounts })),
      ...first.mountTable.samples.map((s) => ({ machine: `${p.series}, all namespaces`, timeS: tidy(s.timeNs / 1e9), mounts: s.systemMounts })),
    ];
  });
  charts.push({
    name: 'mount-table',
    title: 'Mount table size over time',
    caption: `Mounts in the host mount namespace and in all namespaces together (propagated copies included) ${atLargest}, first seed.`,
    spec: mountTableSpec(mountRows, { machines: machines.flatMap((m) => [`${m}, host`, `${m}, all namespaces`]), title: `Mount table size, ${atLargest}` }),
    rows: mountRows,
  });
  return charts;
}

// ---------------------------------------------------------------- tables

/** The metrics summary.csv and the headline tables carry, per kind. */
export const HEADLINE_METRICS: Readonly<Record<ScenarioKind, readonly string[]>> = {
  launch: [
    'p50LatencyS',
    'p90LatencyS',
    'p99LatencyS',
    'meanLatencyS',
    'failureRate',
    'lockWaitingShare',
    'mountOpsPerContainer',
    'bindMountSyscallsPerContainer',
    'throughputPerS',
    'maxHostMounts',
    'maxSystemMounts',
  ],
  'pause-bench': ['latencyNs', 'p50LatencyNs', 'p99LatencyNs', 'throughputPerS', 'acquisitions'],
};

/** Coordinate keys in sweep order (the first point's order, which the loader keeps). */
export function coordinateKeys(summary: ScenarioSummary): string[] {
  return distinctInOrder(summary.points.flatMap((p) => Object.keys(p.coordinates)));
}

/** summary.csv: one row per point, coordinates, resolved machine, then mean and ci95 of each headline metric. */
export function summaryCsv(summary: ScenarioSummary, kind: ScenarioKind): string {
  const keys = coordinateKeys(summary);
  // A swept `machine` is the spec as written (r5.metal+one-socket); the resolved name gets the plain column.
  const coordinateColumn = (key: string): string => (key === 'machine' ? 'sweep.machine' : key);
  const metrics = HEADLINE_METRICS[kind];
  const columns = ['point', ...keys.map(coordinateColumn), 'machine', ...metrics.flatMap((m) => [m, `${m}_ci95`])];
  const rows = summary.points.map((p) => {
    const row: Record<string, Scalar> = { point: p.index };
    for (const key of keys) row[coordinateColumn(key)] = p.coordinates[key];
    row.machine = p.machine;
    for (const metric of metrics) {
      row[metric] = p.metrics[metric]?.mean ?? Number.NaN;
      row[`${metric}_ci95`] = p.metrics[metric]?.ci95 ?? Number.NaN;
    }
    return row;
  });
  return toCsv(rows, columns);
}

/** A number to 3 significant digits: thousands grouped (en-US, whatever the machine's locale), an exponent only below 0.001. */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(digits - 1);
  const rounded = Number(value.toPrecision(digits));
  return Math.abs(rounded) >= 1000 ? Math.round(rounded).toLocaleString('en-US') : String(rounded);
}

/** A headline column: title, metric, and how to show an estimate. */
export interface HeadlineColumn {
  readonly title: string;
  readonly metric: string;
  readonly format: (value: number) => string;
}

const percent = (value: number): string => `${formatSignificant(value * 100)}%`;

/** The columns of the compact tables (terminal and page), per kind. */
export const HEADLINE_COLUMNS: Readonly<Record<ScenarioKind, readonly HeadlineColumn[]>> = {
  launch: [
    { title: 'p50 latency (s)', metric: 'p50LatencyS', format: (v) => formatSignificant(v) },
    { title: 'p99 latency (s)', metric: 'p99LatencyS', format: (v) => formatSignificant(v) },
    { title: 'failed', metric: 'failureRate', format: percent },
    { title: 'lock waiting share', metric: 'lockWaitingShare', format: percent },
  ],
  'pause-bench': [
    { title: 'latency (ns)', metric: 'latencyNs', format: (v) => formatSignificant(v) },
    { title: 'p99 latency (ns)', metric: 'p99LatencyNs', format: (v) => formatSignificant(v) },
    { title: 'throughput (/s)', metric: 'throughputPerS', format: (v) => formatSignificant(v) },
  ],
};

/** "mean ± ci95" (the ± only with more than one seed). */
export function formatEstimate(estimate: Estimate | undefined, format: (value: number) => string): string {
  if (estimate === undefined) return '';
  if (estimate.perSeed.length < 2 || !Number.isFinite(estimate.ci95) || estimate.ci95 === 0) return format(estimate.mean);
  return `${format(estimate.mean)} ± ${format(estimate.ci95)}`;
}

/** Header and string rows of the headline table: coordinates, machine, the headline columns. */
export function headlineRows(summary: ScenarioSummary, kind: ScenarioKind): { header: string[]; rows: string[][] } {
  const keys = coordinateKeys(summary).filter((k) => k !== 'machine');
  const columns = HEADLINE_COLUMNS[kind];
  return {
    header: [...keys, 'machine', ...columns.map((c) => c.title)],
    rows: summary.points.map((p) => [...keys.map((k) => String(p.coordinates[k])), p.machine, ...columns.map((c) => formatEstimate(p.metrics[c.metric], c.format))]),
  };
}

export function headlineTable(summary: ScenarioSummary, kind: ScenarioKind): ReportTable {
  const { header, rows } = headlineRows(summary, kind);
  const seeds = summary.seeds.length;
  return { caption: `Per sweep point, mean over ${seeds} seed${seeds === 1 ? '' : 's'}${seeds > 1 ? ' ± 95% confidence half-width' : ''}.`, columns: header, rows };
}

/** The finding in a few sentences, from the numbers. */
export function reportLead(data: ReportData): string {
  const { resolved, summary } = data;
  const runs = summary.points.length * resolved.seeds.length;
  const intro = `${(resolved.description === '' ? resolved.name : resolved.description).replace(/\.$/, '')}. ${summary.points.length} point${summary.points.length === 1 ? '' : 's'} x ${resolved.seeds.length} seed${resolved.seeds.length === 1 ? '' : 's'} = ${runs} simulated run${runs === 1 ? '' : 's'}.`;
  const points = seriesPoints(data);
  const bySeries = new Map<string, SeriesPoint[]>();
  for (const p of points) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p]);
  const sentences: string[] = [];
  for (const series of [...bySeries.keys()].sort(compareCodeUnits)) {
    const sorted = [...bySeries.get(series)!].sort((a, b) => a.x - b.x);
    const top = sorted[sorted.length - 1];
    if (resolved.kind === 'pause-bench') {
      sentences.push(`${series}: ${formatSignificant(meanOf(top.summary.metrics.latencyNs))} ns per acquisition at ${top.x} threads.`);
      continue;
    }
    const failing = sorted.find((p) => meanOf(p.summary.metrics.failureRate) > FAILURE_THRESHOLD);
    const worst = Math.max(...sorted.map((p) => meanOf(p.summary.metrics.failureRate)));
    sentences.push(
      failing === undefined
        ? `${series}: ${worst === 0 ? 'no failed launches' : `at most ${percent(worst)} failed`} up to ${top.x} containers (p50 ${formatSignificant(meanOf(top.summary.metrics.p50LatencyS))} s there).`
        : `${series}: more than ${FAILURE_THRESHOLD * 100}% of launches fail from ${failing.x} containers (${percent(meanOf(failing.summary.metrics.failureRate))}, p50 ${formatSignificant(meanOf(failing.summary.metrics.p50LatencyS))} s).`,
    );
  }
  return [intro, sentences.join(' ')].filter((t) => t !== '').join('\n\n');
}

/** Folded-stack files, one per machine: name and text-ready samples. */
export function foldedFiles(results: ResultsDocument): { file: string; machine: string; stacks: readonly StackSample[] }[] {
  return results.folded.map((f) => ({ file: `flamegraph-${fileSlug(f.machine)}.folded`, machine: f.machine, stacks: f.stacks }));
}

/** A machine or series name as a file name. */
export function fileSlug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'unnamed';
}

/** The report page; `charts` are the rendered charts in reportCharts() order. */
export function reportPage(data: ReportData, charts: readonly ReportChart[], options: { version: string }): ReportPage {
  const { resolved, results } = data;
  const files: ReportFileLink[] = [
    { file: 'resolved.json', description: 'the scenario as run: every default filled in, every sweep point, seeds, locksim version and command' },
    { file: 'results.json', description: 'every run’s outputs (per container, per lock, mount-table samples)' },
    { file: 'summary.json', description: 'per point, each metric’s mean, 95% confidence half-width and per-seed values' },
    { file: 'summary.csv', description: 'one row per sweep point, for spreadsheets and pandas' },
    ...foldedFiles(results).map((f) => ({ file: f.file, description: `where simulated CPU time went on ${f.machine}, all points and seeds (flamegraph.pl, speedscope)` })),
  ];
  return {
    title: `locksim: ${resolved.name}`,
    lead: reportLead(data),
    scenario: { fileName: resolved.file, text: toYaml(resolved.source, { lineWidth: 0 }) },
    headline: headlineTable(data.summary, resolved.kind),
    charts,
    reproduce: {
      command: resolved.locksim.command,
      note: `The same seeds give byte-identical results. To redraw the charts and this page from results.json without simulating again: locksim report <this directory>.${results.omitted.length > 0 ? ` Left out of results.json: ${results.omitted.join('; ')}.` : ''}`,
    },
    files,
    footer: { locksimVersion: options.version, seeds: resolved.seeds },
  };
}
