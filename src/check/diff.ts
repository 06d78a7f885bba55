/**
 * `locksim diff A B`: what changed between two report folders, per point and
 * metric, judged against the runs' own noise. What a researcher asks after
 * editing a model file, and what CI asks on a pull request.
 *
 * Points are matched by their coordinates (not their index, so a sweep that
 * gained a point still lines up). For each metric both folders have, the
 * change is mean(B) - mean(A) over seeds, with Welch's 95% t interval from
 * the per-seed values (deterministic: no resampling). The verdict:
 *
 *   better / worse   the interval excludes 0, in the metric's better direction
 *   changed          the interval excludes 0, for a metric with no direction (a count of work)
 *   no change        the interval includes 0: within the runs' noise
 *   inconclusive     the means differ but a side has one seed, so there is no noise to judge against
 *
 * Reads summary.json (per-seed values, and since schemaVersion 1 the metric
 * catalogue); a summary.json written before then still diffs, its metrics'
 * directions taken from this version's catalogue.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../input/errors.js';
import { outputHead } from '../input/package-info.js';
import type { MetricDeclaration, MetricDirection } from '../analysis/metric.js';
import { mean, welchInterval } from '../analysis/statistics.js';
import { CoordinatesSchema, declarationOf, kindMetrics, OutputHeadSchema } from '../report/documents.js';
import { pointKey } from './baseline.js';
import { formatValue } from './expect.js';

export type DiffVerdict = 'better' | 'worse' | 'changed' | 'no change' | 'inconclusive';
export const DIFF_VERDICTS: readonly DiffVerdict[] = ['worse', 'better', 'changed', 'inconclusive', 'no change'];

const VerdictSchema = Type.Union(DIFF_VERDICTS.map((v) => Type.Literal(v)));
const SideSchema = Type.Object(
  {
    dir: Type.String({ description: 'The report folder as given.' }),
    scenario: Type.String(),
    seeds: Type.Array(Type.String()),
    version: Type.String({ description: 'locksim version that wrote the report ("unknown" before schemaVersion 1).' }),
  },
  { additionalProperties: false },
);

export const DiffDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    a: SideSchema,
    b: SideSchema,
    confidence: Type.Number({ description: 'Confidence level of the intervals (0.95).' }),
    method: Type.String({ description: 'How the interval is computed.' }),
    counts: Type.Record(Type.String(), Type.Integer(), { description: 'Rows per verdict.' }),
    onlyInA: Type.Array(CoordinatesSchema, { description: 'Points of A with no point of the same coordinates in B.' }),
    onlyInB: Type.Array(CoordinatesSchema, { description: 'Points of B with no point of the same coordinates in A.' }),
    rows: Type.Array(
      Type.Object(
        {
          coordinates: CoordinatesSchema,
          machine: Type.String(),
          metric: Type.String(),
          unit: Type.String(),
          better: Type.Union([Type.Literal('lower'), Type.Literal('higher'), Type.Literal('neither')]),
          meanA: Type.Number(),
          meanB: Type.Number(),
          seedsA: Type.Integer(),
          seedsB: Type.Integer(),
          change: Type.Number({ description: 'meanB - meanA, in the metric unit.' }),
          relativeChange: Type.Union([Type.Number(), Type.Null()], { description: 'change / |meanA|; null when meanA is 0.' }),
          ciLow: Type.Union([Type.Number(), Type.Null()], { description: 'Lower bound of the change; null with one seed on a side.' }),
          ciHigh: Type.Union([Type.Number(), Type.Null()]),
          verdict: VerdictSchema,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: '`locksim diff A B --json`: per point and metric, the change from A to B with its interval and verdict.' },
);

export type DiffDocument = Static<typeof DiffDocumentSchema>;
export type DiffRow = DiffDocument['rows'][number];

export interface DiffOptions {
  /** Only these metrics (names or family patterns as `locksim metrics` lists them); default all. */
  readonly metrics?: readonly string[];
}

/** A summary.json as read: any schemaVersion, per-seed values as numbers (null read back as NaN). */
interface StoredSummary {
  readonly dir: string;
  readonly scenario: string;
  readonly kind: string;
  readonly seeds: readonly string[];
  readonly version: string;
  readonly metrics: readonly MetricDeclaration[];
  readonly points: readonly { readonly coordinates: Readonly<Record<string, string | number | boolean>>; readonly machine: string; readonly metrics: Readonly<Record<string, { readonly perSeed: readonly (number | null)[] }>> }[];
}

