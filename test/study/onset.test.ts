// The failure onset between sweep points: a bisection with the same seeds, on a fake runner whose failures start at 137.
import { describe, expect, it } from 'vitest';
import { findOnsets } from '../../src/study/onset.js';
import { bisectOnset, bisectionMidpoint } from '../../src/study/bisect.js';
import type { ScenarioRun } from '../../src/pipeline.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';
import { launchScenario } from '../sweep/tiny-scenario.js';

const failuresAt = (containers: number): number => (containers >= 137 ? 0.3 : 0);
const estimate = (mean: number) => ({ mean, ci95: 0, perSeed: [mean, mean] });

/** A run whose summary says what `failuresAt` says, without simulating. */
function fakeRun(scenario: ResolvedScenario): ScenarioRun {
  const points = scenario.points.map((point) => ({
    index: point.index,
    coordinates: point.coordinates,
    machine: 'r5.metal',
    metrics: { failureRate: estimate(failuresAt((point.spec as LaunchPointSpec).containers)) },
  }));
  return { scenario, points: scenario.points.map((point) => ({ point, machine: 'r5.metal', runs: [] })), summary: { scenario: scenario.name, seeds: [...scenario.seeds], points } };
}

describe('bisectOnset', () => {
  it('halves the gap to the resolution, on round numbers where it can', async () => {
    const tried: number[] = [];
    const found = await bisectOnset(100, 200, async (n) => (tried.push(n), failuresAt(n) === 0), 10);
    expect(found).toEqual({ lastPass: 135, firstFail: 140, tried });
    expect(tried).toEqual([150, 125, 140, 135]);
    expect(await bisectOnset(100, 200, async (n) => failuresAt(n) === 0, 1)).toMatchObject({ lastPass: 136, firstFail: 137 });
    expect(bisectionMidpoint(200, 300)).toBe(250);
    expect(bisectionMidpoint(10, 12)).toBe(11);
  });
});

describe('findOnsets', () => {
  it('bisects each series between its last passing and first failing sweep points, with the scenario’s seeds', async () => {
    const scenario = launchScenario([50, 100, 200, 300], ['1', '2']);
    const derived: ResolvedScenario[] = [];
    const onsets = await findOnsets(fakeRun(scenario), async (s) => (derived.push(s), fakeRun(s)), 10);
    expect(onsets).toHaveLength(1);
    const [onset] = onsets;
    expect(onset).toMatchObject({ machine: 'r5.metal', xKey: 'containers', metric: 'failureRate', threshold: 0.05, coordinates: { containers: 100, machine: 'r5.metal' } });
    expect(onset.lastPass).toBeLessThan(137);
    expect(onset.firstFail).toBeGreaterThanOrEqual(137);
    expect(onset.firstFail - onset.lastPass).toBeLessThanOrEqual(10);
    expect(onset.steps.map((s) => s.x)).toEqual(derived.map((s) => (s.points[0].spec as LaunchPointSpec).containers));
    for (const s of derived) {
      expect(s.seeds).toEqual(['1', '2']);
      expect(s.points).toHaveLength(1);
      expect(s.points[0].coordinates.containers).toBe((s.points[0].spec as LaunchPointSpec).containers);
    }
  });

  it('finds nothing to bisect when no point fails, or the first one already does', async () => {
    expect(await findOnsets(fakeRun(launchScenario([10, 50], ['1'])), async (s) => fakeRun(s))).toEqual([]);
    expect(await findOnsets(fakeRun(launchScenario([150, 300], ['1'])), async (s) => fakeRun(s))).toEqual([]);
  });
});
