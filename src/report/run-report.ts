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
import { stringify as toYaml } from 'yaml';
import type { TopLevelSpec } from 'vega-lite';
import type { Estimate, PointRuns, RunOutput, ScenarioSummary } from '../analysis/summary.js';
import type { FailureOnset } from '../analysis/onset.js';
import type { ResolvedDocument } from '../scenario/document.js';
import { scenarioFromDocument } from '../scenario/document.js';
import type { RunPoint } from '../scenario/types.js';
import { workloadKind } from '../workloads/registry.js';
import { completeRun, type ScenarioRun } from '../workloads/run.js';
import type { AnyWorkloadKind } from '../workloads/kind.js';
import type { ChartInput, ChartPlan, SeriesOnset, SeriesPoint } from '../charts/series.js';
import { formatPercent, formatSignificant } from '../charts/format.js';
import { CHART_CONFIG, compareCodeUnits, distinctInOrder } from '../charts/theme.js';
import { toCsv } from './csv.js';
import { OUTPUT_SCHEMA_VERSION } from '../input/package-info.js';
import type { StackSample } from './folded.js';
import type { ReportChart, ReportFileLink, ReportPage, ReportSection, ReportTable } from './html.js';
import { caveats, priceTable, recommendation } from './planning.js';

export type { ChartPlan } from '../charts/series.js';
export type { ResolvedDocument } from '../scenario/document.js';
export { resolvedDocument, scenarioFromDocument } from '../scenario/document.js';
export { formatSignificant } from '../charts/format.js';

type Scalar = string | number | boolean;

/** results.json larger than this keeps only the mount-table samples the charts draw. */
export const RESULTS_BUDGET_BYTES = 50_000_000;


export interface StoredPoint {
  readonly index: number;
  readonly coordinates: Readonly<Record<string, Scalar>>;
  readonly machine: string;
  /** One per seed, in seed order; runs without their `folded` stacks (merged per machine below). */
  readonly runs: readonly RunOutput[];
}

/** results.json: every run's outputs, enough to recompute the summary and redraw every chart. */
export interface ResultsDocument {
  /** OUTPUT_SCHEMA_VERSION when written; absent in reports written before it existed. */
  readonly schemaVersion?: number;
  readonly locksim: { readonly version: string };
  readonly scenario: string;
  readonly kind: string;
  readonly seeds: readonly string[];
  readonly points: readonly StoredPoint[];
  /** Simulated CPU time by stack, summed over every point and seed of each machine (kinds whose results carry stacks). */
  readonly folded: readonly { readonly machine: string; readonly stacks: readonly StackSample[] }[];
  /** What was left out to keep the file under RESULTS_BUDGET_BYTES, if anything. */
  readonly omitted: readonly string[];
  /** Failure onsets found by bisection between sweep points (src/study/onset.ts); absent in reports written before them. */
  readonly onsets?: readonly FailureOnset[];
}

/** What the renderer works from: the scenario, its runs and their summary. */
export interface ReportData {
  readonly resolved: ResolvedDocument;
  readonly results: ResultsDocument;
  readonly summary: ScenarioSummary;
}

/**
 * The results document of a run. Folded stacks (a run's `folded`, when its
 * kind records them) move out of the runs and are merged per machine (they
 * are the bulk of a run and only ever read merged); past `budgetBytes`, the
 * kind thins the runs its charts do not draw.
 */
