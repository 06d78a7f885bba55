/** Hand-made summaries for check tests: no simulation, values chosen so each row is checkable by eye. */
import type { Estimate, ScenarioSummary } from '../../src/analysis/summary.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';

export function estimate(perSeed: readonly number[]): Estimate {
  const mean = perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
  return { mean, ci95: 0, perSeed: [...perSeed] };
}

/** `values(coordinates)` gives each metric's per-seed values at a point. */
export function summaryOf(scenario: ResolvedScenario, values: (coordinates: Readonly<Record<string, string | number | boolean>>) => Record<string, readonly number[]>): ScenarioSummary {
  return {
    scenario: scenario.name,
    seeds: [...scenario.seeds],
    points: scenario.points.map((point) => ({
      index: point.index,
      coordinates: point.coordinates,
      machine: String(point.coordinates.machine ?? 'r5.metal'),
      metrics: Object.fromEntries(Object.entries(values(point.coordinates)).map(([name, perSeed]) => [name, estimate(perSeed)])),
    })),
  };
}
