import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import { QSpinlock, type KernelContext } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import { machineRepairmanMva } from '../../src/validation/closed-forms.js';
import { meshTopology, uniformZeroTopology } from '../support/test-topology.js';
import { range, runClosedLoop } from './closed-loop.js';

const mesh = meshTopology({
  sockets: 2, coresPerSocket: 8, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeOccupancy: 1, smtSlowdown: 1.2,
});

describe('QSpinlock', () => {
  it('never has two holders and serves waiters in request order (random workload, 32 CPUs)', () => {
    const result = runClosedLoop({
      topology: mesh, cpus: range(32), makeLock: (c, stats) => new QSpinlock(c, 'q', { stats }),
      meanThinkNs: 500, meanHoldNs: 80, times: 'exponential', durationNs: 2e6, seed: 7, recordOrder: true,
    });
    expect(result.safetyViolations).toEqual([]);
    expect(result.completed).toBeGreaterThan(1000);
    // FIFO: the n-th acquisition belongs to the n-th request.
    const n = result.acquireOrder.length;
    expect(result.acquireOrder).toEqual(result.requestOrder.slice(0, n));
    expect(result.lock.stats.handoffs).toBeGreaterThan(0);
  });

  it('matches machine-repairman MVA with zero coherence costs', () => {
    const customers = 5;
    const thinkNs = 2000;
    const holdNs = 400;
    const result = runClosedLoop({
      topology: uniformZeroTopology(customers), cpus: range(customers), makeLock: (c, stats) => new QSpinlock(c, 'q', { stats }),
      meanThinkNs: thinkNs, meanHoldNs: holdNs, times: 'exponential', durationNs: 1.5e8, seed: 3,
    });
    const mva = machineRepairmanMva(customers, thinkNs, holdNs);
    expect(result.throughputPerNs / mva.throughput).toBeCloseTo(1, 1);
    expect(Math.abs(result.throughputPerNs / mva.throughput - 1)).toBeLessThan(0.015);
    expect(Math.abs(result.meanWaitNs / mva.meanWait - 1)).toBeLessThan(0.02);
    // Little's law over the closed loop: N = X (Z + W + S).
    const little = result.throughputPerNs * (result.meanThinkNs + result.meanWaitNs + result.meanHoldNs);
    expect(Math.abs(little / customers - 1)).toBeLessThan(0.01);
  });

  it('writes its line at the first acquisition, at a waiter\'s arrival, at the release and at the handoff, each queued at the home', () => {
    const sim = new Simulation({ seed: 1 });
    const context: KernelContext = { sim, topology: mesh, cpuState: new CpuState(mesh) };
    const acquired: [number, number][] = [];
    const lock = new QSpinlock(context, 'q', { stats: new ListeningStats().on('acquired', (p) => acquired.push([p.cpu, p.timeNs])) });
    function* user(cpu: number, startNs: number, holdNs: number): ProcessBody {
      yield sim.timeout(startNs);
      yield* lock.lock(cpu);
      yield sim.timeout(holdNs);
      lock.unlock(cpu);
    }
    sim.process(user(1, 0, 100));
    sim.process(user(2, 10, 100));
    sim.run();
    // cpu 1 fetches the line from memory (100 ns, home held 100). cpu 2 arrives at 10: its
    // tail write waits for the home until 100 and lands at 150, then it spins on its own copy.
    // Release at 200: cpu 1 takes the line back (50, done 250), cpu 2's core re-reads (15 ns at
    // 250) and sees the release at 300; its locking write lands at 350.
    expect(acquired).toEqual([[1, 100], [2, 350]]);
    expect(lock.line.stats.transfersByClass.domain).toBe(3);
    expect(lock.line.stats.fanOutReads).toBe(1);
  });

  it('tryLock fails while held and succeeds when free', () => {
    const sim = new Simulation({ seed: 1 });
    const context: KernelContext = { sim, topology: mesh, cpuState: new CpuState(mesh) };
    const lock = new QSpinlock(context, 'q');
    const results: boolean[] = [];
    sim.process((function* () {
      yield* lock.lock(0);
      results.push(yield* lock.tryLock(1));
      lock.unlock(0);
      results.push(yield* lock.tryLock(1));
      lock.unlock(1);
    })());
    sim.run();
    expect(results).toEqual([false, true]);
    expect(lock.isLocked).toBe(false);
  });
});