export function resultsDocument(run: ScenarioRun, options: { version: string; budgetBytes?: number; onsets?: readonly FailureOnset[] }): ResultsDocument {
  const folded = new Map<string, Map<string, StackSample>>();
  const points: StoredPoint[] = run.points.map((point) => ({
    index: point.point.index,
    coordinates: point.point.coordinates,
    machine: point.machine,
    runs: point.runs.map((output) => {
      const result = output.result as { readonly folded?: readonly StackSample[] };
      if (result.folded === undefined) return output;
      const byStack = folded.get(point.machine) ?? new Map<string, StackSample>();
      folded.set(point.machine, byStack);
      for (const sample of result.folded) {
        const key = sample.stack.join('\u0000');
        const seen = byStack.get(key);
        byStack.set(key, { stack: sample.stack, weight: (seen?.weight ?? 0) + sample.weight });
      }
      const { folded: _dropped, ...rest } = result;
      return { kind: output.kind, result: { ...rest, folded: [] } };
    }),
  }));
  const doc: ResultsDocument = {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    locksim: { version: options.version },
    scenario: run.scenario.name,
    kind: run.scenario.kind,
    seeds: [...run.scenario.seeds],
    points,
    folded: [...folded].map(([machine, stacks]) => ({ machine, stacks: [...stacks.values()] })),
    omitted: [],
    onsets: [...(options.onsets ?? [])],
  };
  if (JSON.stringify(doc).length <= (options.budgetBytes ?? RESULTS_BUDGET_BYTES)) return doc;
  const kind = workloadKind(run.scenario.kind);
  const thin = kind.thinResult;
  if (thin === undefined) return doc;
  const kept = new Set(largestPointPerSeries(storedAsPointRuns(doc, run.scenario.points), kind).map((p) => p.point.index));
  return {
    ...doc,
    points: points.map((point) => (kept.has(point.index) ? point : { ...point, runs: point.runs.map((output): RunOutput => ({ kind: output.kind, result: thin.thin(output.result) })) })),
    omitted: [`${thin.what} of points the charts do not draw (the file would exceed 50 MB)`],
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
  const { summary } = completeRun(scenarioFromDocument(resolved), storedAsPointRuns(results, resolved.points));
  return { resolved, results, summary };
}

// ---------------------------------------------------------------- series and points

/** The coordinate that moves a point's x: the kind's xKey, or the one its spec names. */
function xCoordinateOf(kind: AnyWorkloadKind, spec?: RunPoint['spec']): string {
  return spec !== undefined && kind.xCoordinate !== undefined ? kind.xCoordinate(spec) : kind.xKey;
}

/** A series' name: the machine, then every other swept coordinate but x ("r5.metal, docker-shifted"). */
function seriesName(machine: string, coordinates: Readonly<Record<string, Scalar>>, kind: AnyWorkloadKind, spec?: RunPoint['spec']): string {
  const xKey = xCoordinateOf(kind, spec);
  const others = Object.entries(coordinates).filter(([key]) => key !== xKey && key !== 'machine');
  // A name (runtime, kernel) reads on its own; a number or switch needs its key.
  return [machine, ...others.map(([key, value]) => (typeof value === 'string' ? value : `${key}=${String(value)}`))].join(', ');
}

function seriesPoints(data: ReportData): SeriesPoint[] {
  const kind = workloadKind(data.resolved.kind);
  const summaries = new Map(data.summary.points.map((p) => [p.index, p]));
  return storedAsPointRuns(data.results, data.resolved.points).map((p) => {
    const series = seriesName(p.machine, p.point.coordinates, kind, p.point.spec);
    return { point: p.point, machine: p.machine, runs: p.runs, summary: summaries.get(p.point.index)!, series, x: kind.x(p.point.spec) };
  });
}

/** The stored failure onsets, each with its series' name. */
function seriesOnsets(data: ReportData): SeriesOnset[] {
  const kind = workloadKind(data.resolved.kind);
  return (data.results.onsets ?? []).map((onset) => ({ ...onset, series: seriesName(onset.machine, onset.coordinates, kind) }));
}

function largestPointPerSeries<T extends { point: RunPoint; machine: string }>(points: readonly T[], kind: AnyWorkloadKind): T[] {
  const best = new Map<string, T>();
  for (const p of points) {
    const xKey = xCoordinateOf(kind, p.point.spec);
    const others = Object.entries(p.point.coordinates).filter(([key]) => key !== xKey && key !== 'machine');
    const key = JSON.stringify([p.machine, others]);
    const seen = best.get(key);
    if (seen === undefined || kind.x(p.point.spec) >= kind.x(seen.point.spec)) best.set(key, p);
  }
  return [...best.values()];
}

// ---------------------------------------------------------------- charts

/** Series names carry swept coordinates ("r5.metal, docker-shifted"): let legends and axes show them whole. */
function withWideLabels(spec: TopLevelSpec): TopLevelSpec {
  const config = spec.config ?? CHART_CONFIG;
  return { ...spec, config: { ...config, legend: { ...config.legend, labelLimit: 420 }, axis: { ...config.axis, labelLimit: 360 } } };
}

/** What the kind's charts are drawn from. */
export function chartInput(data: ReportData): ChartInput {
  const kind = workloadKind(data.resolved.kind);
  const points = seriesPoints(data);
  const largest = largestPointPerSeries(points, kind).sort((a, b) => compareCodeUnits(a.series, b.series));
  const largestX = distinctInOrder(largest.map((p) => String(p.x)));
  return {
    seeds: data.resolved.seeds,
    points,
    series: distinctInOrder(points.map((p) => p.series)).sort(compareCodeUnits),
    swept: points.some((p) => xCoordinateOf(kind, p.point.spec) in p.point.coordinates),
    largest,
    atLargest: largestX.length === 1 ? `at ${largestX[0]} ${kind.xKey}` : 'at each series’ largest point',
    models: data.resolved.models,
    onsets: seriesOnsets(data),
  };
}

/** Every chart of a report, in page order. */
export function reportCharts(data: ReportData): ChartPlan[] {
  const input = chartInput(data);
  if (input.points.length === 0) return [];
  return workloadKind(data.resolved.kind)
    .charts(input)
    .map((chart) => ({ ...chart, spec: withWideLabels(chart.spec) }));
}

// ---------------------------------------------------------------- tables

/** Coordinate keys in sweep order (the first point's order, which the loader keeps). */
export function coordinateKeys(summary: ScenarioSummary): string[] {
  return distinctInOrder(summary.points.flatMap((p) => Object.keys(p.coordinates)));
}

/** summary.csv: one row per point, coordinates, resolved machine, then mean and ci95 of each of the kind's CSV metrics. */
export function summaryCsv(summary: ScenarioSummary, kindName: string): string {
  const keys = coordinateKeys(summary);
  // A swept `machine` is the spec as written (r5.metal+one-socket); the resolved name gets the plain column.
  const coordinateColumn = (key: string): string => (key === 'machine' ? 'sweep.machine' : key);
  const metrics = workloadKind(kindName).csvMetrics;
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

function formatBy(format: 'number' | 'percent'): (value: number) => string {
  return format === 'percent' ? formatPercent : (value) => formatSignificant(value);
}

/** "mean ± ci95" (the ± only with more than one seed). */
export function formatEstimate(estimate: Estimate | undefined, format: (value: number) => string): string {
  if (estimate === undefined) return '';
  if (estimate.perSeed.length < 2 || !Number.isFinite(estimate.ci95) || estimate.ci95 === 0) return format(estimate.mean);
  return `${format(estimate.mean)} ± ${format(estimate.ci95)}`;
}

/** Header and string rows of the headline table: coordinates, machine, the kind's headline columns. */
export function headlineRows(summary: ScenarioSummary, kindName: string): { header: string[]; rows: string[][] } {
  const keys = coordinateKeys(summary).filter((k) => k !== 'machine');
  const columns = workloadKind(kindName).headline;
  return {
    header: [...keys, 'machine', ...columns.map((c) => c.title)],
    rows: summary.points.map((p) => [...keys.map((k) => String(p.coordinates[k])), p.machine, ...columns.map((c) => formatEstimate(p.metrics[c.metric], formatBy(c.format)))]),
  };
}

export function headlineTable(summary: ScenarioSummary, kind: string): ReportTable {
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
  const kind = workloadKind(resolved.kind);
  const onsets = seriesOnsets(data);
  const sentences: string[] = [];
  for (const series of [...bySeries.keys()].sort(compareCodeUnits)) {
    const sorted = [...bySeries.get(series)!].sort((a, b) => a.x - b.x);
    sentences.push(kind.leadSentence(series, sorted, onsets.find((o) => o.series === series)));
  }
  return [intro, sentences.join(' ')].filter((t) => t !== '').join('\n\n');
}

/** A folded-stack file of the report: which machine, on or off CPU (or both, for kinds that do not say), and its share of the machine's time. */
export interface FoldedFile {
  readonly file: string;
  readonly machine: string;
  readonly cpu: 'on-cpu' | 'off-cpu' | 'all';
  readonly stacks: readonly StackSample[];
  /** This file's weight over the machine's whole recorded time (0..1). */
  readonly share: number;
}

/**
 * Folded-stack files per machine. Where the kind tells on-CPU time from
 * off-CPU time (spinning and critical sections against sleeping on a lock,
 * a grace period, the run queue), they are separate flame graphs: summed
 * together, sleep dwarfed the CPU work the flame graph is read for.
 */
export function foldedFiles(results: ResultsDocument): FoldedFile[] {
  const onCpu = workloadKind(results.kind).onCpu;
  return results.folded.flatMap((f): FoldedFile[] => {
    const total = f.stacks.reduce((sum, s) => sum + s.weight, 0);
    const share = (stacks: readonly StackSample[]): number => (total === 0 ? 0 : stacks.reduce((sum, s) => sum + s.weight, 0) / total);
    if (onCpu === undefined) return [{ file: `flamegraph-${fileSlug(f.machine)}.folded`, machine: f.machine, cpu: 'all' as const, stacks: f.stacks, share: 1 }];
    const on = f.stacks.filter((s) => onCpu(s.stack[s.stack.length - 1] ?? ''));
    const off = f.stacks.filter((s) => !onCpu(s.stack[s.stack.length - 1] ?? ''));
    return [
      { file: `flamegraph-${fileSlug(f.machine)}.on-cpu.folded`, machine: f.machine, cpu: 'on-cpu' as const, stacks: on, share: share(on) },
      { file: `flamegraph-${fileSlug(f.machine)}.off-cpu.folded`, machine: f.machine, cpu: 'off-cpu' as const, stacks: off, share: share(off) },
    ];
  });
}

function foldedDescription(f: FoldedFile): string {
  const share = `${formatSignificant(f.share * 100)}% of the recorded time`;
  switch (f.cpu) {
    case 'on-cpu':
      return `on-CPU flame graph of ${f.machine}: simulated CPU time (spinning, critical sections, walks, kernel and user work), all points and seeds; ${share} (flamegraph.pl, speedscope)`;
    case 'off-cpu':
      return `off-CPU flame graph of ${f.machine}: simulated time asleep (on a lock, in a grace period, in the run queue), all points and seeds; ${share}`;
    case 'all':
      return `where simulated time went on ${f.machine}, all points and seeds (flamegraph.pl, speedscope)`;
  }
}

/** A machine or series name as a file name. */
export function fileSlug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'unnamed';
}

/** Planning (prices, monthly cost, the recommendation and its margin) and the model's known gaps and caveats. */
export function planningSections(data: ReportData): ReportSection[] {
  const kind = workloadKind(data.resolved.kind);
  const points = seriesPoints(data);
  const sections: ReportSection[] = [];
  const prices = priceTable(points, data.resolved.models);
  const recommended = recommendation(points, seriesOnsets(data), data.resolved.models, kind.onset, kind.xKey);
  if (prices !== undefined || recommended !== undefined) {
    sections.push({ id: 'planning', title: 'Planning: which family, at what cost', ...(recommended === undefined ? {} : { paragraphs: [recommended] }), ...(prices === undefined ? {} : { tables: [prices] }) });
  }
  const { gaps, table, estimates } = caveats(data.resolved.expectations, data.resolved.models);
  sections.push({
    id: 'known-gaps',
    title: 'Known gaps',
    paragraphs: [
      gaps.length > 0
        ? 'Where this scenario’s own expectations say the model does not reproduce the case yet (knownGap; locksim check evaluates them on every run):'
        : 'This scenario marks no known gaps of its own; locksim check scenarios/checks reports the reproduction targets the model does not meet yet.',
    ],
    list: gaps,
  });
  if (table !== undefined || estimates.length > 0) {
    sections.push({
      id: 'caveats',
      title: 'Calibration caveats',
      position: 'after-charts',
      paragraphs: ['Numbers no public source gives: calibrated parameters of the kernel and node models, and machine-model values that are estimates rather than measurements. The kernel and node parameters are the same for every family.'],
      ...(table === undefined ? {} : { tables: [table] }),
      list: estimates,
    });
  }
  return sections;
}

/** A family-pair study (`locksim pairs`, pairs.json) as the run report shows it. */
export interface PairStudyDocument {
  readonly scenario: string;
  readonly seeds: number;
  readonly rows: readonly {
    readonly pair: { readonly label: string; readonly a: string; readonly b: string };
    readonly full: { readonly a: number; readonly b: number; readonly diff: number };
    readonly mechanisms: readonly { readonly mechanism: string; readonly share?: number }[];
    readonly restsOn: readonly string[];
  }[];
}

/**
 * The section "which hardware mechanism carries each family difference",
 * from a pair study kept beside the report (its link relative to the page),
 * for the pairs whose machines this report compares.
 */
export function pairsSection(study: PairStudyDocument, machines: ReadonlySet<string>, link: string): ReportSection | undefined {
  const rows = study.rows.filter((row) => machines.has(row.pair.a) || machines.has(row.pair.b));
  if (rows.length === 0) return undefined;
  const mechanisms = rows[0].mechanisms.map((m) => m.mechanism);
  const percent = (share: number | undefined): string => (share === undefined || !Number.isFinite(share) ? 'n/a' : `${Math.round(share * 100)}%`);
  return {
    id: 'hardware-pairs',
    title: 'Which hardware mechanism carries each family difference',
    position: 'after-charts',
    paragraphs: [
      `From locksim pairs (${study.scenario}, ${study.seeds} seed${study.seeds === 1 ? '' : 's'}; the whole study: ${link}). diff = p50(a) - p50(b); a mechanism's share is the part of the difference that goes away when it is switched off on both machines. "Rests on" names an uncertain machine value that, at one end of each family's own range, flips the difference or halves it: do not buy on such a difference until that value is measured.`,
    ],
    tables: [
      {
        columns: ['pair', 'p50 a (s)', 'p50 b (s)', 'diff (s)', ...mechanisms, 'rests on'],
        rows: rows.map((row) => [row.pair.label, row.full.a.toFixed(2), row.full.b.toFixed(2), `${row.full.diff >= 0 ? '+' : ''}${row.full.diff.toFixed(2)}`, ...row.mechanisms.map((m) => percent(m.share)), row.restsOn.length === 0 ? '-' : row.restsOn.join(', ')]),
      },
    ],
  };
}

/** An uncertainty study (`locksim uncertainty`, uncertainty.json) as the run report shows it. */
export interface UncertaintyStudyDocument {
  readonly sampleCount: number;
  readonly parameters: readonly { readonly name: string }[];
  readonly conclusions: readonly {
    readonly scenario: string;
    readonly expectation: string;
    readonly holdsAtDefaults: boolean;
    readonly knownGap?: string;
    readonly gotAtDefaults: string;
    readonly holds: number;
    readonly samples: number;
    readonly figure?: { readonly low: number; readonly median: number; readonly high: number };
    readonly driver?: { readonly parameter: string; readonly rho: number };
  }[];
}

/**
 * The section "how much of the parameter space each conclusion holds in",
 * from an uncertainty study kept beside the report (its link relative to the
 * page), for the conclusions of this report's scenario.
 */
export function uncertaintySection(study: UncertaintyStudyDocument, scenario: string, link: string): ReportSection | undefined {
  const rows = study.conclusions.filter((c) => c.scenario === scenario);
  if (rows.length === 0) return undefined;
  const figure = (c: (typeof rows)[number]): string => (c.figure === undefined ? 'n/a' : `${formatSignificant(c.figure.low)} .. ${formatSignificant(c.figure.high)}`);
  return {
    id: 'uncertainty',
    title: 'How much of the parameter space each conclusion holds in',
    position: 'after-charts',
    paragraphs: [
      `From locksim uncertainty (${study.sampleCount} Latin hypercube samples over ${study.parameters.length} uncertain kernel, node and machine values, the same seeds in every sample; the whole study: ${link}). "Holds in" is the share of samples in which the conclusion holds; the interval is the 5th to 95th percentile of the figure it compares. A conclusion that holds in few samples rests on values nobody has measured.`,
    ],
    tables: [
      {
        columns: ['conclusion', 'as run', 'holds in', 'figure, 5-95% of samples', 'ranks most with'],
        rows: rows.map((c) => [
          c.expectation,
          `${c.holdsAtDefaults ? 'holds' : c.knownGap === undefined ? 'fails' : 'known gap'}: ${c.gotAtDefaults}`,
          `${Math.round((c.holds / Math.max(1, c.samples)) * 100)}% (${c.holds}/${c.samples})`,
          figure(c),
          c.driver === undefined ? '-' : `${c.driver.parameter} (${c.driver.rho >= 0 ? '+' : ''}${c.driver.rho.toFixed(2)})`,
        ]),
      },
    ],
  };
}

/** The report page; `charts` are the rendered charts in reportCharts() order. */
export function reportPage(data: ReportData, charts: readonly ReportChart[], options: { version: string; extraSections?: readonly ReportSection[] }): ReportPage {
  const { resolved, results } = data;
  const files: ReportFileLink[] = [
    { file: 'resolved.json', description: 'the scenario as run: every default filled in, every sweep point, seeds, locksim version and command' },
    { file: 'results.json', description: 'every run’s outputs (per container, per lock, mount-table samples)' },
    { file: 'summary.json', description: 'per point, each metric’s mean, 95% confidence half-width and per-seed values, with the metric catalogue (units, better direction); schemas/summary.schema.json' },
    { file: 'summary.csv', description: 'one row per sweep point: each metric’s mean and 95% half-width, for spreadsheets' },
    { file: 'runs.csv', description: 'tidy: one row per sweep point and seed, every metric as a number, units in the column names (pandas, R)' },
    ...foldedFiles(results).map((f) => ({ file: f.file, description: foldedDescription(f) })),
  ];
  return {
    title: `locksim: ${resolved.name}`,
    lead: reportLead(data),
    scenario: { fileName: resolved.file, text: toYaml(resolved.source, { lineWidth: 0 }) },
    headline: headlineTable(data.summary, resolved.kind),
    sections: [...planningSections(data), ...(options.extraSections ?? [])],
    charts,
    reproduce: {
      command: resolved.locksim.command,
      note: `The same seeds give byte-identical results. To redraw the charts and this page from results.json without simulating again: locksim report <this directory>.${results.omitted.length > 0 ? ` Left out of results.json: ${results.omitted.join('; ')}.` : ''}`,
    },
    files,
    footer: { locksimVersion: options.version, seeds: resolved.seeds },
  };
}
