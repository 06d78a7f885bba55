import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runPoint } from '../../src/pipeline.js';

describe('launch storm progress', () => {
  // Found with 5 seeds of the R9 check: a namespace_sem holder granted the lock while asleep
  // waited for a CPU that 96 optimistic spinners kept, spinning on an owner that was not running,
  // and the run froze with 225 launches unfinished. Spinners now follow owner_on_cpu().
  it('no launch is left stuck behind spinners of a descheduled namespace_sem owner (old runtime, 400 x 50, r5.metal, seed 3)', () => {
    const scenario = loadScenario('scenarios/checks/r9-fixes.yaml', { set: ['sweep.runtime=[docker-shifted]', 'sweep.machine=[r5.metal]'] });
    const { output } = runPoint(scenario.points[0], '3');
    if (output.kind !== 'launch') throw new Error('expected a launch run');
    const unfinished = output.result.containers.filter((c) => c.latencyNs === null).length;
    expect(unfinished).toBe(0);
    expect(output.result.endNs).toBeLessThan(30e9);
  });
});
