/**
 * A scenario's point runs on `jobs` threads, the executor closed afterwards:
 * what the tests that exercise the sweep (checkpoints, signals, pool faults)
 * call, through the orchestrator exactly as the CLI does.
 */
import { runScenario, type RunScenarioOptions } from '../../src/pipeline.js';
import type { PointRuns } from '../../src/analysis/summary.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';
import { createExecutor } from '../../src/sweep/executor.js';

export async function runPointsParallel(scenario: ResolvedScenario, options: RunScenarioOptions & { readonly jobs?: number } = {}): Promise<readonly PointRuns[]> {
  const { jobs, ...rest } = options;
  const executor = createExecutor(jobs);
  try {
    return (await runScenario(scenario, { ...rest, executor })).points;
  } finally {
    await executor.close();
  }
}
