/**
 * The one aggregation in the launch model: other processes' path walks held
 * as a closed population (src/launch/background-readers.ts) instead of one
 * process per CPU. Here the same writers run on a small machine twice: once
 * beside explicit walker processes on the other CPUs (each: idle, then an
 * RCU walk that spins in path_init while the count is odd, and redoes the
 * walk once in ref-walk mode when read_seqretry fails), once beside the
 * population. The means the launch model reads must agree.
 */
import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import { SeqLock, type KernelContext } from '../../src/kernel/index.js';
import { BackgroundReaders } from '../../src/launch/background-readers.js';
import { BackgroundStats } from '../../src/launch/node-services.js';
import type { NodeEnvironment } from '../../src/models/types.js';
import { meshTopology } from '../support/test-topology.js';

const topology = meshTopology({
  sockets: 1, coresPerSocket: 16, threadsPerCore: 1, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeOccupancy: 1, smtSlowdown: 1,
});
const WRITERS = [0, 1, 2, 3];
const READERS = Array.from({ length: 12 }, (_, i) => i + 4);
const WALK_NS = 1500;
const WALKS_PER_CPU_PER_S = 20_000;
const DURATION_NS = 100e6;

interface Outcome {
  writes: number;
  meanWriterWaitNs: number;
  walks: number;
  redone: number;
  spinNs: number;
  fanOutReads: number;
}

function run(explicit: boolean, seed: string, sectionNs: number, thinkNs: number): Outcome {
  const sim = new Simulation({ seed, limits: { maxTimeNs: 10 * DURATION_NS } });
  const cpuState = new CpuState(topology);
  const context: KernelContext = { sim, topology, cpuState };
  const lock = new SeqLock(context, 'mount_lock');
  const stream = sim.random.stream('writers');
  let writes = 0;
  let waitNs = 0;
  function* writer(cpu: number): ProcessBody {
    for (;;) {
      yield sim.timeout(stream.exponential(thinkNs));
      const requested = sim.now;
      yield* lock.writeLock(cpu);
      if (sim.now > DURATION_NS) return;
      writes++;
      waitNs += sim.now - requested;
      yield sim.timeout(sectionNs);
      lock.writeUnlock(cpu);
    }
  }
  for (const cpu of WRITERS) sim.process(writer(cpu));
  const stats = new BackgroundStats(1);
  let walks = 0;
  let redone = 0;
  let spinNs = 0;
  let population: BackgroundReaders | null = null;
  if (explicit) {
    const readerStream = sim.random.stream('readers');
    function* walker(cpu: number): ProcessBody {
      for (;;) {
        yield sim.timeout(readerStream.exponential(1e9 / WALKS_PER_CPU_PER_S));
        if (sim.now > DURATION_NS) return;
        let start = sim.now;
        let sequence = lock.readBeginNowIfEven(cpu);
        let missNs = lock.readDelayNs;
        if (sequence < 0) {
          sequence = yield* lock.readBegin(cpu);
          spinNs += sim.now - start;
          missNs = 0;
        }
        yield sim.timeout(WALK_NS + missNs);
        if (lock.readRetry(sequence, cpu)) {
          redone++;
          start = sim.now;
          if (lock.readBeginNowIfEven(cpu) < 0) {
            yield* lock.readBegin(cpu);
            spinNs += sim.now - start;
          }
          yield sim.timeout(WALK_NS);
        }
        walks++;
      }
    }
    for (const cpu of READERS) sim.process(walker(cpu));
  } else {
    const environment = { pathWalksPerCpuPerSecond: WALKS_PER_CPU_PER_S } as NodeEnvironment;
    // The writers' CPUs are busy: the population lives on the other twelve.
    population = new BackgroundReaders(topology, environment, WALK_NS, null, sim.random.stream('background'), stats, () => WRITERS.length, lock, 15);
  }
  sim.run(DURATION_NS);
  if (population !== null) {
    population.finish(sim.now);
    walks = stats.backgroundWalks;
    redone = stats.backgroundRedoneWalks;
    spinNs = stats.backgroundSpinNs;
  }
  return { writes, meanWriterWaitNs: waitNs / writes, walks, redone, spinNs, fanOutReads: lock.line.stats.fanOutReads };
}

function mean(outcomes: readonly Outcome[], key: keyof Outcome): number {
  return outcomes.reduce((sum, o) => sum + o[key], 0) / outcomes.length;
}

describe('background readers: the population against one process per CPU', () => {
  // Writes nearly back to back (short and long sections), and a lock busy a third of the time.
  for (const [sectionNs, thinkNs] of [[500, 1000], [1500, 1000], [500, 5000]]) {
    it(`agrees on walks, redone walks, spinning time and the writers' waits (sections of ${sectionNs} ns, ${thinkNs} ns between)`, () => {
      const seeds = ['a', 'b', 'c'];
      const explicit = seeds.map((seed) => run(true, seed, sectionNs, thinkNs));
      const population = seeds.map((seed) => run(false, seed, sectionNs, thinkNs));
      const ratio = (key: keyof Outcome): number => mean(population, key) / mean(explicit, key);
      // The writers see the same lock: as many writes, waits within 10%.
      expect(ratio('writes')).toBeCloseTo(1, 1);
      expect(Math.abs(ratio('meanWriterWaitNs') - 1)).toBeLessThan(0.1);
      // The readers: walks and the share redone in ref-walk mode within 10%, spinning time within 15%.
      expect(Math.abs(ratio('walks') - 1)).toBeLessThan(0.1);
      expect(Math.abs(ratio('redone') - 1)).toBeLessThan(0.1);
      expect(Math.abs(ratio('spinNs') - 1)).toBeLessThan(0.15);
      expect(mean(explicit, 'redone')).toBeGreaterThan(1000);
    });
  }
});
