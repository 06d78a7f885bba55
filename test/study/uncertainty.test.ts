/**
 * `locksim uncertainty` (issue 15): the Latin hypercube covers each
 * parameter's strata once, the summary counts the samples a conclusion holds
 * in and reads intervals and the parameter its margin ranks with, and a tiny
 * study run end to end is deterministic and finds the parameter that moves
 * its figure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckRow } from '../../src/check/expect.js';
import { latinHypercube } from '../../src/study/parameter-space.js';
import { quantile, runUncertainty, spearman, summarizeUncertainty, type UncertaintyStudy } from '../../src/study/uncertainty.js';
import { UncertaintyDocumentSchema, uncertaintyTable } from '../../src/study/uncertainty-report.js';
import { Value } from '@sinclair/typebox/value';
import { runCli } from '../../src/cli/cli.js';
import { recordingContext } from '../cli/support.js';
import { uncertaintySection, type UncertaintyStudyDocument } from '../../src/report/run-report.js';

const root = mkdtempSync(join(tmpdir(), 'locksim-uncertainty-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

describe('the Latin hypercube', () => {
  it('hits each of the n strata of every dimension exactly once, the same for the same seed', () => {
    const points = latinHypercube(8, 3, 'test');
    for (let j = 0; j < 3; j++) expect(points.map((p) => Math.floor(p[j] * 8)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(latinHypercube(8, 3, 'test')).toEqual(points);
    expect(latinHypercube(8, 3, 'other')).not.toEqual(points);
  });
});

describe('the summary', () => {
  it('reads type-7 quantiles and rank correlations', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.05)).toBeCloseTo(0.5);
    expect(spearman([1, 2, 3, 4], [10, 20, 25, 100])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
  });

  const row = (passed: boolean, observed: number, margin: number, expectation = 'p50 @ a < p50 @ b'): CheckRow => ({ scenario: 's', expectation, expected: '', got: String(observed), observed, margin, passed });

  it('counts the samples a conclusion holds in, with intervals and the parameter its margin ranks with', () => {
    const margins = [0.4, 0.1, -0.2, -0.5];
    const [conclusion] = summarizeUncertainty({
      parameters: ['x', 'y'],
      defaults: [row(true, 1, 0.05)],
      samples: margins.map((margin, i) => ({ unit: [i / 4 + 0.1, [0.3, 0.9, 0.1, 0.5][i]], rows: [row(margin > 0, 1 - margin, margin)] })),
    });
    expect(conclusion.holds).toBe(2);
    expect(conclusion.holdsFraction).toBe(0.5);
    expect(conclusion.margin!.low).toBeCloseTo(quantile([-0.5, -0.2, 0.1, 0.4], 0.05));
    expect(conclusion.figure!.high).toBeCloseTo(quantile([0.6, 0.9, 1.2, 1.5], 0.95));
    expect(conclusion.driver).toEqual({ parameter: 'x', rho: -1 });
  });

  it('refuses samples whose rows do not line up with the defaults', () => {
    expect(() => summarizeUncertainty({ parameters: ['x'], defaults: [row(true, 1, 1)], samples: [{ unit: [0.5], rows: [row(true, 1, 1, 'another')] }] })).toThrow(/do not line up/);
  });
});

const TINY = `name: tiny-uncertainty
machine: m7a.12xlarge
containers: 6
layers: 4
seeds: 1
arrival: {kind: staggered, over: 500 ms}
expect:
  - {metric: p50LatencyS, below: 1000}
  - {metric: p50LatencyS, below: 0.001}
`;

describe('a tiny study', () => {
  let study: UncertaintyStudy;
  beforeAll(async () => {
    study = await runUncertainty({ paths: [file('tiny.yaml', TINY)], samples: 4, parameters: ['launch_before', 'machine.smtSlowdown'] });
  }, 60_000);

  it('tests every conclusion in every sample', () => {
    expect(study.parameters.map((p) => p.name)).toEqual(['launch_before', 'machine.smtSlowdown']);
    expect(study.samples).toHaveLength(4);
    expect(study.conclusions.map((c) => [c.holds, c.samples])).toEqual([[4, 4], [0, 4]]);
    expect(study.conclusions[0].holdsAtDefaults).toBe(true);
    expect(study.conclusions[1].holdsAtDefaults).toBe(false);
    // The scenario as a whole: one conclusion never holds, so never all of them.
    expect(study.scenarios).toEqual([{ name: 'tiny-uncertainty', file: join(root, 'tiny.yaml'), allHold: 0, samples: 4 }]);
  });

  it('gives an interval on the figure and finds the parameter that moves it', () => {
    const [always] = study.conclusions;
    expect(always.figure!.low).toBeLessThan(always.figure!.high);
    expect(always.figure!.low).toBeLessThanOrEqual(always.figure!.median);
    // launch_before (200 ms .. 1 s before each launch) adds to every latency: the margin falls as it rises.
    expect(always.driver?.parameter).toBe('launch_before');
    expect(always.driver!.rho).toBeLessThan(-0.9);
    const spread = always.figure!.high - always.figure!.low;
    expect(spread).toBeGreaterThan(0.3);
    expect(spread).toBeLessThan(1);
    expect(uncertaintyTable(study).rows[0][3]).toBe('100% (4/4)');
  });

  it('is the same study when run again', async () => {
    const again = await runUncertainty({ paths: [join(root, 'tiny.yaml')], samples: 4, parameters: ['launch_before', 'machine.smtSlowdown'] });
    expect(again.conclusions).toEqual(study.conclusions);
    expect(again.samples.map((s) => s.values)).toEqual(study.samples.map((s) => s.values));
  }, 60_000);
});

describe('the uncertainty command', () => {
  it('writes the table, the chart and the files', async () => {
    const out = join(root, 'out');
    const context = recordingContext();
    expect(await runCli(['uncertainty', join(root, 'tiny.yaml'), '--samples', '2', '--parameters', 'launch_before', '--jobs', '1', '--out', out], context)).toBe(0);
    expect(context.stdout.join('\n')).toMatch(/p50LatencyS @ every point < 1000\s+holds: \S+\s+100% \(2\/2\)/);
    expect(context.stdout.join('\n')).toContain('tiny-uncertainty: every conclusion holds in 0% of the samples (0/2).');
    const document = JSON.parse(readFileSync(join(out, 'uncertainty.json'), 'utf8')) as { conclusions: unknown[]; samples: unknown[] };
    expect([...Value.Errors(UncertaintyDocumentSchema, document)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(document.conclusions).toHaveLength(2);
    expect(document.samples).toHaveLength(2);
    expect(readFileSync(join(out, 'uncertainty.svg'), 'utf8')).toContain('<svg');
  }, 60_000);

  it("is shown in the run report of the scenario it tested, kept beside it", async () => {
    const reports = join(root, 'reports');
    const context = recordingContext();
    expect(await runCli(['uncertainty', join(root, 'tiny.yaml'), '--samples', '2', '--parameters', 'launch_before', '--jobs', '1', '--quiet', '--out', join(reports, 'uncertainty-tiny')], context)).toBe(0);
    expect(await runCli(['run', join(root, 'tiny.yaml'), '--jobs', '1', '--quiet', '--no-onset', '--out', join(reports, 'tiny-uncertainty')], context)).toBe(0);
    const page = readFileSync(join(reports, 'tiny-uncertainty', 'index.html'), 'utf8');
    expect(page).toContain('How much of the parameter space each conclusion holds in');
    expect(page).toContain('../uncertainty-tiny/uncertainty.md');
    expect(page).toMatch(/100% \(2\/2\)/);
    const section = uncertaintySection(JSON.parse(readFileSync(join(reports, 'uncertainty-tiny', 'uncertainty.json'), 'utf8')) as UncertaintyStudyDocument, 'another-scenario', 'x');
    expect(section).toBeUndefined();
  }, 60_000);

  it.each<[string, string[], RegExp]>([
    ['a scenario with no conclusions', ['NOEXPECT'], /no conclusions to test \(expected a scenario with `expect:` entries/],
    ['one sample', ['TINY', '--samples', '1'], /^locksim: --samples: invalid --samples \(expected a whole number of samples, 2-10000, found 1\)/],
    ['an unknown parameter', ['TINY', '--parameters', 'launch_befor'], /^locksim: --parameters: unknown model parameter `launch_befor`.*launch_before/],
  ])('exits 2 on %s with one line', async (_name, args, message) => {
    const noExpect = file('noexpect.yaml', TINY.replace(/expect:[\s\S]*$/, ''));
    const context = recordingContext();
    const argv = ['uncertainty', ...args.map((a) => (a === 'NOEXPECT' ? noExpect : a === 'TINY' ? join(root, 'tiny.yaml') : a)), '--out', join(root, 'err-out'), '--jobs', '1'];
    expect(await runCli(argv, context)).toBe(2);
    expect(context.stderr.join('\n').split('\n')[0]).toMatch(message);
    expect(context.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });
});
