/**
 * A scenario's runs put together: the scenario, every point's runs, and
 * their summary, each metric computed by the point's workload kind. The one
 * place a ScenarioRun is assembled, whether the runs come from a sweep, from
 * merged shards or from a stored results.json.
 */
import { computeMetrics } from '../analysis/metric.js';
import { summarizeScenario, type RunMetrics } from '../analysis/summarize.js';
import type { PointRuns, ScenarioSummary } from '../analysis/summary.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { workloadKind } from './registry.js';

export interface ScenarioRun {
  readonly scenario: ResolvedScenario;
  readonly points: readonly PointRuns[];
  readonly summary: ScenarioSummary;
}

/** How each run of `scenario` is measured: its kind's metric table, with what the kind knows of the point. */
export function scenarioMetrics(scenario: Pick<ResolvedScenario, 'models'>): RunMetrics {
  return (point, seedIndex) => {
    const kind = workloadKind(point.point.spec.kind);
    return computeMetrics(kind.metrics, point.runs[seedIndex].result, kind.metricContext(point.point.spec, scenario.models));
  };
}

export function completeRun(scenario: ResolvedScenario, points: readonly PointRuns[]): ScenarioRun {
  return { scenario, points, summary: summarizeScenario(scenario.name, scenario.seeds, points, scenarioMetrics(scenario)) };
}
