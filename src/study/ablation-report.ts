/**
 * An ablation study as files and tables: the printed table (cells as text,
 * the CLI lays them out), `ablation.csv` (long form, one row per point,
 * mechanism and metric), the chart (`ablation.vl.json/.svg/.png`: the change
 * in p50 latency and failure rate each mechanism causes, per machine, at the
 * largest swept concurrency) and `index.html` tying them together.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ablationSpec, type AblationRow } from '../charts/ablation.js';
import { ensureWritableDir, writeFileAtomic } from '../report/atomic.js';
import { renderChart } from '../report/render.js';
import { renderReportHtml, type ReportTable } from '../report/html.js';
import { toCsv, type CsvRow } from '../report/csv.js';
import { ABLATION_METRICS, CONCURRENCY_KEY, largestPointRows, type AblationMetric, type AblationStudy, type AblationTableRow, type MetricContribution } from './ablation.js';

export const SHARES_NOTE =
  'share = (full - off) / (full - base), base = the same machine at the smallest swept concurrency. Shares are not additive: mechanisms amplify one another, so shares can sum past 100% or be negative.';

const METRIC_LABELS: Record<AblationMetric, string> = { p50LatencyS: 'p50', p99LatencyS: 'p99', failureRate: 'fail' };

/** Seconds to 3 significant digits; infinities (unfinished launches) as "inf". */
function formatSeconds(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(Number(value.toPrecision(3)));
}

function formatPercent(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return '';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return `${(value * 100).toFixed(digits)}%`;
}

function formatSigned(value: number, format: (v: number) => string): string {
  const text = format(value);
  return value > 0 && /[1-9]/.test(text) && text !== 'inf' ? `+${text}` : text;
}

/** A latency difference to the millisecond: finer digits are below what seeds resolve. */
function formatDeltaSeconds(value: number): string {
  if (!Number.isFinite(value)) return formatSeconds(value);
  const text = value.toFixed(3);
  return text === '-0.000' ? '0.000' : text;
}

function metricCells(metric: AblationMetric, c: MetricContribution): string[] {
  if (metric === 'failureRate') {
    const percent = (v: number): string => formatPercent(v, 1);
    return [percent(c.full), percent(c.off), formatSigned(c.delta, percent), formatPercent(c.share)];
  }
  return [formatSeconds(c.full), formatSeconds(c.off), formatSigned(c.delta, formatDeltaSeconds), formatPercent(c.share)];
}

/** Coordinates other than machine and concurrency, e.g. "runtime=containerd-idmap". */
function otherCoordinates(row: AblationTableRow): string {
  return Object.entries(row.coordinates)
    .filter(([key]) => key !== 'machine' && key !== CONCURRENCY_KEY)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
}

/** The printed table: one line per point and mechanism, p50/p99 in s, failure rate in %. */
export function ablationTextTable(rows: readonly AblationTableRow[]): { header: string[]; rows: string[][] } {
  const withOther = rows.some((row) => otherCoordinates(row) !== '');
  const header = ['machine', CONCURRENCY_KEY, ...(withOther ? ['point'] : []), 'mechanism off'];
  for (const metric of ABLATION_METRICS) {
    const label = METRIC_LABELS[metric];
    header.push(`${label} full`, `${label} off`, `${label} delta`, `${label} share`);
  }
  return {
    header,
    rows: rows.map((row) => [
      row.machine,
      row.containers === undefined ? '' : String(row.containers),
      ...(withOther ? [otherCoordinates(row)] : []),
      row.mechanism,
      ...ABLATION_METRICS.flatMap((metric) => metricCells(metric, row.metrics[metric])),
    ]),
  };
}

function csvNumber(value: number | undefined): number | string | undefined {
  if (value === undefined || Number.isFinite(value) || Number.isNaN(value)) return value;
  return value > 0 ? 'inf' : '-inf';
}

/** Long form for pandas: scenario, point coordinates, mechanism, metric, full, off, delta, base, share. */
export function ablationCsv(study: AblationStudy): string {
  const coordinateKeys = [...new Set(study.rows.flatMap((row) => Object.keys(row.coordinates)))].filter((key) => key !== 'machine');
  const rows: CsvRow[] = study.rows.flatMap((row) =>
    ABLATION_METRICS.map((metric) => {
      const c = row.metrics[metric];
      return {
        scenario: study.scenario.name,
        point: row.pointIndex,
        machine: row.machine,
        ...Object.fromEntries(coordinateKeys.map((key) => [key, row.coordinates[key]])),
        mechanism: row.mechanism,
        metric,
        full: csvNumber(c.full),
        off: csvNumber(c.off),
        delta: csvNumber(c.delta),
        base: csvNumber(c.base),
        share: csvNumber(c.share),
      };
    }),
  );
  return toCsv(rows, ['scenario', 'point', 'machine', ...coordinateKeys, 'mechanism', 'metric', 'full', 'off', 'delta', 'base', 'share']);
}

