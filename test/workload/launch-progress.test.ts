import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runPoint } from '../../src/pipeline.js';
import { CpuScheduler } from '../../src/machine/scheduler.js';
import { ModelStallError } from '../../src/workload/container-launch.js';

// Found with 5 seeds of the R9 check: a namespace_sem holder granted the lock while asleep
// waited for a CPU that 96 optimistic spinners kept, spinning on an owner that was not running,
// and the run froze with 225 launches unfinished. Spinners now follow owner_on_cpu().
const frozenBefore = (): ReturnType<typeof loadScenario> =>
  loadScenario('scenarios/checks/r9-fixes.yaml', { set: ['sweep.runtime=[docker-shifted]', 'sweep.machine=[r5.metal]'] });

describe('launch storm progress', () => {
  afterEach(() => vi.restoreAllMocks());

  it('no launch is left stuck behind spinners of a descheduled namespace_sem owner (old runtime, 400 x 50, r5.metal, seed 3)', () => {
    const { output } = runPoint(frozenBefore().points[0], '3');
    if (output.kind !== 'launch') throw new Error('expected a launch run');
    expect(output.result.containers.filter((c) => c.latencyNs === null)).toHaveLength(0);
    expect(output.result.endNs).toBeLessThan(30e9);
  });

  it('a frozen model is reported as a model bug, not returned as unfinished launches', () => {
    // A lost wake-up planted on purpose: a released CPU never goes to a thread queued for one.
    vi.spyOn(CpuScheduler.prototype as unknown as { takeQueuedFor(cpu: number): unknown }, 'takeQueuedFor').mockReturnValue(undefined);
    expect(() => runPoint(frozenBefore().points[0], '3')).toThrow(ModelStallError);
    expect(() => runPoint(frozenBefore().points[0], '3')).toThrow(/launch model froze: \d+ launches in progress ran no step/);
  });
});
