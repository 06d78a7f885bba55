import { describe, expect, it } from 'vitest';
import { QSpinlock, TasSpinlock, TicketSpinlock, type ExclusiveSpinlock, type KernelContext, type LockStats } from '../../src/kernel/index.js';
import { meshTopology } from '../support/test-topology.js';
import { range, runClosedLoop } from './closed-loop.js';

const mesh48 = meshTopology({
  sockets: 1, coresPerSocket: 48, threadsPerCore: 1, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeOccupancy: 1, smtSlowdown: 1,
});

function throughputCurve(makeLock: (c: KernelContext, stats: LockStats) => ExclusiveSpinlock, cores: number[]): number[] {
  return cores.map(
    (n) =>
      runClosedLoop({
        topology: mesh48, cpus: range(n), makeLock, meanThinkNs: 3000, meanHoldNs: 200, times: 'exponential', durationNs: 2e6, seed: 1,
      }).throughputPerNs,
  );
}

describe('TicketSpinlock', () => {
  it('is safe and FIFO under a random workload', () => {
    const result = runClosedLoop({
      topology: mesh48, cpus: range(24), makeLock: (c, stats) => new TicketSpinlock(c, 't', { stats }),
      meanThinkNs: 1000, meanHoldNs: 100, times: 'exponential', durationNs: 1e6, seed: 5, recordOrder: true,
    });
    expect(result.safetyViolations).toEqual([]);
    expect(result.acquireOrder).toEqual(result.requestOrder.slice(0, result.acquireOrder.length));
  });

  it('collapses as cores grow (Boyd-Wickizer) while the qspinlock holds its peak', () => {
    const cores = [2, 4, 8, 12, 16, 24, 32, 48];
    const ticket = throughputCurve((c, stats) => new TicketSpinlock(c, 'lock', { stats }), cores);
    const mcs = throughputCurve((c, stats) => new QSpinlock(c, 'lock', { stats }), cores);
    const ticketPeak = Math.max(...ticket);
    const peakAt = ticket.indexOf(ticketPeak);
    // Rises, peaks inside the range, then falls well below the peak.
    expect(ticket[0]).toBeLessThan(ticketPeak / 2);
    expect(peakAt).toBeGreaterThan(0);
    expect(peakAt).toBeLessThan(cores.length - 2);
    expect(ticket[ticket.length - 1]).toBeLessThan(0.6 * ticketPeak);
    for (let i = peakAt + 1; i < ticket.length; i++) expect(ticket[i]).toBeLessThan(ticket[i - 1]);
    const mcsPeak = Math.max(...mcs);
    const mcsPeakAt = mcs.indexOf(mcsPeak);
    for (let i = mcsPeakAt; i < mcs.length; i++) expect(mcs[i]).toBeGreaterThan(0.8 * mcsPeak);
  });
});

describe('TasSpinlock', () => {
  for (const mode of ['tas', 'ttas'] as const) {
    it(`${mode}: never two holders; unfair (not FIFO) under contention`, () => {
      const result = runClosedLoop({
        topology: mesh48, cpus: range(16), makeLock: (c, stats) => new TasSpinlock(c, 'l', { mode, stats }),
        meanThinkNs: 200, meanHoldNs: 100, times: 'exponential', durationNs: 5e5, seed: 2, recordOrder: true,
      });
      expect(result.safetyViolations).toEqual([]);
      expect(result.acquireOrder).not.toEqual(result.requestOrder.slice(0, result.acquireOrder.length));
    });
  }

  it('tas pays every spinner\'s atomic at the home: slower than ttas with many spinners', () => {
    const run = (mode: 'tas' | 'ttas') =>
      runClosedLoop({
        topology: mesh48, cpus: range(48), makeLock: (c, stats) => new TasSpinlock(c, 'l', { mode, stats }),
        meanThinkNs: 200, meanHoldNs: 100, times: 'fixed', durationNs: 5e5, seed: 2,
      }).throughputPerNs;
    expect(run('tas')).toBeLessThan(run('ttas'));
  });

  it('is deterministic for a seed', () => {
    const run = () =>
      runClosedLoop({
        topology: mesh48, cpus: range(12), makeLock: (c, stats) => new TasSpinlock(c, 'l', { stats }),
        meanThinkNs: 300, meanHoldNs: 100, times: 'exponential', durationNs: 2e5, seed: 'same', recordOrder: true,
      }).acquireOrder;
    expect(run()).toEqual(run());
  });
});