async function readSummary(dir: string): Promise<StoredSummary> {
  const file = join(dir, 'summary.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`cannot read ${file}`, { file, expected: 'a report folder written by `locksim run` (it holds summary.json)', found: 'no such file' });
  }
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${file} is not valid JSON`, { file, found: error instanceof Error ? error.message : String(error) });
  }
  if (typeof value !== 'object' || value === null || !Array.isArray(value.points) || !Array.isArray(value.seeds) || typeof value.scenario !== 'string') {
    throw new InputError(`${file} is not a locksim summary`, { file, expected: 'fields scenario, seeds and points', found: 'other JSON', hint: 'Pass report folders written by `locksim run`.' });
  }
  if (typeof value.schemaVersion === 'number' && value.schemaVersion > outputHead().schemaVersion) {
    throw new InputError(`${file} is of a newer layout`, { file, expected: `schemaVersion <= ${outputHead().schemaVersion}`, found: String(value.schemaVersion), hint: 'Diff it with the locksim version that wrote it, or a newer one.' });
  }
  const kind = typeof value.kind === 'string' ? value.kind : await kindFromResolved(dir);
  return {
    dir,
    scenario: value.scenario,
    kind,
    seeds: (value.seeds as unknown[]).map(String),
    version: ((value.locksim as { version?: string } | undefined)?.version) ?? 'unknown',
    metrics: Array.isArray(value.metrics) ? (value.metrics as MetricDeclaration[]) : kindMetrics(kind),
    points: value.points as StoredSummary['points'],
  };
}

/** A summary.json from before schemaVersion 1 has no `kind`: the resolved.json beside it does. */
async function kindFromResolved(dir: string): Promise<string> {
  try {
    const resolved = JSON.parse(await readFile(join(dir, 'resolved.json'), 'utf8')) as { kind?: unknown };
    return typeof resolved.kind === 'string' ? resolved.kind : 'launch';
  } catch {
    return 'launch';
  }
}

function numbers(values: readonly (number | null)[] | undefined): number[] {
  return (values ?? []).map((v) => (v === null ? Number.NaN : v)).filter((v) => Number.isFinite(v));
}

/** The verdict for a change and its interval under a direction. */
export function verdictOf(change: number, low: number | null, high: number | null, better: MetricDirection): DiffVerdict {
  if (low === null || high === null) return change === 0 ? 'no change' : 'inconclusive';
  if (low <= 0 && high >= 0) return 'no change';
  if (better === 'neither') return 'changed';
  return (change < 0) === (better === 'lower') ? 'better' : 'worse';
}

function matchesMetric(name: string, wanted: readonly string[] | undefined, declarations: readonly MetricDeclaration[]): boolean {
  if (wanted === undefined || wanted.length === 0) return true;
  return wanted.includes(name) || wanted.includes(declarationOf(name, declarations)?.name ?? '');
}

/** The diff of two summaries (already read). */
export function diffSummaries(a: StoredSummary, b: StoredSummary, options: DiffOptions = {}): DiffDocument {
  const confidence = 0.95;
  const declarations = b.metrics.length > 0 ? b.metrics : a.metrics;
  const byKey = new Map(a.points.map((p) => [pointKey(p.coordinates), p]));
  const matched = new Set<string>();
  const rows: DiffRow[] = [];
  const onlyInB: Record<string, string | number | boolean>[] = [];
  for (const pb of b.points) {
    const key = pointKey(pb.coordinates);
    const pa = byKey.get(key);
    if (pa === undefined) {
      onlyInB.push({ ...pb.coordinates });
      continue;
    }
    matched.add(key);
    for (const metric of Object.keys(pb.metrics).sort()) {
      if (pa.metrics[metric] === undefined || !matchesMetric(metric, options.metrics, declarations)) continue;
      const va = numbers(pa.metrics[metric].perSeed);
      const vb = numbers(pb.metrics[metric].perSeed);
      if (va.length === 0 || vb.length === 0) continue;
      const declaration = declarationOf(metric, declarations);
      const better = declaration?.better ?? 'neither';
      const interval = welchInterval(va, vb, confidence);
      const meanA = mean(va);
      rows.push({
        coordinates: { ...pb.coordinates },
        machine: pb.machine,
        metric,
        unit: declaration?.unit ?? '',
        better,
        meanA,
        meanB: mean(vb),
        seedsA: va.length,
        seedsB: vb.length,
        change: interval.difference,
        relativeChange: meanA === 0 ? null : interval.difference / Math.abs(meanA),
        ciLow: interval.low,
        ciHigh: interval.high,
        verdict: verdictOf(interval.difference, interval.low, interval.high, better),
      });
    }
  }
  const counts: Record<string, number> = Object.fromEntries(DIFF_VERDICTS.map((v) => [v, 0]));
  for (const row of rows) counts[row.verdict]++;
  const side = (s: StoredSummary): DiffDocument['a'] => ({ dir: s.dir, scenario: s.scenario, seeds: [...s.seeds], version: s.version });
  return {
    ...outputHead(),
    a: side(a),
    b: side(b),
    confidence,
    method: "Welch's t interval of mean(B) - mean(A) over the per-seed values (unequal variances, unpaired)",
    counts,
    onlyInA: a.points.filter((p) => !matched.has(pointKey(p.coordinates))).map((p) => ({ ...p.coordinates })),
    onlyInB,
    rows,
  };
}

/** Reads both report folders and diffs them. */
export async function diffReportDirs(a: string, b: string, options: DiffOptions = {}): Promise<DiffDocument> {
  const [summaryA, summaryB] = await Promise.all([readSummary(a), readSummary(b)]);
  if (summaryA.kind !== summaryB.kind) {
    throw new InputError('the two reports are of different workload kinds', { file: b, expected: `a ${summaryA.kind} report like ${a}`, found: `a ${summaryB.kind} report` });
  }
  return diffSummaries(summaryA, summaryB, options);
}

// ---------------------------------------------------------------- tables

function pointLabel(coordinates: Readonly<Record<string, string | number | boolean>>, machine: string): string {
  const parts = Object.entries(coordinates)
    .filter(([key]) => key !== 'machine')
    .map(([key, value]) => `${key}=${String(value)}`);
  return [machine, ...parts].join(', ');
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${formatValue(value)}`;
}

