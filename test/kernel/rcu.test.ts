import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, us, type ProcessBody } from '../../src/engine/index.js';
import { ExpeditedRcu, type KernelContext } from '../../src/kernel/index.js';
import { meshTopology } from '../support/test-topology.js';

const mesh = meshTopology({
  sockets: 1, coresPerSocket: 8, threadsPerCore: 1, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeOccupancy: 1, smtSlowdown: 1,
});

function setup() {
  const sim = new Simulation({ seed: 1 });
  const context: KernelContext = { sim, topology: mesh, cpuState: new CpuState(mesh) };
  // 100 us + 8 possible CPUs x 1 us = 108 us per grace period.
  return { sim, context, rcu: new ExpeditedRcu(context, 'rcu', { baseNs: us(100), perCpuNs: us(1) }) };
}

function* caller(sim: Simulation, rcu: ExpeditedRcu, cpu: number, atNs: number, done: number[]): ProcessBody {
  yield sim.timeout(atNs);
  yield* rcu.synchronizeExpedited(cpu);
  done[cpu] = sim.now;
}

describe('ExpeditedRcu', () => {
  it('coalesces callers that arrive during a grace period onto the next one', () => {
    const { sim, rcu } = setup();
    const done: number[] = [];
    sim.process(caller(sim, rcu, 0, 0, done)); // starts GP 1: 0..108
    sim.process(caller(sim, rcu, 1, us(10), done)); // GP 2: 108..216
    sim.process(caller(sim, rcu, 2, us(50), done)); // GP 2
    sim.process(caller(sim, rcu, 3, us(107), done)); // GP 2
    sim.process(caller(sim, rcu, 4, us(300), done)); // GP 3: 300..408
    sim.run();
    expect(done).toEqual([us(108), us(216), us(216), us(216), us(408)]);
    expect(rcu.stats.gracePeriods).toBe(3);
    expect(rcu.stats.callersPerGracePeriod).toBeCloseTo(5 / 3);
    expect(rcu.stats.meanGpNs).toBe(us(108));
  });

  it('is held open by a CPU that was in a read-side section when it started, not by later entrants', () => {
    const { sim, context, rcu } = setup();
    const done: number[] = [];
    rcu.enterReadSide(5);
    sim.timeout(us(250)).addCallback(() => rcu.exitReadSide(5));
    sim.timeout(us(20)).addCallback(() => rcu.enterReadSide(6)); // after GP start: no holdout
    sim.process((function* (): ProcessBody {
      yield sim.timeout(us(10));
      const sync = rcu.synchronizeExpedited(0);
      sim.timeout(us(1)).addCallback(() => expect(context.cpuState.isBusy(0)).toBe(false));
      yield* sync;
      done[0] = sim.now;
    })());
    sim.run();
    expect(done[0]).toBe(us(250));
    expect(rcu.stats.heldOpenGracePeriods).toBe(1);
    expect(rcu.stats.maxGpNs).toBe(us(240));
    expect(rcu.isInReadSide(6)).toBe(true);
  });

  it('nested read-side sections end at the outermost exit', () => {
    const { sim, rcu } = setup();
    const done: number[] = [];
    rcu.enterReadSide(3);
    rcu.enterReadSide(3);
    sim.timeout(us(150)).addCallback(() => rcu.exitReadSide(3));
    sim.timeout(us(180)).addCallback(() => rcu.exitReadSide(3));
    sim.process(caller(sim, rcu, 0, 0, done));
    sim.run();
    expect(done[0]).toBe(us(180));
    expect(() => rcu.exitReadSide(3)).toThrow();
  });
});
