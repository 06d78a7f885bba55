import { describe, expect, it } from 'vitest';
import { CacheLine } from '../../src/coherence/cache-line.js';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation } from '../../src/engine/index.js';
import { chipletTopology, meshTopology } from '../support/test-topology.js';

// 2 sockets x 4 cores x 2 threads: cpu c and c+8 are siblings; cores 0-3 on socket 0.
const mesh = meshTopology({
  sockets: 2, coresPerSocket: 4, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, remoteReadNs: 40, homeServiceNs: 30, smtSlowdown: 1.25,
});
// 3 CCDs x 4 cores.
const chiplet = chipletTopology({ ccds: 3, coresPerCcd: 4, intraCcdNs: 27, crossCcdNs: 99, readNs: 20, homeServiceNs: 30 });

describe('CacheLine', () => {
  it('queues cross-core transfers at the home; SMT siblings and the owner skip it', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: mesh }, 'l');
    expect(line.transferTo(0)).toBe(30); // first touch: fetched from the home
    expect(line.transferTo(0)).toBe(0); // already the owner
    expect(line.transferTo(1)).toBe(30 + 50); // home busy until 30, then 50 ns
    expect(line.transferTo(9)).toBe(8); // sibling of cpu 1: no home
    expect(line.transferTo(4)).toBe(60 + 130); // home busy until 60
    expect(line.homeFreeAtNs).toBe(90);
    expect(line.stats.transfersByClass).toEqual({ self: 0, smt: 1, domain: 1, 'cross-domain': 0, 'cross-socket': 1 });
  });

  it('mesh fan-out counts spinning cores (siblings share one re-read) and pays remote reads more', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: mesh }, 'l');
    line.transferTo(0);
    for (const cpu of [1, 9, 2, 5, 8]) line.addSpinner(cpu);
    expect(line.spinnerCount).toBe(5);
    expect(line.spinningUnits).toBe(4); // cores 1, 2, 5 and 0 (cpu 8)
    // Writer cpu 0: its own core (cpu 8) is served from L1; cores 1, 2 local, core 5 remote.
    const burst = line.fanOut(0);
    expect(burst).toEqual({ startNs: 30, totalNs: 15 + 15 + 40, endNs: 100, units: 3 });
    expect(line.transferTo(1)).toBe(100 + 50); // the next transfer queues behind the burst
    line.removeSpinner(9);
    expect(line.spinningUnits).toBe(4);
    line.removeSpinner(1);
    expect(line.spinningUnits).toBe(3);
    expect(() => line.removeSpinner(3)).toThrow();
  });

  it('chiplet fan-out counts CCDs with spinners, skipping the writer\'s CCD; intra-CCD transfers skip the home', () => {
    const sim = new Simulation();
    const line = new CacheLine({ sim, topology: chiplet }, 'l');
    line.transferTo(0);
    for (const cpu of [1, 2, 3, 4, 5, 6, 7, 8]) line.addSpinner(cpu);
    expect(line.spinningUnits).toBe(3);
    expect(line.fanOutNs(0)).toBe(40); // CCDs 1 and 2; CCD 0 served by its L3
    expect(line.homeFreeAtNs).toBe(70);
    expect(line.transferTo(3)).toBe(27); // same CCD: no home queue
    expect(line.transferTo(4)).toBe(70 + 99 - 0);
    const schedule = line.fanOutSchedule(4);
    expect([schedule.readStartNs(0), schedule.readStartNs(2), schedule.readStartNs(1)]).toEqual([100, 120, 0]);
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
