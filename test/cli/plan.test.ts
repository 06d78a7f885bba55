// `locksim plan`: the search, the cost formula and the ranking, on runs small enough for a test.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/cli/commands/plan.js';
import { costPer1000Launches, planLadder, planScenario, rankPlan, type PlanOptions, type PlanRow } from '../../src/study/plan.js';
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
      machine, usdPerHour: 1, maxConcurrency, atLeast: false, p99LatencyS: 1, failureRate: 0, costPer1000Usd, fits: maxConcurrency >= 100, steps: [],
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

  it('prints the ranked table and the cost formula', () => {
    const text = context.stdout.join('\n');
    expect(text).toMatch(/rank\s+machine\s+max concurrency\s+fits 10/);
    expect(text).toMatch(/1\s+m7a\.24xlarge\s+>= 20\s+yes/);
    expect(text).toContain('cost per 1,000 launches = $/hour x');
  });

  it('writes the plan, its chart and the page', async () => {
    expect((await readdir(out)).sort()).toEqual(['index.html', 'plan.csv', 'plan.json', 'plan.png', 'plan.svg', 'plan.vl.json']);
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8'));
    expect(plan.ranked[0].steps.map((s: { concurrency: number }) => s.concurrency)).toEqual([10, 20]);
    expect(plan.ranked[0].costPer1000Usd).toBeCloseTo(costPer1000Launches(plan.ranked[0].usdPerHour, plan.ranked[0].p99LatencyS, 20), 12);
  });
});
