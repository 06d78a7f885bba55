// `locksim plan`: the search, the cost formula and the ranking, on runs small enough for a test.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/cli/commands/plan.js';
import { costPer1000Launches, planCsvRows, planLadder, planMachine, planScenario, planTableRows, rankPlan, runPlanWithUncertainty, type PlanOptions, type PlanRow } from '../../src/study/plan.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';
import { recordingContext } from './support.js';

const options: PlanOptions = { containers: 100, layers: 50, runtime: 'containerd-idmap', deadlineNs: 30e9, machines: ['r5.metal'], seeds: 3, maxConcurrency: 400 };

describe('plan arithmetic', () => {
  it('costs $/hour x p99 hours / concurrency x 1000', () => {
    // $3.60/h, a batch of 100 launches done in 10 s: $0.01 per batch, $0.0001 per launch, $0.10 per 1,000.
    expect(costPer1000Launches(3.6, 10, 100)).toBeCloseTo(0.1, 12);
    expect(costPer1000Launches(3.6, 10, 0)).toBeNaN();
  });

  it('climbs the ladder up to the cap, with the asked concurrency as a step', () => {
    expect(planLadder({ containers: 100, maxConcurrency: 400 })).toEqual([10, 20, 50, 100, 150, 200, 300, 400]);
    expect(planLadder({ containers: 120, maxConcurrency: 250 })).toEqual([10, 20, 50, 100, 120, 150, 200, 250]);
  });

  it('builds launch points with fixed layers, the default models and the deadline', () => {
    const spec = planScenario('m7a.24xlarge', [150], { ...options, deadlineNs: 45e9 }).points[0].spec as LaunchPointSpec;
    expect(spec).toMatchObject({ kind: 'launch', machine: 'm7a.24xlarge', kernel: 'linux-6.12', node: 'k8s-node', containers: 150, layers: { kind: 'fixed', value: 50 } });
    expect(spec.arrival).toEqual({ kind: 'staggered', overNs: 2e9 });
    expect(spec.deadlines).toEqual({ launchNs: 45e9, runtimeRequestNs: 120e9, nodeHealthCheckNs: 30e9 });
    expect(spec.horizonNs).toBe(180e9);
    const scenario = planScenario('r5.metal', [20, 50], options);
    expect(scenario.points.map((p) => (p.spec as LaunchPointSpec).containers)).toEqual([20, 50]);
    expect(scenario.seeds).toEqual(['1', '2', '3']);
  });

  it('ranks families that fit first, cheapest first, then the most concurrent', () => {
    const row = (machine: string, maxConcurrency: number, costPer1000Usd: number): PlanRow => ({
      machine, arch: 'x86_64', usdPerHour: 1, price: { usdPerHour: 1, usdPerMonth: 730, date: '2025-06', source: 'estimate', estimate: true },
      atRequested: { concurrency: 100, p50LatencyS: 1, p99LatencyS: 1, failureRate: 0, passed: maxConcurrency >= 100, costPer1000Usd },
      firstFailing: maxConcurrency + 10, marginContainers: maxConcurrency - 100, marginRatio: maxConcurrency / 100 - 1,
      maxConcurrency, atLeast: false, p99LatencyS: 1, failureRate: 0, costPer1000Usd, fits: maxConcurrency >= 100, steps: [],
    });
    const ranked = rankPlan([row('a', 50, 0.01), row('b', 200, 0.3), row('c', 150, 0.2), row('d', 80, 0.5), row('e', 0, Number.NaN)]);
    expect(ranked.map((r) => r.machine)).toEqual(['c', 'b', 'd', 'a', 'e']);
  });
});

describe('locksim plan on a tiny search', () => {
  let out: string;
  const context = recordingContext();
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'locksim-plan-'));
    await executePlan({ containers: 10, layers: 2, runtime: 'containerd-idmap', deadline: '30 s', machines: 'm7a.24xlarge', seeds: 1, maxConcurrency: 20, out }, context);
  });
  afterAll(async () => rm(out, { recursive: true, force: true }));

  it('prints the ranked table, the recommendation with its margin and the cost formula', () => {
    const text = context.stdout.join('\n');
    expect(text).toMatch(/rank\s+machine\s+arch\s+max concurrency\s+fits 10\s+margin to the cliff/);
    expect(text).toMatch(/1\s+m7a\.24xlarge\s+x86_64\s+>= 20\s+yes\s+\+10 or more \(\+100%\)/);
    expect(text).toMatch(/Recommended: m7a\.24xlarge\. It launches 10 at once/);
    expect(text).toContain('cost per 1,000 launches = $/hour x');
    expect(text).toContain('* price is an estimate until checked.');
  });

  it('writes the plan, its chart and the page', async () => {
    expect((await readdir(out)).sort()).toEqual(['index.html', 'plan.csv', 'plan.json', 'plan.png', 'plan.svg', 'plan.vl.json']);
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8'));
    expect(plan.schemaVersion).toBe(1);
    expect(plan.ranked[0].steps.map((s: { concurrency: number }) => s.concurrency)).toEqual([10, 20]);
    expect(plan.ranked[0].costPer1000Usd).toBeCloseTo(costPer1000Launches(plan.ranked[0].usdPerHour, plan.ranked[0].p99LatencyS, 20), 12);
    expect(plan.ranked[0].atRequested).toMatchObject({ concurrency: 10, passed: true });
    expect(plan.ranked[0].price.usdPerMonth).toBeCloseTo(plan.ranked[0].usdPerHour * 730, 9);
  });

  it('writes plan.csv as numbers with units in the column names', async () => {
    const [header, first] = (await readFile(join(out, 'plan.csv'), 'utf8')).trim().split('\r\n').map((line) => line.split(','));
    const row = Object.fromEntries(header.map((h, i) => [h, first[i]]));
    expect(row).toMatchObject({ rank: '1', machine: 'm7a.24xlarge', arch: 'x86_64', fits: 'true', requested_concurrency: '10', max_concurrency: '20', max_concurrency_at_least: 'true', first_failing_concurrency: '' });
    for (const column of ['usd_per_hour', 'usd_per_month', 'p99_latency_s_at_requested', 'failure_rate_at_requested', 'margin_ratio']) expect(Number.isFinite(Number(row[column])), column).toBe(true);
  });
});

