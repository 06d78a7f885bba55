/**
 * The compact tables the commands print: one line per sweep point with the
 * numbers a reader looks at first. The same columns head the report page
 * (report/run-report.ts), so the terminal and the page never disagree.
 */
import type { ScenarioSummary } from '../analysis/summary.js';
import { headlineRows } from '../report/run-report.js';
import { formatTable } from '../report/table.js';

/** Point coordinates, machine, then p50/p99 latency, failures and waiting share (launch) or latency/throughput (pause_bench). */
export function summaryTable(summary: ScenarioSummary, kind: string): string {
  const { header, rows } = headlineRows(summary, kind);
  const seeds = summary.seeds.length;
  const note = seeds > 1 ? `mean ± 95% CI over ${seeds} seeds` : `1 seed`;
  return `${formatTable(header, rows)}\n(${note})`;
}

/** Quotes a command-line argument for a POSIX shell when it needs it, so a printed command can be pasted back. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_./:=+,@%-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** `locksim <args>` with each argument quoted as needed. */
export function commandLine(args: readonly string[]): string {
  return ['locksim', ...args.map(shellQuote)].join(' ');
}
