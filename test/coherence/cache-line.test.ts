import { describe, expect, it } from 'vitest';
import { CacheLine } from '../../src/coherence/cache-line.js';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation } from '../../src/engine/index.js';
import { chipletTopology, meshTopology } from '../support/test-topology.js';

// 2 sockets x 4 cores x 2 threads: cpu c and c+8 are siblings; cores 0-3 on socket 0.
const mesh = meshTopology({
  sockets: 2, coresPerSocket: 4, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, remoteReadNs: 40, homeOccupancy: 1, smtSlowdown: 1.25,
});
// 3 CCDs x 4 cores in the tests below.

describe('CacheLine', () => {
  // Home occupancy 0.5: a transfer holds the home for half its latency. Memory: 100 ns local, 180 remote.
  const mesh2 = meshTopology({
    sockets: 2, coresPerSocket: 4, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
    readNs: 15, remoteReadNs: 40, homeOccupancy: 0.5, smtSlowdown: 1.25,
  });
  const chiplet2 = chipletTopology({ ccds: 3, coresPerCcd: 4, intraCcdNs: 27, crossCcdNs: 99, readNs: 20, homeOccupancy: 0.5 });

  it('queues cross-core transfers at the home for a share of their latency; SMT siblings and the owner skip it', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: mesh2 }, 'l');
    expect(line.transferTo(0)).toBe(100); // first touch: from memory, holding the home 50
    expect(line.transferTo(0)).toBe(0); // already the owner
    expect(line.transferTo(1)).toBe(50 + 50); // home busy until 50, then 50 ns (holding it 25)
    expect(line.transferTo(9)).toBe(8); // sibling of cpu 1: no home
    expect(line.transferTo(4)).toBe(75 + 130); // home busy until 75
    expect(line.homeFreeAtNs).toBe(140);
    expect(line.stats.transfersByClass).toEqual({ self: 0, smt: 1, domain: 1, 'cross-domain': 0, 'cross-socket': 1 });
    expect(line.stats.homeBusyNs).toBe(50 + 25 + 65);
  });

  it('mesh fan-out counts spinning cores (siblings share one re-read) and pays remote reads more', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: mesh2 }, 'l');
    line.transferTo(0);
    for (const cpu of [1, 9, 2, 5, 8]) line.addSpinner(cpu);
    expect(line.spinnerCount).toBe(5);
    expect(line.spinningUnits).toBe(4); // cores 1, 2, 5 and 0 (cpu 8)
    // Writer cpu 0: its own core (cpu 8) is served from L1; cores 1, 2 local, core 5 remote.
    const burst = line.fanOut(0);
    expect(burst).toEqual({ startNs: 50, totalNs: 15 + 15 + 40, endNs: 120, units: 3 });
    expect(line.transferTo(1)).toBe(120 + 50); // the next transfer queues behind the burst
    line.removeSpinner(9);
    expect(line.spinningUnits).toBe(4);
    line.removeSpinner(1);
    expect(line.spinningUnits).toBe(3);
    expect(() => line.removeSpinner(3)).toThrow();
  });

  it('chiplet fan-out counts CCDs with spinners, skipping the writer\'s CCD; intra-CCD transfers skip the home', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: chiplet2 }, 'l');
    line.transferTo(0); // memory 110, home held 55
    for (const cpu of [1, 2, 3, 4, 5, 6, 7, 8]) line.addSpinner(cpu);
    expect(line.spinningUnits).toBe(3);
    expect(line.fanOutNs(0)).toBe(40); // CCDs 1 and 2; CCD 0 served by its L3
    expect(line.homeFreeAtNs).toBe(95);
    expect(line.transferTo(3)).toBe(27); // same CCD: no home queue
    expect(line.transferTo(4)).toBe(95 + 99);
    const schedule = line.fanOutSchedule(4);
    expect([schedule.readStartNs(0), schedule.readStartNs(2), schedule.readStartNs(1)]).toEqual([144.5, 164.5, 0]);
  });

  it('a write invalidates every copy: a stale reader misses at the home, spinning units re-read in a burst the next request queues behind', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: mesh2 }, 'l');
    expect(line.write(0, 0)).toBe(100); // from memory
    expect(line.write(0, 200)).toBe(200); // the owner, nobody shares: no home
    expect(line.read(1, 200)).toBe(200 + 50); // stale copy: home read (15) at 200, value from cpu 0
    expect(line.read(1, 300)).toBe(300); // current copy
    // The owner again, but core 1 holds a copy: an upgrade through the home, at the mean transfer into cpu 0.
    const upgradeNs = (6 * 50 + 8 * 130) / 14;
    expect(line.write(0, 300)).toBeCloseTo(300 + upgradeNs, 9);
    expect(line.addSpinner(1, 400)).toBe(400 + 50); // its first read is a miss
    expect(line.addSpinner(12, 400)).toBe(415 + 130); // core 4, other socket: behind core 1's read
    expect(line.homeFreeAtNs).toBe(455);
    // A write by cpu 2: 50 ns from cpu 0 (home held 25), then cores 1 and 4 re-read in spinning order.
    expect(line.write(2, 600)).toBe(650);
    expect([line.burstStartNs, line.burstEndNs]).toEqual([650, 705]);
    expect([line.burstReadNs(1), line.burstReadNs(4), line.burstReadNs(2)]).toEqual([650, 665, 650]);
    expect(line.read(1, 710)).toBe(710); // the re-read refreshed core 1's copy
    // A population's expected re-reads (30 ns) spread evenly among the tracked units' places.
    line.untracked = { readsSinceNs: () => 0, burstNs: () => 30 };
    expect(line.write(3, 800)).toBe(850);
    expect([line.burstReadNs(1), line.burstReadNs(4), line.burstEndNs]).toEqual([860, 885, 935]);
    expect(line.stats.fanOutReads).toBe(1 + 2 + 2 + 2);
  });

  it('switches: without home queueing requests are served on arrival; without fan-out spinners re-read for nothing', () => {
    const sim = new Simulation();
    const free = new CacheLine({ sim, topology: mesh2, lineSwitches: { homeQueueing: false, fanOut: true } }, 'l');
    free.write(0, 0);
    expect(free.write(1, 10)).toBe(60); // no wait for the home, busy until 50 otherwise
    expect(free.stats.homeBusyNs).toBe(75);
    const quiet = new CacheLine({ sim, topology: mesh2, lineSwitches: { homeQueueing: true, fanOut: false } }, 'l');
    quiet.write(0, 0);
    quiet.addSpinner(1, 0);
    quiet.addSpinner(2, 0);
    expect(quiet.write(3, 200)).toBe(250);
    expect([quiet.burstStartNs, quiet.burstEndNs, quiet.burstReadNs(1)]).toEqual([250, 250, 250]);
    expect(quiet.stats.fanOutReads).toBe(0);
  });
});

describe('CpuState', () => {
  it('stretches work while an SMT sibling is busy', () => {
    const state = new CpuState(mesh);
    expect(state.stretchNs(0, 100)).toBe(100);
    state.setSpinning(8, true);
    expect(state.isBusy(8)).toBe(true);
    expect(state.stretchNs(0, 100)).toBe(125);
    state.setSpinning(8, false);
    expect(state.isBusy(8)).toBe(true);
    state.setBusy(8, false);
    expect(state.stretchNs(0, 100)).toBe(100);
    state.setBusy(1, true); // another core: no effect
    expect(state.stretchNs(0, 100)).toBe(100);
  });
});
