/**
 * A pair study as files and tables: `pairs.md` (the README's table),
 * `pairs.csv` (long form: pair, variant, values), `pairs.json` (the rows as
 * computed) and `index.html`.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureWritableDir, writeFileAtomic } from '../report/atomic.js';
import { renderReportHtml, type ReportTable } from '../report/html.js';
import { toCsv, type CsvRow } from '../report/csv.js';
import { PAIR_METRIC, type PairRow, type PairStudy } from './pairs.js';

export const PAIRS_NOTE =
  'diff = p50(a) - p50(b) at the study point, every mechanism on. A mechanism\'s share = (diff - diff without it) / diff: the part of the gap that goes away when it is switched off on both machines (same seeds). Shares are not additive, and can be negative (the mechanism narrows the gap) or above 100%. "rests on": an uncertain machine value (basis estimate or calibrated) that, moved to one end of each family\'s own range, flips the difference or shrinks it below half.';

function seconds(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}

function signedSeconds(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = value.toFixed(2);
  return value > 0 && text !== '0.00' ? `+${text}` : text === '-0.00' ? '0.00' : text;
}

function percent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${Math.round(value * 100)}%`;
}

function relative(row: PairRow): string {
  const { b, diff } = row.full;
  return b === 0 || !Number.isFinite(b) ? '' : ` (${diff >= 0 ? '+' : ''}${((diff / b) * 100).toFixed(1)}%)`;
}

function restsOn(row: PairRow): string {
  if (row.restsOn.length === 0) return '—';
  return row.restsOn
    .map((name) => {
      const trials = row.trials.filter((t) => t.parameter === name && t.weakens);
      const at = trials.map((t) => `${t.point}: ${signedSeconds(t.diff)} s`).join(', ');
      return `**${name}** (${at})`;
    })
    .join('; ');
}

/** The table as text cells: pair, the two p50s, the difference, each mechanism's share, what it rests on. */
export function pairTextTable(study: PairStudy): { header: string[]; rows: string[][] } {
  const mechanisms = study.rows[0]?.mechanisms.map((m) => m.mechanism) ?? [];
  const header = ['pair', 'a', 'b', 'p50 a (s)', 'p50 b (s)', 'diff (s)', ...mechanisms, 'rests on'];
  const rows = study.rows.map((row) => [
    row.pair.label,
    row.pair.a,
    row.pair.b,
    seconds(row.full.a),
    seconds(row.full.b),
    `${signedSeconds(row.full.diff)}${relative(row)}`,
    ...row.mechanisms.map((m) => percent(m.share)),
    restsOn(row).replaceAll('**', ''),
  ]);
  return { header, rows };
}

/** The markdown the README carries, with the command that regenerates it. */
export function pairsMarkdown(study: PairStudy, command: string): string {
  const { header, rows } = pairTextTable(study);
  const point = study.scenario.points[0]?.spec as { containers?: number } | undefined;
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const table = [line(header), line(header.map(() => '---')), ...rows.map((cells, i) => line([...cells.slice(0, -1), restsOn(study.rows[i])]))];
  return [
    `Median launch latency at ${point?.containers ?? '?'} containers (${study.scenario.name}, ${study.seeds} seed${study.seeds === 1 ? '' : 's'}), the share of each pair's difference each hardware mechanism carries.`,
    '',
    ...table,
    '',
    PAIRS_NOTE,
    '',
    `Regenerate with \`${command}\`.`,
    '',
  ].join('\n');
}

/** Long form: one row per pair and variant. */
export function pairsCsv(study: PairStudy): string {
  const rows: CsvRow[] = study.rows.flatMap((row) => [
    { pair: row.pair.label, a: row.pair.a, b: row.pair.b, variant: 'full', metric: PAIR_METRIC, valueA: row.full.a, valueB: row.full.b, diff: row.full.diff, share: undefined, weakens: undefined },
    ...row.mechanisms.map((m) => ({ pair: row.pair.label, a: row.pair.a, b: row.pair.b, variant: `${m.mechanism} off`, metric: PAIR_METRIC, valueA: m.a, valueB: m.b, diff: m.diff, share: m.share, weakens: undefined })),
    ...row.trials.map((t) => ({ pair: row.pair.label, a: row.pair.a, b: row.pair.b, variant: `${t.parameter}=${t.point}`, metric: PAIR_METRIC, valueA: t.a, valueB: t.b, diff: t.diff, share: undefined, weakens: t.weakens })),
  ]);
  return toCsv(rows, ['pair', 'a', 'b', 'variant', 'metric', 'valueA', 'valueB', 'diff', 'share', 'weakens']);
}

function headline(study: PairStudy): ReportTable {
  const { header, rows } = pairTextTable(study);
  return { caption: 'Each pair\'s difference in median launch latency and the share each hardware mechanism carries', columns: header, rows };
}

/** Writes pairs.md, pairs.csv, pairs.json, resolved-scenario.yaml and index.html into `dir`; returns the paths. */
export async function writePairsReport(study: PairStudy, dir: string, options: { readonly command: string; readonly version: string }): Promise<string[]> {
  await ensureWritableDir(dir);
  const written: string[] = [];
  const write = async (name: string, data: string): Promise<void> => {
    const path = join(dir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  };
  await write('pairs.md', pairsMarkdown(study, options.command));
  await write('pairs.csv', pairsCsv(study));
  await write('pairs.json', `${JSON.stringify({ scenario: study.scenario.name, seeds: study.seeds, metric: PAIR_METRIC, rows: study.rows }, null, 2)}\n`);
  const scenarioText = stringify(study.scenario.source);
  await write('resolved-scenario.yaml', scenarioText);
  const flagged = study.rows.filter((row) => row.restsOn.length > 0);
  const flags = flagged.length === 0 ? 'No difference rests on one uncertain machine value alone.' : `Resting on one uncertain value: ${flagged.map((row) => `${row.pair.label} (${row.restsOn.join(', ')})`).join('; ')}.`;
  const html = renderReportHtml({
    title: 'Which hardware mechanism carries each family difference',
    lead: `${PAIRS_NOTE} ${flags}`,
    scenario: { fileName: 'resolved-scenario.yaml', text: scenarioText },
    headline: headline(study),
    charts: [],
    reproduce: { command: options.command },
    files: [
      { file: 'pairs.md', description: 'the table as markdown (the README\'s)' },
      { file: 'pairs.csv', description: 'every pair and variant: both machines\' p50, the difference, the share' },
      { file: 'pairs.json', description: 'the rows as computed, with every range-end trial' },
      { file: 'resolved-scenario.yaml', description: 'the study point as run' },
    ],
    footer: { locksimVersion: options.version, seeds: study.scenario.seeds },
  });
  await write('index.html', html);
  return written;
}