describe('the plan search', () => {
  it('bisects between the last pass and the first fail, and measures the asked concurrency', async () => {
    const tried: number[] = [];
    // A fake runner: failures start at 237 containers.
    const run = async (scenario: ReturnType<typeof planScenario>) => {
      const containers = (scenario.points[0].spec as LaunchPointSpec).containers;
      tried.push(containers);
      const failureRate = containers >= 237 ? 0.5 : 0;
      const estimate = (mean: number) => ({ mean, ci95: 0, perSeed: [mean] });
      return { scenario, points: [], summary: { scenario: scenario.name, seeds: ['1'], points: [{ index: 0, coordinates: {}, machine: 'm7g.metal', metrics: { failureRate: estimate(failureRate), p50LatencyS: estimate(1), p99LatencyS: estimate(containers / 100) } }] } };
    };
    const row = await planMachine('m7g.metal', { ...options, machines: ['m7g.metal'], containers: 250, seeds: 1 }, run);
    expect(row.arch).toBe('arm64');
    expect(row.maxConcurrency).toBeGreaterThanOrEqual(227);
    expect(row.maxConcurrency).toBeLessThan(237);
    expect(row.firstFailing! - row.maxConcurrency).toBeLessThanOrEqual(10);
    expect(row.atRequested).toMatchObject({ concurrency: 250, failureRate: 0.5, passed: false });
    expect(row.marginContainers).toBe(row.maxConcurrency - 250);
    expect(row.fits).toBe(false);
    expect(new Set(tried).size).toBe(tried.length);
  });
});

describe('the plan with --uncertainty', () => {
  it("searches again in each sample and gives each family's largest concurrency as an interval", async () => {
    // A fake runner: the cliff sits at 100 + launch_before in ms / 4 (200 ms .. 1 s: 150 .. 350 containers).
    const run = async (scenario: ReturnType<typeof planScenario>) => {
      const spec = scenario.points[0].spec as LaunchPointSpec;
      const cliff = 100 + (spec.parameters.launch_before ?? 500e6) / 4e6;
      const estimate = (mean: number) => ({ mean, ci95: 0, perSeed: [mean] });
      const failureRate = spec.containers >= cliff ? 0.5 : 0;
      return { scenario, points: [], summary: { scenario: scenario.name, seeds: ['1'], points: [{ index: 0, coordinates: {}, machine: 'm7g.metal', metrics: { failureRate: estimate(failureRate), p50LatencyS: estimate(1), p99LatencyS: estimate(1) } }] } };
    };
    const sets = [200, 600, 1000].map((ms) => [`parameters.launch_before="${ms} ms"`]);
    const [row] = await runPlanWithUncertainty({ ...options, machines: ['m7g.metal'], containers: 250, seeds: 1 }, sets, run);
    expect(row.maxConcurrency).toBeGreaterThanOrEqual(215);
    expect(row.maxConcurrency).toBeLessThan(225);
    const u = row.uncertainty!;
    expect(u.samples).toBe(3);
    expect(u.perSample[0]).toBeLessThan(150);
    expect(u.perSample[0]).toBeGreaterThanOrEqual(140);
    expect(u.perSample[2]).toBeGreaterThanOrEqual(340);
    // 5th and 95th percentiles over three samples: inside the spread, around the median.
    expect(u.low).toBeGreaterThanOrEqual(u.perSample[0]);
    expect(u.low).toBeLessThan(u.median);
    expect(u.high).toBeGreaterThan(u.median);
    expect(u.high).toBeLessThanOrEqual(u.perSample[2]);
    expect(u.fitsShare).toBeCloseTo(1 / 3, 9);
    const table = planTableRows([row], 250);
    expect(table.rows[0][3]).toMatch(/^2\d\d \(\d+-\d+ over 3 samples\)$/);
    expect(table.rows[0][4]).toBe('no (33% of samples)');
    expect(planCsvRows([row]).columns).toContain('max_concurrency_p95');
  });
});
