import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import { QSpinlock, type KernelContext } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import { meshTopology } from '../support/test-topology.js';

/**
 * Three CPUs on one mesh, one qspinlock, fixed costs: transfer 40 ns, home
 * service 10 ns. By hand:
 *   cpu0 requests at 0, first touch from the home: acquires at 10, holds 100.
 *   cpu1 (5) and cpu2 (10) queue. Release at 110 -> cpu1 at 110 + 40 = 150.
 *   cpu0 thinks 20 and requests again at 130, behind cpu2.
 *   cpu1 releases at 200 -> cpu2 at 240, releases at 260 -> cpu0 at 300, releases at 330.
 */
describe('golden trace', () => {
  it('qspinlock, 3 CPUs, fixed costs', async () => {
    const topology = meshTopology({
      sockets: 1, coresPerSocket: 3, threadsPerCore: 1, sameDomainNs: 40, crossSocketNs: 40, smtNs: 8,
      readNs: 5, homeServiceNs: 10, smtSlowdown: 1,
    });
    const sim = new Simulation({ seed: 1 });
    const context: KernelContext = { sim, topology, cpuState: new CpuState(topology) };
    const stats = new ListeningStats();
    const lock = new QSpinlock(context, 'global', { stats });
    const lines: string[] = [];
    for (const event of ['requested', 'acquired', 'released', 'handoff'] as const) {
      stats.on(event, (p) => {
        const detail =
          p.waitNs !== undefined ? `wait ${p.waitNs} ns`
          : p.holdNs !== undefined ? `hold ${p.holdNs} ns`
          : p.distanceClass !== undefined ? `from cpu ${p.fromCpu} (${p.distanceClass})`
          : '';
        lines.push(`${String(p.timeNs).padStart(5)} ns  cpu ${p.cpu}  ${event.padEnd(9)}  ${detail}`.trimEnd());
      });
    }
    function* user(cpu: number, startNs: number, holdsNs: number[]): ProcessBody {
      yield sim.timeout(startNs);
      for (const [i, holdNs] of holdsNs.entries()) {
        if (i > 0) yield sim.timeout(20);
        yield* lock.lock(cpu);
        yield sim.timeout(holdNs);
        lock.unlock(cpu);
      }
    }
    sim.process(user(0, 0, [100, 30]));
    sim.process(user(1, 5, [50]));
    sim.process(user(2, 10, [20]));
    sim.run();
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('../golden/qspinlock-3cpu.trace');
  });
});
