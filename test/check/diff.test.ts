// `locksim diff A B` on small generated reports: verdicts against the runs' own noise, by direction.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { Value } from '@sinclair/typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { diffMarkdown, diffReportDirs, DiffDocumentSchema, verdictOf } from '../../src/check/diff.js';
import { welchInterval } from '../../src/analysis/statistics.js';
import { registerDiff } from '../../src/cli/commands/diff.js';
import { outputHead } from '../../src/input/package-info.js';
import { kindMetrics } from '../../src/report/documents.js';
import { recordingContext } from '../cli/support.js';

type PerSeed = Record<string, readonly number[]>;

/** A report folder holding only summary.json: points by container count, metrics by per-seed values. */
function report(points: Record<number, PerSeed>, seeds = 3): string {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-diff-'));
  mkdirSync(dir, { recursive: true });
  const summary = {
    ...outputHead(),
    scenario: 'tiny',
    kind: 'launch',
    seeds: Array.from({ length: seeds }, (_, i) => String(i + 1)),
    metrics: kindMetrics('launch'),
    points: Object.entries(points).map(([containers, metrics], index) => ({
      index,
      coordinates: { containers: Number(containers) },
      machine: 'r5.metal',
      metrics: Object.fromEntries(Object.entries(metrics).map(([name, perSeed]) => [name, { mean: 0, ci95: 0, perSeed }])),
    })),
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}

describe('welchInterval', () => {
  it('matches a hand-computed interval', () => {
    // a = 1, 2, 3 (var 1), b = 4, 5, 6 (var 1): se = sqrt(2/3), df = 4, t(0.975, 4) = 2.776.
    const interval = welchInterval([1, 2, 3], [4, 5, 6]);
    expect(interval.difference).toBe(3);
    expect(interval.degreesOfFreedom).toBeCloseTo(4, 12);
    expect(interval.high! - 3).toBeCloseTo(2.7764 * Math.sqrt(2 / 3), 3);
    expect(welchInterval([2, 2], [2, 2])).toMatchObject({ low: 0, high: 0 });
    expect(welchInterval([1], [2])).toMatchObject({ difference: 1, low: null, high: null });
  });
});

describe('verdictOf', () => {
  it('reads better and worse by the metric direction', () => {
    expect(verdictOf(-1, -2, -0.5, 'lower')).toBe('better');
    expect(verdictOf(-1, -2, -0.5, 'higher')).toBe('worse');
    expect(verdictOf(1, 0.5, 2, 'neither')).toBe('changed');
    expect(verdictOf(0.1, -0.5, 0.7, 'lower')).toBe('no change');
    expect(verdictOf(1, null, null, 'lower')).toBe('inconclusive');
    expect(verdictOf(0, null, null, 'lower')).toBe('no change');
  });
});

describe('diffReportDirs on generated reports', () => {
  const a = report({
    100: { p50LatencyS: [10, 10.2, 9.8], throughputPerS: [5, 5.1, 4.9], failureRate: [0, 0, 0], mountOps: [20200, 20200, 20200] },
    200: { p50LatencyS: [20, 21, 19] },
    300: { p50LatencyS: [30, 31, 29] },
  });
  const b = report({
    100: { p50LatencyS: [12, 12.2, 11.8], throughputPerS: [6, 6.1, 5.9], failureRate: [0, 0.01, 0], mountOps: [20200, 20200, 20200] },
    200: { p50LatencyS: [20.5, 19.5, 20] },
    400: { p50LatencyS: [40, 41, 39] },
  });

  it('gives each metric its change, interval and verdict, and lists unmatched points', async () => {
    const doc = await diffReportDirs(a, b);
    expect(Value.Check(DiffDocumentSchema, JSON.parse(JSON.stringify(doc)))).toBe(true);
    const row = (containers: number, metric: string) => doc.rows.find((r) => r.coordinates.containers === containers && r.metric === metric)!;
    expect(row(100, 'p50LatencyS')).toMatchObject({ meanA: 10, meanB: 12, verdict: 'worse', unit: 's', better: 'lower' });
    expect(row(100, 'p50LatencyS').change).toBeCloseTo(2, 12);
    expect(row(100, 'p50LatencyS').relativeChange).toBeCloseTo(0.2, 12);
    expect(row(100, 'throughputPerS').verdict).toBe('better');
    expect(row(100, 'failureRate').verdict).toBe('no change');
    expect(row(100, 'mountOps').verdict).toBe('no change');
    expect(row(200, 'p50LatencyS').verdict).toBe('no change');
    expect(doc.onlyInA).toEqual([{ containers: 300 }]);
    expect(doc.onlyInB).toEqual([{ containers: 400 }]);
    expect(doc.counts).toMatchObject({ worse: 1, better: 1, 'no change': 3 });
  });

  it('is deterministic and filters metrics', async () => {
    expect(JSON.stringify(await diffReportDirs(a, b))).toBe(JSON.stringify(await diffReportDirs(a, b)));
    const only = await diffReportDirs(a, b, { metrics: ['throughputPerS'] });
    expect(only.rows.map((r) => r.metric)).toEqual(['throughputPerS']);
  });

  it('writes Markdown with the changes first', async () => {
    const markdown = diffMarkdown(await diffReportDirs(a, b));
    expect(markdown).toContain('### locksim diff: tiny');
    expect(markdown).toContain('1 worse, 1 better, 3 no change over 2 points (seeds 3 vs 3); 1 point(s) only in A, 1 only in B');
    expect(markdown.indexOf('| r5.metal, containers=100 | p50LatencyS |')).toBeLessThan(markdown.indexOf('| r5.metal, containers=100 | throughputPerS |'));
  });

  it('refuses a folder without a report', async () => {
    await expect(diffReportDirs(a, join(a, 'nothing'))).rejects.toThrow(/cannot read .*summary\.json/);
  });
});

describe('locksim diff', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('prints the table, appends Markdown to $GITHUB_STEP_SUMMARY, and exits 1 on --fail-on-worse', async () => {
    const a = report({ 100: { p50LatencyS: [10, 10.2, 9.8] } });
    const b = report({ 100: { p50LatencyS: [12, 12.2, 11.8] } });
    const stepSummary = join(mkdtempSync(join(tmpdir(), 'locksim-gh-')), 'summary.md');
    writeFileSync(stepSummary, '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = stepSummary;
    const context = recordingContext();
    await registerDiff(yargs(['diff', a, b, '--fail-on-worse']).strict().exitProcess(false), context).parseAsync();
    const text = context.stdout.join('\n');
    expect(text).toMatch(/r5\.metal, containers=100\s+p50LatencyS\s+s\s+10\s+12\s+\+2 \(\+20%\)\s+\[\S+, \S+\]\s+worse/);
    expect(text).toContain('1 worse over 1 point (seeds 3 vs 3)');
    expect(context.codes).toEqual([1]);
    expect(readFileSync(stepSummary, 'utf8')).toMatch(/^# earlier step\n### locksim diff: tiny/);
  });

  it('diffs a committed report with itself: nothing changed', async () => {
    const context = recordingContext();
    await registerDiff(yargs(['diff', 'reports/fig10-pause-bench', 'reports/fig10-pause-bench', '--json']).strict().exitProcess(false), context).parseAsync();
    const doc = JSON.parse(context.stdout.join('\n'));
    expect(doc.rows.length).toBeGreaterThan(0);
    expect(doc.rows.every((r: { verdict: string }) => r.verdict === 'no change')).toBe(true);
    expect(doc.rows.find((r: { metric: string }) => r.metric === 'latencyNs').better).toBe('lower');
  });
});