function relative(row: DiffRow): string {
  return row.relativeChange === null ? '' : ` (${signed(Number((row.relativeChange * 100).toPrecision(3)))}%)`;
}

function interval(row: DiffRow): string {
  return row.ciLow === null || row.ciHigh === null ? 'one seed' : `[${formatValue(row.ciLow)}, ${formatValue(row.ciHigh)}]`;
}

/** Rows worth reading first: changes outside the noise, largest relative change first; then the rest when `all`. */
export function shownRows(doc: DiffDocument, all = false): DiffRow[] {
  const rank = (row: DiffRow): number => DIFF_VERDICTS.indexOf(row.verdict);
  const size = (row: DiffRow): number => Math.abs(row.relativeChange ?? (row.change === 0 ? 0 : Infinity));
  return doc.rows.filter((row) => all || row.verdict !== 'no change').sort((x, y) => rank(x) - rank(y) || size(y) - size(x));
}

export function diffReportTable(doc: DiffDocument, options: { all?: boolean; limit?: number } = {}): { header: string[]; rows: string[][]; omitted: number } {
  const rows = shownRows(doc, options.all);
  const limit = options.limit ?? Infinity;
  return {
    header: ['point', 'metric', 'unit', 'A', 'B', 'change', '95% interval', 'verdict'],
    rows: rows.slice(0, limit).map((row) => [pointLabel(row.coordinates, row.machine), row.metric, row.unit, formatValue(row.meanA), formatValue(row.meanB), `${signed(row.change)}${relative(row)}`, interval(row), row.verdict]),
    omitted: Math.max(0, rows.length - limit),
  };
}

/** "3 worse, 1 better, 120 no change over 12 points (seeds 3 vs 3)". */
export function diffSummaryLine(doc: DiffDocument): string {
  const parts = DIFF_VERDICTS.filter((v) => doc.counts[v] > 0).map((v) => `${doc.counts[v]} ${v}`);
  const points = new Set(doc.rows.map((r) => pointKey(r.coordinates))).size;
  const unmatched = doc.onlyInA.length + doc.onlyInB.length;
  return `${parts.length === 0 ? 'nothing to compare' : parts.join(', ')} over ${points} point${points === 1 ? '' : 's'} (seeds ${doc.a.seeds.length} vs ${doc.b.seeds.length})${unmatched > 0 ? `; ${doc.onlyInA.length} point(s) only in A, ${doc.onlyInB.length} only in B` : ''}`;
}

function escapeMarkdown(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The diff as a GitHub-flavoured Markdown section (PR comments, $GITHUB_STEP_SUMMARY). */
export function diffMarkdown(doc: DiffDocument, options: { all?: boolean; limit?: number } = {}): string {
  const table = diffReportTable(doc, { all: options.all, limit: options.limit ?? 50 });
  const lines = [
    `### locksim diff: ${escapeMarkdown(doc.a.scenario)}`,
    '',
    `A: \`${doc.a.dir}\` (locksim ${doc.a.version}, ${doc.a.seeds.length} seeds) · B: \`${doc.b.dir}\` (locksim ${doc.b.version}, ${doc.b.seeds.length} seeds)`,
    '',
    `**${diffSummaryLine(doc)}**. Change = B - A, with Welch's 95% interval over seeds; "no change" means within the runs' own noise.`,
    '',
  ];
  if (table.rows.length > 0) {
    lines.push(`| ${table.header.join(' | ')} |`, `|${table.header.map(() => '---').join('|')}|`);
    for (const row of table.rows) lines.push(`| ${row.map(escapeMarkdown).join(' | ')} |`);
    if (table.omitted > 0) lines.push('', `... and ${table.omitted} more rows (\`--json\` lists all).`);
  }
  return `${lines.join('\n')}\n`;
}
