/**
 * Baselines: the per-point metric means of a run, recorded next to the
 * scenario (`<scenario dir>/baselines/<name>.json`) by `--update-baseline`,
 * and compared against on later runs with a relative tolerance. A baseline
 * catches drift nobody wrote an expectation for: a model edit that moves
 * every latency by 8% shows up as a readable diff, metric by metric.
 *
 * The file is plain JSON with sorted keys (so a re-recorded baseline diffs
 * cleanly in review) and is written atomically. Non-finite values (a p99 of
 * a run where launches never finished) are stored as the strings "Infinity",
 * "-Infinity" and "NaN", which JSON numbers cannot carry.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../input/errors.js';
import { readTextBounded } from '../input/read.js';
import { writeFileAtomic } from '../report/atomic.js';
import type { ScenarioSummary } from '../analysis/summary.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { formatValue } from './expect.js';

/** Default relative tolerance of a baseline comparison (5%). */
export const DEFAULT_BASELINE_TOLERANCE = 0.05;

type StoredNumber = number | 'Infinity' | '-Infinity' | 'NaN';

export interface Baseline {
  readonly scenario: string;
  readonly seeds: readonly string[];
  /** Point key (its coordinates, see `pointKey`) -> metric -> mean over seeds. */
  readonly points: Readonly<Record<string, Readonly<Record<string, StoredNumber>>>>;
}

export interface BaselineDiff {
  readonly scenario: string;
  readonly point: string;
  readonly metric: string;
  readonly baseline: number;
  /** Undefined when the metric or point is no longer reported. */
  readonly now: number | undefined;
  /** (now - baseline) / |baseline| in %, ±Infinity when the baseline is 0. */
  readonly changePct: number;
  readonly passed: boolean;
}

/** `containers=100 machine=r5.metal`, or `(single point)` for a scenario without a sweep. */
export function pointKey(coordinates: Readonly<Record<string, string | number | boolean>>): string {
  const entries = Object.entries(coordinates);
  return entries.length === 0 ? '(single point)' : entries.map(([key, value]) => `${key}=${String(value)}`).join(' ');
}

export function baselinePath(scenario: Pick<ResolvedScenario, 'file' | 'name'>): string {
  return join(dirname(scenario.file), 'baselines', `${scenario.name}.json`);
}

function store(value: number): StoredNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function restore(value: StoredNumber): number {
  return typeof value === 'number' ? value : Number(value);
}

export function baselineFromSummary(summary: ScenarioSummary): Baseline {
  const points: Record<string, Record<string, StoredNumber>> = {};
  for (const point of summary.points) {
    const metrics: Record<string, StoredNumber> = {};
    for (const [metric, estimate] of Object.entries(point.metrics)) metrics[metric] = store(estimate.mean);
    points[pointKey(point.coordinates)] = metrics;
  }
  return { scenario: summary.scenario, seeds: [...summary.seeds], points };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The file's text: sorted keys, two-space indent, final newline. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(sortKeys(baseline), null, 2)}\n`;
}

/** Records `summary` as the baseline of `scenario`; returns the file written. */
export async function writeBaseline(scenario: Pick<ResolvedScenario, 'file' | 'name'>, summary: ScenarioSummary): Promise<string> {
  const file = baselinePath(scenario);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, formatBaseline(baselineFromSummary(summary)));
  return file;
}

function isStoredNumber(value: unknown): value is StoredNumber {
  return typeof value === 'number' || value === 'Infinity' || value === '-Infinity' || value === 'NaN';
}

/** Far past any baseline (one number per metric and point of a sweep of at most 10,000 points). */
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/** Parses a baseline file's text; a malformed one is an InputError naming the file. */
export function parseBaseline(text: string, file: string): Baseline {
  const fail = (found: string): never => {
    throw new InputError('malformed baseline file', { file, expected: 'a baseline written by `locksim check --update-baseline`', found, hint: 'Re-record it with --update-baseline.' });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(error instanceof Error ? error.message : 'invalid JSON');
  }
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const { scenario, seeds, points } = value as Record<string, unknown>;
  if (typeof scenario !== 'string') fail('no scenario name');
  if (!Array.isArray(seeds) || !seeds.every((s) => typeof s === 'string')) fail('no seed list');
  if (typeof points !== 'object' || points === null || Array.isArray(points)) return fail('no points');
  for (const [key, metrics] of Object.entries(points)) {
    if (typeof metrics !== 'object' || metrics === null || !Object.values(metrics).every(isStoredNumber)) fail(`point "${key}" is not a mapping of metric values`);
  }
  return value as Baseline;
}

/** The baseline of `scenario`, or undefined when none was recorded. */
export async function readBaseline(scenario: Pick<ResolvedScenario, 'file' | 'name'>): Promise<Baseline | undefined> {
  const file = baselinePath(scenario);
  if (!existsSync(file)) return undefined;
  return parseBaseline(readTextBounded(file, { maxBytes: MAX_BASELINE_BYTES, expected: 'a baseline written by `locksim check --update-baseline`' }), file);
}

function relativeChangePct(baseline: number, now: number): number {
  if (baseline === now || (Number.isNaN(baseline) && Number.isNaN(now))) return 0;
  if (baseline === 0) return now > 0 ? Infinity : -Infinity;
  return ((now - baseline) / Math.abs(baseline)) * 100;
}

/**
 * Every recorded (point, metric) against the current summary. A value within
 * `tolerance` (relative, 0.05 = 5%) passes; a vanished point or metric fails.
 * Metrics or points new since the baseline are not compared.
 */
export function compareBaseline(baseline: Baseline, summary: ScenarioSummary, tolerance: number = DEFAULT_BASELINE_TOLERANCE): BaselineDiff[] {
  const now = new Map(summary.points.map((p) => [pointKey(p.coordinates), p]));
  const diffs: BaselineDiff[] = [];
  for (const key of Object.keys(baseline.points).sort()) {
    const recorded = baseline.points[key];
    const point = now.get(key);
    for (const metric of Object.keys(recorded).sort()) {
      const before = restore(recorded[metric]);
      const after = point?.metrics[metric]?.mean;
      if (after === undefined) {
        diffs.push({ scenario: summary.scenario, point: key, metric, baseline: before, now: undefined, changePct: NaN, passed: false });
        continue;
      }
      const changePct = relativeChangePct(before, after);
      // An absolute floor keeps float noise around zero from failing a check.
      const passed = changePct === 0 || Math.abs(after - before) <= tolerance * Math.abs(before) + 1e-12;
      diffs.push({ scenario: summary.scenario, point: key, metric, baseline: before, now: after, changePct, passed });
    }
  }
  return diffs;
}

/** `+12.3%`, `-0.4%`, `new`, `gone`. */
export function formatChange(diff: BaselineDiff): string {
  if (diff.now === undefined) return 'gone';
  if (!Number.isFinite(diff.changePct)) return Number.isNaN(diff.changePct) ? 'n/a' : diff.changePct > 0 ? '+inf%' : '-inf%';
  const sign = diff.changePct > 0 ? '+' : '';
  return `${sign}${diff.changePct.toFixed(1)}%`;
}

/** One line of a readable diff: `failureRate @ containers=100: 0.02 -> 0.05 (+150.0%)`. */
export function describeDiff(diff: BaselineDiff): string {
  return `${diff.metric} @ ${diff.point}: ${formatValue(diff.baseline)} -> ${formatValue(diff.now)} (${formatChange(diff)})`;
}
