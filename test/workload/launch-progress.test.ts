import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenario, runPoint } from '../../src/pipeline.js';
import { CpuScheduler } from '../../src/scheduler/scheduler.js';
import { ModelStallError } from '../../src/launch/index.js';
import { launchResult } from '../../src/workloads/launch/index.js';

// Found with 5 seeds of the R9 check: a namespace_sem holder granted the lock while asleep
// waited for a CPU that 96 optimistic spinners kept, spinning on an owner that was not running,
// and the run froze with 225 launches unfinished. Spinners now follow owner_on_cpu().
const frozenBefore = (): ReturnType<typeof loadScenario> =>
  loadScenario('scenarios/checks/r9-fixes.yaml', { set: ['sweep.runtime=[docker-shifted]', 'sweep.machine=[r5.metal]'] });

describe('launch storm progress', () => {
  afterEach(() => vi.restoreAllMocks());

  it('no launch is left stuck behind spinners of a descheduled namespace_sem owner (old runtime, 400 x 50, r5.metal, seed 3)', () => {
    const scenario = frozenBefore();
    const result = launchResult(runPoint(scenario, scenario.points[0], '3').output);
    expect(result.containers.filter((c) => c.latencyNs === null)).toHaveLength(0);
    expect(result.endNs).toBeLessThan(30e9);
  });

  it('a frozen model is reported as a model bug, not returned as unfinished launches', () => {
    // A lost wake-up planted on purpose: a released CPU never goes to a thread queued for one.
    vi.spyOn(CpuScheduler.prototype as unknown as { takeQueuedFor(cpu: number): unknown }, 'takeQueuedFor').mockReturnValue(undefined);
    const scenario = frozenBefore();
    expect(() => runPoint(scenario, scenario.points[0], '3')).toThrow(ModelStallError);
    expect(() => runPoint(scenario, scenario.points[0], '3')).toThrow(/launch model froze: \d+ launches in progress ran no step/);
  });
});
