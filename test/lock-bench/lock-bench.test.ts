import { describe, expect, it } from 'vitest';
import { IdealFifoLock, McsSpinlock } from '../../src/kernel/index.js';
import { runLockBench, type LockBenchOptions } from '../../src/lock-bench/index.js';
import { boydWickizerChain, finiteSourceMd1, machineRepairmanMva } from '../../src/validation/closed-forms.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioText, runScenario } from '../../src/pipeline.js';
import { readReportDocuments, writeRunReport } from '../../src/report/write-run.js';
import { errorOf } from '../support/input-error.js';
import { meshTopology, m7aLike } from '../support/test-topology.js';
import { range, runClosedLoop } from '../kernel/closed-loop.js';

const mesh = meshTopology({ sockets: 1, coresPerSocket: 16, threadsPerCore: 1, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8, readNs: 15, homeOccupancy: 1, smtSlowdown: 1 });

describe('McsSpinlock', () => {
  it('is safe and FIFO, and hands off in two transfers between the pair', () => {
    const result = runClosedLoop({ topology: mesh, cpus: range(8), makeLock: (c, stats) => new McsSpinlock(c, 'mcs', { stats }), meanThinkNs: 500, meanHoldNs: 100, times: 'exponential', durationNs: 2e5, seed: 3, recordOrder: true });
    expect(result.safetyViolations).toEqual([]);
    expect(result.acquireOrder).toEqual(result.requestOrder.slice(0, result.acquireOrder.length));
  });

  it('holds its throughput as cores grow where the ticket lock collapses', () => {
    const at = (make: 'mcs' | 'ticket', n: number) =>
      runLockBench({ topology: mesh, threads: n, lock: make, think: { kind: 'exponential', mean: 1500 }, hold: { kind: 'exponential', mean: 150 }, stop: { durationNs: 1e6 }, seed: 1 }).throughputPerSec;
    expect(at('mcs', 16)).toBeGreaterThan(0.8 * at('mcs', 8));
    expect(at('ticket', 16)).toBeLessThan(at('mcs', 16));
  });
});

describe('IdealFifoLock', () => {
  it('grants the oldest waiter exactly the handoff later', () => {
    const result = runClosedLoop({ topology: mesh, cpus: range(4), makeLock: (c, stats) => new IdealFifoLock(c, 'fifo', { stats, handoffNs: 10 }), meanThinkNs: 0, meanHoldNs: 100, times: 'fixed', durationNs: 1e4, warmupNs: 2000, recordOrder: true });
    expect(result.safetyViolations).toEqual([]);
    // Every cycle is the hold plus the handoff (the window's edges cost about one cycle in a hundred).
    expect(Math.abs(result.throughputPerNs * 110 - 1)).toBeLessThan(0.02);
  });
});

describe('TicketSpinlock with the chain hand-off', () => {
  it('charges c*k/2: k waiting or holding, c the re-read', () => {
    // Saturated with fixed times: after the start every release sees the other n - 1 waiting, so k = n.
    const n = 6;
    const result = runLockBench({ topology: mesh, threads: n, lock: 'ticket', ticketHandoff: 'chain', think: { kind: 'deterministic', value: 0 }, hold: { kind: 'deterministic', value: 100 }, stop: { acquisitions: 2000 }, seed: 1 });
    expect(1e9 / result.throughputPerSec).toBeCloseTo(100 + (15 * n) / 2, 3);
  });
});

describe('closed forms', () => {
  it("Takacs' M/D/1//N agrees with the obvious cases", () => {
    expect(finiteSourceMd1(1, 4000, 1000).throughput).toBeCloseTo(1 / 5000, 12);
    expect(finiteSourceMd1(200, 4000, 1000).throughput).toBeCloseTo(1 / 1000, 9);
    // Less variable service than M/M/1//N: more throughput, less waiting.
    expect(finiteSourceMd1(8, 4000, 1000).throughput).toBeGreaterThan(machineRepairmanMva(8, 4000, 1000).throughput);
    expect(finiteSourceMd1(8, 4000, 1000).meanWait).toBeLessThan(machineRepairmanMva(8, 4000, 1000).meanWait);
  });

  it('the Boyd-Wickizer chain rises, peaks and collapses (their parameters peak at 18 cores)', () => {
    const curve = [2, 8, 16, 18, 20, 32, 48].map((n) => boydWickizerChain(n, 10_000, 400, 100).throughput);
    expect(curve.indexOf(Math.max(...curve))).toBe(3);
    expect(curve[6]).toBeLessThan(0.4 * curve[3]);
  });
});

