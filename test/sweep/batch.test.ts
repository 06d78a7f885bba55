import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline.js';
import { ScenarioBatch } from '../../src/sweep/batch.js';
import { InputError } from '../../src/input/errors.js';
import { launchScenario, pauseBenchScenario } from './tiny-scenario.js';

const scenarios = [launchScenario([2, 5], ['1', '2']), pauseBenchScenario([2, 8]), launchScenario([3], ['7'])];

describe('ScenarioBatch', () => {
  it.each([1, 2])('gives each scenario the bytes of runScenario, with all their runs in one pool (jobs %i)', async (jobs) => {
    const reference = await Promise.all(scenarios.map((s) => runScenario(s)));
    const progress: number[] = [];
    const batch = new ScenarioBatch({ jobs, onProgress: (done, total) => progress.push(done * 100 + total) });
    batch.start(scenarios);
    const runs = [];
    for (const scenario of scenarios) runs.push(await batch.run(scenario));
    expect(runs.map((run) => JSON.stringify(run))).toEqual(reference.map((run) => JSON.stringify(run)));
    expect(progress).toEqual(Array.from({ length: 9 }, (_, i) => (i + 1) * 100 + 9));
  });

  it('reports a scenario it was not given, and refuses a bad job count', async () => {
    const batch = new ScenarioBatch({ jobs: 1 });
    batch.start([scenarios[0]]);
    await expect(batch.run(scenarios[1])).rejects.toThrow(/was not started/);
    expect(() => new ScenarioBatch({ jobs: 0 })).toThrow(InputError);
  });
});
