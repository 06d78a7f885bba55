import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Estimate, PointSummary, ScenarioSummary } from '../../src/analysis/summary.js';
import { InputError } from '../../src/input/errors.js';
import { ablationTable, baselineOverrides, contribution, largestPointRows, parseMechanismList, runAblation } from '../../src/study/ablation.js';
import { ablationChartRows, ablationCsv, ablationTextTable, writeAblationReport } from '../../src/study/ablation-report.js';
import { MECHANISM_NAMES } from '../../src/launch/index.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';

function estimate(mean: number): Estimate {
  return { mean, ci95: 0, perSeed: [mean] };
}

/** A summary over machines x containers; `values` gives p50, p99 and failure rate at a point. */
function summary(name: string, machines: readonly string[], containers: readonly number[], values: (machine: string, n: number) => [number, number, number]): ScenarioSummary {
  const points: PointSummary[] = [];
  for (const machine of machines) {
    for (const n of containers) {
      const [p50, p99, fail] = values(machine, n);
      points.push({ index: points.length, coordinates: { machine, containers: n }, machine, metrics: { p50LatencyS: estimate(p50), p99LatencyS: estimate(p99), failureRate: estimate(fail) } });
    }
  }
  return { scenario: name, seeds: ['1'], points };
}

describe('ablation arithmetic', () => {
  it('gives delta = full - off and share = delta / (full - base)', () => {
    expect(contribution(10, 4, 2)).toEqual({ full: 10, off: 4, delta: 6, base: 2, share: 0.75 });
    expect(contribution(10, 4)).toEqual({ full: 10, off: 4, delta: 6 });
    // At the base itself there is no rise to share out.
    expect(contribution(2, 1.5, 2)).toEqual({ full: 2, off: 1.5, delta: 0.5, base: 2 });
    // Unfinished launches: an infinite p99 has no share.
    expect(contribution(Infinity, 20, 2).share).toBeUndefined();
  });

  const baseline = summary('case', ['r5.metal', 'm7a.24xlarge'], [10, 100], (machine, n) => (n === 10 ? [1, 1.5, 0] : machine === 'r5.metal' ? [21, 40, 0.3] : [6, 9, 0]));
  const noPropagation = summary('case', ['r5.metal', 'm7a.24xlarge'], [10, 100], (machine, n) => (n === 10 ? [1, 1.5, 0] : machine === 'r5.metal' ? [6, 10, 0.05] : [3.5, 5, 0]));
  const noHeterogeneity = summary('case', ['r5.metal', 'm7a.24xlarge'], [10, 100], (machine, n) => (n === 10 ? [1.2, 1.2, 0] : machine === 'r5.metal' ? [26, 26, 0.5] : [6, 6, 0]));
  const rows = ablationTable(baseline, [
    { mechanism: 'propagation', summary: noPropagation },
    { mechanism: 'heterogeneity', summary: noHeterogeneity },
  ]);

  it('has one row per point and mechanism, points in sweep order', () => {
    expect(rows.map((r) => `${r.machine}/${r.containers}/${r.mechanism}`)).toEqual([
      'r5.metal/10/propagation',
      'r5.metal/10/heterogeneity',
      'r5.metal/100/propagation',
      'r5.metal/100/heterogeneity',
      'm7a.24xlarge/10/propagation',
      'm7a.24xlarge/10/heterogeneity',
      'm7a.24xlarge/100/propagation',
      'm7a.24xlarge/100/heterogeneity',
    ]);
  });

  it('shares the rise above the same machine at the smallest concurrency', () => {
    const r5 = rows.find((r) => r.machine === 'r5.metal' && r.containers === 100 && r.mechanism === 'propagation')!;
    // p50: full 21, off 6, base 1 -> delta 15 of a 20 s rise.
    expect(r5.metrics.p50LatencyS).toEqual({ full: 21, off: 6, delta: 15, base: 1, share: 0.75 });
    expect(r5.metrics.failureRate.delta).toBeCloseTo(0.25, 12);
    expect(r5.metrics.failureRate.share).toBeCloseTo(0.25 / 0.3, 12);
    const m7a = rows.find((r) => r.machine === 'm7a.24xlarge' && r.containers === 100 && r.mechanism === 'propagation')!;
    expect(m7a.metrics.p50LatencyS.share).toBeCloseTo(2.5 / 5, 12);
    // No failures with or without: no rise, no share.
    expect(m7a.metrics.failureRate).toEqual({ full: 0, off: 0, delta: 0, base: 0 });
  });

  it('keeps negative contributions (a mechanism that lowers the metric) and never sums shares', () => {
    const r5 = rows.find((r) => r.machine === 'r5.metal' && r.containers === 100 && r.mechanism === 'heterogeneity')!;
    expect(r5.metrics.p50LatencyS.delta).toBe(-5);
    expect(r5.metrics.p50LatencyS.share).toBe(-0.25);
  });

  it('matches points by coordinates, not position, and refuses a missing point', () => {
    const reversed: ScenarioSummary = { ...noPropagation, points: [...noPropagation.points].reverse() };
    expect(ablationTable(baseline, [{ mechanism: 'propagation', summary: reversed }])).toEqual(rows.filter((r) => r.mechanism === 'propagation'));
    const short: ScenarioSummary = { ...noPropagation, points: noPropagation.points.slice(1) };
    expect(() => ablationTable(baseline, [{ mechanism: 'propagation', summary: short }])).toThrow(/no point/);
  });

  it('has no share when concurrency is not swept', () => {
    const flat: ScenarioSummary = { scenario: 'one', seeds: ['1'], points: [{ index: 0, coordinates: {}, machine: 'r5.metal', metrics: { p50LatencyS: estimate(5), p99LatencyS: estimate(6), failureRate: estimate(0) } }] };
    const off: ScenarioSummary = { ...flat, points: [{ ...flat.points[0], metrics: { p50LatencyS: estimate(4), p99LatencyS: estimate(6), failureRate: estimate(0) } }] };
    const [row] = ablationTable(flat, [{ mechanism: 'perCpuSums', summary: off }]);
    expect(row.containers).toBeUndefined();
    expect(row.metrics.p50LatencyS).toEqual({ full: 5, off: 4, delta: 1 });
  });

  it('charts each machine at its largest concurrency, p50 in s and failures in percentage points', () => {
    expect(largestPointRows(rows).map((r) => `${r.machine}/${r.containers}`)).toEqual(['r5.metal/100', 'r5.metal/100', 'm7a.24xlarge/100', 'm7a.24xlarge/100']);
    const chart = ablationChartRows(rows);
    expect(chart).toContainEqual({ machine: 'r5.metal', mechanism: 'propagation', metric: 'p50 launch latency (s)', delta: 15 });
    expect(chart.find((r) => r.machine === 'r5.metal' && r.mechanism === 'propagation' && r.metric.startsWith('failure'))?.delta).toBeCloseTo(25, 9);
  });

  it('prints and writes the table', () => {
    const text = ablationTextTable(rows);
    expect(text.header.slice(0, 3)).toEqual(['machine', 'containers', 'mechanism off']);
    expect(text.rows[2].slice(0, 7)).toEqual(['r5.metal', '100', 'propagation', '21', '6', '+15.000', '75%']);
    const scenario = { name: 'case', seeds: ['1'] } as unknown as ResolvedScenario;
    const csv = ablationCsv({ scenario, baseline, variants: [], skipped: [], rows }).split('\r\n');
    expect(csv[0]).toBe('scenario,point,machine,containers,mechanism,metric,full,off,delta,base,share');
    expect(csv).toContain('case,1,r5.metal,100,propagation,p50LatencyS,21,6,15,1,0.75');
    expect(csv).toHaveLength(1 + rows.length * 3 + 1);
  });

  it('checks mechanism names', () => {
    expect(parseMechanismList(undefined)).toEqual([...MECHANISM_NAMES]);
    expect(parseMechanismList(['propagation,perCpuSums', 'propagation'])).toEqual(['propagation', 'perCpuSums']);
    expect(() => parseMechanismList(['propagaton'])).toThrow(InputError);
    expect(baselineOverrides(['mechanisms.propagation=false'])).toEqual([...MECHANISM_NAMES.map((m) => `mechanisms.${m}=true`), 'mechanisms.propagation=false']);
  });
});

