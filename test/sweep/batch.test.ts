import { describe, expect, it } from 'vitest';
import { runScenario, startScenarios } from '../../src/pipeline.js';
import { createExecutor } from '../../src/sweep/executor.js';
import { launchScenario, pauseBenchScenario } from './tiny-scenario.js';

const scenarios = [launchScenario([2, 5], ['1', '2']), pauseBenchScenario([2, 8]), launchScenario([3], ['7'])];

describe('startScenarios', () => {
  it.each([1, 2])('gives each scenario the bytes of runScenario, with all their runs on one executor (jobs %i)', async (jobs) => {
    const reference = await Promise.all(scenarios.map((s) => runScenario(s)));
    const progress: number[] = [];
    const executor = createExecutor(jobs);
    try {
      const run = startScenarios(scenarios, { executor, onProgress: (done, total) => progress.push(done * 100 + total) });
      const runs = [];
      for (const scenario of scenarios) runs.push(await run(scenario));
      expect(runs.map((r) => JSON.stringify(r))).toEqual(reference.map((r) => JSON.stringify(r)));
    } finally {
      await executor.close();
    }
    expect(progress).toEqual(Array.from({ length: 9 }, (_, i) => (i + 1) * 100 + 9));
  });

  it('reports a scenario it was not given', async () => {
    const run = startScenarios([scenarios[0]]);
    await expect(run(scenarios[1])).rejects.toThrow(/was not started/);
  });
});
