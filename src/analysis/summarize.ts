/**
 * Run outputs -> per-point statistics. Pure: no simulation, no I/O. Each
 * metric is computed per seed (by the point's workload kind, which declares
 * its metrics), then estimated across seeds.
 */
import { estimate } from './statistics.js';
import type { Estimate, PointRuns, PointSummary, ScenarioSummary } from './summary.js';

/** One run's metrics by name: what a workload kind computes from its output. */
export type RunMetrics = (runs: PointRuns, seedIndex: number) => Record<string, number>;

export function summarizePoint(point: PointRuns, metricsOf: RunMetrics): PointSummary {
  const perRun = point.runs.map((_run, seedIndex) => metricsOf(point, seedIndex));
  const names = [...new Set(perRun.flatMap((m) => Object.keys(m)))].sort();
  const metrics: Record<string, Estimate> = {};
  for (const name of names) metrics[name] = estimate(perRun.map((m) => m[name] ?? 0));
  return { index: point.point.index, coordinates: point.point.coordinates, machine: point.machine, metrics };
}

export function summarizeScenario(name: string, seeds: readonly string[], points: readonly PointRuns[], metricsOf: RunMetrics): ScenarioSummary {
  return { scenario: name, seeds: [...seeds], points: points.map((point) => summarizePoint(point, metricsOf)) };
}
