import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import { SeqLock, type KernelContext } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import { meshTopology } from '../support/test-topology.js';

const mesh = meshTopology({
  sockets: 1, coresPerSocket: 16, threadsPerCore: 1, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeOccupancy: 1, smtSlowdown: 1,
});

function setup(seed: number | string = 1) {
  const sim = new Simulation({ seed });
  const context: KernelContext = { sim, topology: mesh, cpuState: new CpuState(mesh) };
  const stats = new ListeningStats();
  return { sim, context, stats, lock: new SeqLock(context, 'mount_lock', { stats }) };
}

describe('SeqLock', () => {
  it('parks readers on an odd count and releases them at their places in the release\'s re-read burst; the next writer queues behind', () => {
    const { sim, context, lock } = setup();
    const log: string[] = [];
    function* writer(cpu: number, startNs: number, holdNs: number): ProcessBody {
      yield sim.timeout(startNs);
      yield* lock.writeLock(cpu);
      log.push(`${sim.now} w${cpu} seq=${lock.sequence}`);
      yield sim.timeout(holdNs);
      lock.writeUnlock(cpu);
    }
    function* reader(cpu: number, startNs: number): ProcessBody {
      yield sim.timeout(startNs);
      const seq = yield* lock.readBegin(cpu);
      log.push(`${sim.now} r${cpu} seq=${seq} spinning=${context.cpuState.isSpinning(cpu)}`);
    }
    sim.process(writer(0, 0, 100));
    sim.process(reader(1, 150));
    sim.process(reader(2, 150));
    sim.process(writer(3, 50, 10));
    sim.run();
    // w0 fetches the line from memory: odd from 100. w3's tail write (50 ns) waits for the home
    // until 100 and lands at 150; w3 spins on its own copy. r1 and r2 miss at 150 and 165 (15 ns
    // each). w0's release at 200 takes the line back from w3 (done 250); cores 3, 1 and 2 re-read
    // at 250, 265 and 280; the readers see the even count 50 ns later. w3 sees it at 300; its
    // locking write waits for the burst to end at 295 and lands at 350.
    expect(log).toEqual(['100 w0 seq=1', '315 r1 seq=2 spinning=false', '330 r2 seq=2 spinning=false', '350 w3 seq=3']);
    expect(lock.readerStats.spunReads).toBe(2);
    expect(lock.readerStats.spinNsByCpu.get(2)).toBe(180);
    expect(lock.line.stats.fanOutReads).toBe(2 + 3);
  });

  it('a parked reader keeps the even count its re-read saw, even when the next writer\'s odd count lands before the value reaches it', () => {
    // The next writer is the releaser's SMT sibling: its locking write is served right after the
    // burst, before the readers' values (50 ns transfers) arrive.
    const smt = meshTopology({
      sockets: 1, coresPerSocket: 16, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
      readNs: 15, homeOccupancy: 1, smtSlowdown: 1,
    });
    const sim = new Simulation({ seed: 1 });
    const lock = new SeqLock({ sim, topology: smt, cpuState: new CpuState(smt) }, 'mount_lock');
    const seen: { name: string; atNs: number; seq: number; retry?: boolean }[] = [];
    function* writer(cpu: number, startNs: number, holdNs: number): ProcessBody {
      yield sim.timeout(startNs);
      yield* lock.writeLock(cpu);
      seen.push({ name: `w${cpu}`, atNs: sim.now, seq: lock.sequence });
      yield sim.timeout(holdNs);
      lock.writeUnlock(cpu);
    }
    function* reader(cpu: number): ProcessBody {
      yield sim.timeout(150);
      const seq = yield* lock.readBegin(cpu);
      seen.push({ name: `r${cpu}`, atNs: sim.now, seq, retry: lock.readRetry(seq) });
    }
    sim.process(writer(0, 0, 100));
    sim.process(writer(16, 10, 100));
    sim.process(reader(2));
    sim.process(reader(3));
    sim.run();
    const w16 = seen.find((s) => s.name === 'w16')!;
    const readers = seen.filter((s) => s.name.startsWith('r'));
    expect(w16.seq).toBe(3);
    expect(readers.map((r) => r.seq)).toEqual([2, 2]);
    for (const r of readers) {
      expect(r.atNs).toBeGreaterThan(w16.atNs);
      expect(r.retry).toBe(true);
    }
  });

  it('a reader never accepts a read that overlapped a write section (random workload)', () => {
    const { sim, lock } = setup('overlap');
    const rng = sim.random.stream('test');
    const writes: [number, number][] = [];
    const violations: string[] = [];
    let accepted = 0;
    let retried = 0;
    function* writer(cpu: number): ProcessBody {
      for (let i = 0; i < 200; i++) {
        yield sim.timeout(rng.exponential(2000));
        if (rng.next() < 0.3) {
          yield* lock.lockExclusive(cpu);
          yield sim.timeout(rng.exponential(300));
          lock.unlockExclusive(cpu);
          continue;
        }
        yield* lock.writeLock(cpu);
        const start = sim.now;
        yield sim.timeout(rng.exponential(500));
        writes.push([start, sim.now]);
        lock.writeUnlock(cpu);
      }
    }
    function* reader(cpu: number): ProcessBody {
      for (let i = 0; i < 400; i++) {
        yield sim.timeout(rng.exponential(300));
        const seq = yield* lock.readBegin(cpu);
        const begin = sim.now;
        yield sim.timeout(rng.exponential(400));
        if (lock.readRetry(seq)) {
          retried++;
          continue;
        }
        accepted++;
        for (const [ws, we] of writes) if (ws <= sim.now && we >= begin) violations.push(`read [${begin}, ${sim.now}] overlaps write [${ws}, ${we}]`);
        if ((lock.sequence & 1) === 1) violations.push(`read accepted at ${sim.now} inside a write`);
      }
    }
    for (const cpu of [0, 1, 2]) sim.process(writer(cpu));
    for (let cpu = 3; cpu < 16; cpu++) sim.process(reader(cpu));
    sim.run();
    expect(violations).toEqual([]);
    expect(accepted).toBeGreaterThan(100);
    expect(retried).toBeGreaterThan(100);
    expect(lock.readerStats.retries).toBe(retried);
    expect(lock.readerStats.spunReads).toBeGreaterThan(0);
  });

  it('exclusive readers take the spinlock without moving the count', () => {
    const { sim, lock, stats } = setup();
    const probes: string[] = [];
    stats.on('acquired', (p) => probes.push(`acq ${p.cpu}`));
    sim.process((function* (): ProcessBody {
      yield* lock.lockExclusive(4);
      expect(lock.sequence).toBe(0);
      lock.unlockExclusive(4);
      yield* lock.writeLock(4);
      expect(() => lock.unlockExclusive(4)).toThrow();
      lock.writeUnlock(4);
    })());
    sim.run();
    expect(lock.sequence).toBe(2);
    expect(probes).toEqual(['acq 4', 'acq 4']);
    expect(lock.stats.acquisitions).toBe(2);
  });
});