describe('runLockBench', () => {
  const base: LockBenchOptions = { topology: m7aLike(), threads: 8, placement: 'spread', lock: 'qspinlock', think: { kind: 'exponential', mean: 1000 }, hold: { kind: 'exponential', mean: 100 }, stop: { durationNs: 2e5 }, seed: 'x' };

  it('is deterministic for a seed, and counts what it measures', () => {
    const a = runLockBench(base);
    expect(runLockBench(base)).toEqual(a);
    expect(a.perThreadAcquisitions.reduce((x, y) => x + y, 0)).toBe(a.acquisitions);
    expect(a.littleRatio).toBeCloseTo(1, 1);
    expect(a.lockUtilisation).toBeGreaterThan(0);
    expect(a.homeUtilisation).toBeGreaterThan(0);
  });

  it('stops after a count of acquisitions past its warm-up', () => {
    const result = runLockBench({ ...base, stop: { acquisitions: 500 }, warmupFraction: 0.2 });
    expect(result.acquisitions).toBe(500);
  });

  it('runs readers and writers: rwsem, seqlock (retries), rcu (grace periods)', () => {
    const rwsem = runLockBench({ ...base, lock: 'rwsem', readShare: 0.8 });
    expect(rwsem.reads / rwsem.acquisitions).toBeGreaterThan(0.7);
    expect(rwsem.meanWriteWaitNs).toBeGreaterThan(0);
    const seqlock = runLockBench({ ...base, lock: 'seqlock', readShare: 0.5, hold: { kind: 'deterministic', value: 300 } });
    expect(seqlock.readRetries).toBeGreaterThan(0);
    const rcu = runLockBench({ ...base, lock: 'rcu', readShare: 0.9, rcu: { baseNs: 20_000, perCpuNs: 0 }, stop: { durationNs: 1e6 } });
    expect(rcu.gracePeriods).toBeGreaterThan(0);
    expect(rcu.meanWriteWaitNs).toBeGreaterThanOrEqual(20_000);
  });

  it('open arrivals: a backlog only when every thread is busy', () => {
    const open = runLockBench({ ...base, lock: 'fifo', threads: 2, arrival: { kind: 'open', meanInterarrivalNs: 120 }, stop: { acquisitions: 5000 } });
    expect(open.meanBacklogNs).toBeGreaterThan(0);
    expect(open.littleRatio).toBeCloseTo(1, 2);
  });

  it('extra lines lengthen the section by their transfers', () => {
    const plain = runLockBench({ ...base, threads: 4 });
    const lines = runLockBench({ ...base, threads: 4, extraLines: 4 });
    expect(lines.meanHoldNs).toBeGreaterThan(plain.meanHoldNs + 4 * 20);
  });

  it('places threads on a cpuset, in its order', () => {
    expect(runLockBench({ ...base, threads: 2, placement: { cpus: [9, 3] } }).cpus).toEqual([9, 3]);
  });
});

describe('lock-bench scenario files', () => {
  const file = (extra: string): string => `name: lb\nkind: lock-bench\nmachine: m7a.24xlarge\nthreads: 4\n${extra}`;

  it('refuse a field for another lock, both a duration and a count, threads that do not fit a cpuset', () => {
    expect(errorOf(() => loadScenarioText(file('lock: ticket\nreadShare: 0.5\n'), 'lb.yaml')).format()).toMatch(/^lb\.yaml:6:1: readShare: `readShare` does not apply to a ticket lock/);
    expect(errorOf(() => loadScenarioText(file('duration: 1 ms\nacquisitions: 100\n'), 'lb.yaml')).format()).toMatch(/acquisitions: a run ends at a duration or at a count/);
    expect(errorOf(() => loadScenarioText(file('placement: {cpuset: "0-2"}\n'), 'lb.yaml')).format()).toMatch(/placement\.cpuset: 4 threads do not fit/);
    expect(errorOf(() => loadScenarioText(file('think: {kind: exponential, median: 1 us}\n'), 'lb.yaml')).format()).toMatch(/think\.median: `median` does not apply to a exponential distribution/);
  });

  it('give theory.* metrics only to points with a closed form', () => {
    const fifo = loadScenarioText(file('lock: fifo\nhold: {kind: exponential, mean: 1 us}\nthink: {kind: exponential, mean: 4 us}\n'), 'lb.yaml');
    const qspin = loadScenarioText(file('lock: qspinlock\n'), 'lb.yaml');
    expect(() => loadScenarioText(file('lock: qspinlock\nexpect: [{metric: theory.throughputPerS, above: 0}]\n'), 'lb.yaml')).toThrow(/unknown metric `theory\.throughputPerS`/);
    expect(fifo.points).toHaveLength(1);
    expect(qspin.points).toHaveLength(1);
  });

  it('write a report that reads back (locksim report, checkpoints and partials read the same documents)', async () => {
    const run = await runScenario(loadScenarioText(file('lock: rwsem\nreadShare: 0.5\nacquisitions: 300\nseeds: 1\n'), 'lb.yaml'));
    const dir = mkdtempSync(join(tmpdir(), 'locksim-lb-report-'));
    await writeRunReport(run, dir, { command: 'test', version: '0' });
    const { resolved, results } = await readReportDocuments(dir);
    expect(resolved.kind).toBe('lock-bench');
    expect(results.points).toHaveLength(1);
  }, 30_000);
});