describe('runAblation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-ablation-'));
  const file = join(dir, 'tiny.yaml');
  writeFileSync(file, 'name: tiny\nmachine: r5.metal\ncontainers: 5\nlayers: 5\nseeds: 1\nmechanisms: {perCpuSums: false}\nsweep:\n  containers: [3, 5]\n');

  it('switches every mechanism on for the baseline and one off per variant, honouring --set', async () => {
    const seen: ResolvedScenario[] = [];
    const fake = async (scenario: ResolvedScenario): Promise<{ summary: ScenarioSummary }> => {
      seen.push(scenario);
      return { summary: summary('tiny', ['r5.metal'], [3, 5], (_m, n) => [n, n, 0]) };
    };
    const study = await runAblation(file, { run: fake, mechanisms: ['propagation', 'rcuHeldOpen'], set: ['mechanisms.rcuHeldOpen=false'] });
    expect(study.skipped).toEqual(['rcuHeldOpen']);
    expect(seen).toHaveLength(2);
    const mechanisms = seen.map((s) => (s.points[0].spec.kind === 'launch' ? (s.points[0].spec as LaunchPointSpec).mechanisms : undefined));
    // The file's perCpuSums: false is overridden: the baseline has everything on but what --set turned off.
    expect(mechanisms[0]).toMatchObject({ perCpuSums: true, propagation: true, rcuHeldOpen: false });
    expect(mechanisms[1]).toMatchObject({ perCpuSums: true, propagation: false, rcuHeldOpen: false });
  });

  it('refuses a pause-bench scenario', async () => {
    const bench = join(dir, 'bench.yaml');
    writeFileSync(bench, 'name: bench\nkind: pause-bench\nmachine: r5.metal\nthreads: 4\nseeds: 1\n');
    await expect(runAblation(bench, { run: async () => ({ summary: { scenario: 'bench', seeds: ['1'], points: [] } }) })).rejects.toThrow(InputError);
  });

  it('runs a tiny scenario end to end: one row per mechanism and point, and a report', async () => {
    const study = await runAblation(file, { seeds: 1 });
    expect(study.skipped).toEqual([]);
    expect(study.rows).toHaveLength(MECHANISM_NAMES.length * 2);
    for (const containers of [3, 5]) {
      expect(study.rows.filter((r) => r.containers === containers).map((r) => r.mechanism)).toEqual([...MECHANISM_NAMES]);
    }
    for (const row of study.rows) {
      expect(row.metrics.p50LatencyS.full).toBeGreaterThan(0);
      expect(Number.isFinite(row.metrics.p50LatencyS.off)).toBe(true);
      expect(row.metrics.p50LatencyS.share === undefined).toBe(row.containers === 3);
    }
    const out = join(dir, 'report');
    const written = await writeAblationReport(study, out, { command: `locksim ablate ${file}` });
    expect(written.map((f) => f.slice(out.length + 1)).sort()).toEqual(['ablation.csv', 'ablation.png', 'ablation.svg', 'ablation.vl.json', 'index.html', 'resolved-scenario.yaml']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Shares are not additive');
    expect(existsSync(join(out, 'ablation.png'))).toBe(true);
  });
});
