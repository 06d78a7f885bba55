import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import { SeqLock, type KernelContext } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import { meshTopology } from '../support/test-topology.js';

const mesh = meshTopology({
  sockets: 1, coresPerSocket: 16, threadsPerCore: 1, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeServiceNs: 30, smtSlowdown: 1,
});

function setup(seed: number | string = 1) {
  const sim = new Simulation({ seed });
  const context: KernelContext = { sim, topology: mesh, cpuState: new CpuState(mesh) };
  const stats = new ListeningStats();
  return { sim, context, stats, lock: new SeqLock(context, 'mount_lock', { stats }) };
}

describe('SeqLock', () => {
  it('parks readers on an odd count and releases them as their re-reads complete; the next writer queues behind', () => {
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
    sim.process(reader(1, 40));
    sim.process(reader(2, 40));
    sim.process(writer(3, 50, 10));
    sim.run();
    // w0 owns from 30 (first touch at the home); unlock at 130: units 1 and 2
    // re-read at 130 and 145 (+50 transfer); w3's transfer waits for the home
    // until 160 and lands at 210.
    expect(log).toEqual(['30 w0 seq=1', '180 r1 seq=2 spinning=false', '195 r2 seq=2 spinning=false', '210 w3 seq=3']);
    expect(lock.readerStats.spunReads).toBe(2);
    expect(lock.readerStats.spinNsByCpu.get(2)).toBe(155);
    expect(lock.line.stats.fanOutReads).toBe(2);
  });

  it('a reader whose re-read lands after the next writer began keeps spinning', () => {
    // The next writer is the releaser's SMT sibling: its handoff skips the
    // home, so it beats the readers' re-reads queued there.
    const smt = meshTopology({
      sockets: 1, coresPerSocket: 16, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
      readNs: 15, homeServiceNs: 30, smtSlowdown: 1,
    });
    const sim = new Simulation({ seed: 1 });
    const lock = new SeqLock({ sim, topology: smt, cpuState: new CpuState(smt) }, 'mount_lock');
    const seen: string[] = [];
    function* writer(cpu: number, startNs: number, holdNs: number): ProcessBody {
      yield sim.timeout(startNs);
      yield* lock.writeLock(cpu);
      seen.push(`${sim.now} w${cpu}`);
      yield sim.timeout(holdNs);
      lock.writeUnlock(cpu);
    }
    function* reader(cpu: number): ProcessBody {
      yield sim.timeout(40);
      const seq = yield* lock.readBegin(cpu);
      seen.push(`${sim.now} r${cpu} seq=${seq}`);
    }
    sim.process(writer(0, 0, 100)); // holds 30..130
    sim.process(writer(16, 10, 100)); // sibling: 130 + 8 = 138..238
    sim.process(reader(2));
    sim.process(reader(3));
    sim.run();
    // Re-reads at 180 and 195 see w16's odd count; they spin again until 238,
    // then re-read at 238 and 253 (+50).
    expect(seen).toEqual(['30 w0', '138 w16', '288 r2 seq=4', '303 r3 seq=4']);
    expect(lock.line.stats.fanOutReads).toBe(4);
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
