import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import { QSpinlock, type KernelContext } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import { meshTopology } from '../support/test-topology.js';

/**
 * Three CPUs on one mesh, one qspinlock, fixed costs: transfer 40 ns (home
 * held 10), memory 100 ns (home held 25), a core's re-read 5 ns. By hand:
 *   cpu0 requests at 0: the line from memory, acquires at 100, holds 100.
 *   cpu1 (5) queues: its tail write waits for the home until 25, lands at 65;
 *   it heads the queue and spins on its copy. cpu2 (10): tail write 35..75,
 *   after which core 1 re-reads (75..80).
 *   Release at 200: the line back to cpu0 (200..240), core 1 re-reads at 240
 *   and sees it at 280; its locking write lands at 320 (acquires, wait 315).
 *   cpu2 becomes head: the MCS handoff reaches it at 360, its read 360..365.
 *   cpu0 (thinks 20) queues at 220: its tail write waits for the home until
 *   365 (the requests booked before it), lands at 405; core 2 re-reads 405..410.
 *   cpu1 releases at 370: write 410..450, core 2 re-reads at 450, sees it at
 *   490, locks at 530. cpu0 becomes head: its read 570..575.
 *   cpu2 releases at 550: an upgrade (core 0 shares the line) 575..615, core 0
 *   re-reads at 615, sees it at 655, locks at 695, releases at 725.
 */
describe('golden trace', () => {
  it('qspinlock, 3 CPUs, fixed costs', async () => {
    const topology = meshTopology({
      sockets: 1, coresPerSocket: 3, threadsPerCore: 1, sameDomainNs: 40, crossSocketNs: 40, smtNs: 8,
      readNs: 5, homeOccupancy: 0.25, smtSlowdown: 1,
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