/** Chart rows: p50 latency and failure rate deltas per machine and mechanism at each machine's largest point (non-finite deltas dropped). */
export function ablationChartRows(rows: readonly AblationTableRow[]): AblationRow[] {
  const chosen = largestPointRows(rows);
  const panels: [AblationMetric, string, number][] = [
    ['p50LatencyS', 'p50 launch latency (s)', 1],
    ['failureRate', 'failure rate (percentage points)', 100],
  ];
  return panels.flatMap(([metric, label, scale]) =>
    chosen.filter((row) => Number.isFinite(row.metrics[metric].delta)).map((row) => ({ machine: row.machine, mechanism: row.mechanism, metric: label, delta: row.metrics[metric].delta * scale })),
  );
}

function locksimVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function headline(rows: readonly AblationTableRow[]): ReportTable {
  const chosen = largestPointRows(rows);
  return {
    caption: 'At each machine’s largest swept concurrency: p50 and failure rate with the mechanism off, and the mechanism’s share of the p50 rise',
    columns: ['machine', CONCURRENCY_KEY, 'mechanism off', 'p50 full (s)', 'p50 off (s)', 'p50 delta (s)', 'p50 share', 'failures full', 'failures off'],
    rows: chosen.map((row) => {
      const p50 = row.metrics.p50LatencyS;
      const fail = row.metrics.failureRate;
      return [row.machine, row.containers ?? '', row.mechanism, formatSeconds(p50.full), formatSeconds(p50.off), formatSigned(p50.delta, formatDeltaSeconds), formatPercent(p50.share), formatPercent(fail.full, 1), formatPercent(fail.off, 1)];
    }),
  };
}

export interface AblationReportOptions {
  /** The command that regenerates the report, for the page's "reproduce" section. */
  readonly command: string;
}

/** Writes ablation.csv, ablation.vl.json/.svg/.png, resolved-scenario.yaml and index.html into `dir`; returns the paths written. */
export async function writeAblationReport(study: AblationStudy, dir: string, options: AblationReportOptions): Promise<string[]> {
  await ensureWritableDir(dir);
  const written: string[] = [];
  const write = async (name: string, data: string | Uint8Array): Promise<void> => {
    const path = join(dir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  };
  await write('ablation.csv', ablationCsv(study));
  const concurrencies = [...new Set(largestPointRows(study.rows).map((row) => row.containers))];
  const at = concurrencies.length === 1 && concurrencies[0] !== undefined ? ` at ${concurrencies[0]} containers` : '';
  const spec = ablationSpec(ablationChartRows(study.rows), { title: `${study.scenario.name}: what each mechanism contributes${at}`, deltaTitle: 'With the mechanism minus without it' });
  const chart = await renderChart(spec);
  await write('ablation.vl.json', `${JSON.stringify(spec, null, 2)}\n`);
  await write('ablation.svg', chart.svg);
  await write('ablation.png', chart.png);
  const scenarioText = stringify(study.scenario.source);
  await write('resolved-scenario.yaml', scenarioText);
  const skipped = study.skipped.length === 0 ? '' : `\n\nNot ablated (already off in the baseline): ${study.skipped.join(', ')}.`;
  const html = renderReportHtml({
    title: `Ablation of ${study.scenario.name}`,
    lead: `Each mechanism beyond the naive model was switched off in turn, with every other one on; the baseline has all of them on. delta = full - off is what the mechanism adds. ${SHARES_NOTE}${skipped}`,
    scenario: { fileName: 'resolved-scenario.yaml', text: scenarioText },
    headline: headline(study.rows),
    charts: [
      {
        title: 'What each mechanism contributes at the largest concurrency',
        caption: 'Change in median launch latency and in failure rate caused by each mechanism (with it minus without it), per machine, at its largest swept concurrency.',
        svg: chart.svg,
        specFile: 'ablation.vl.json',
        csvFile: 'ablation.csv',
        pngFile: 'ablation.png',
      },
    ],
    reproduce: { command: options.command },
    files: [
      { file: 'ablation.csv', description: 'every point, mechanism and metric: full, off, delta, base, share' },
      { file: 'resolved-scenario.yaml', description: 'the baseline scenario as run (every mechanism on, then --set)' },
    ],
    footer: { locksimVersion: locksimVersion(), seeds: study.scenario.seeds },
  });
  await write('index.html', html);
  return written;
}
