import { describe, expect, it } from 'vitest';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';

describe('Simulation.allOf', () => {
  it('succeeds when the last of its events has, at that instant', () => {
    const sim = new Simulation();
    const done: number[] = [];
    const worker = (ns: number) => (function* (): ProcessBody { yield sim.timeout(ns); })();
    const all = sim.allOf([sim.process(worker(30)), sim.process(worker(10)), sim.timeout(20)]);
    all.addCallback(() => done.push(sim.now));
    sim.run(all);
    expect(done).toEqual([30]);
    expect(sim.now).toBe(30);
  });

  it('succeeds at once for no events, and fails with the first failure', () => {
    const sim = new Simulation();
    const empty = sim.allOf([]);
    sim.run(empty);
    expect(empty.ok).toBe(true);
    const failing = sim.process((function* (): ProcessBody { yield sim.timeout(5); throw new Error('boom'); })());
    const all = sim.allOf([failing, sim.timeout(50)]);
    all.defused = true;
    sim.run(all);
    expect(all.ok).toBe(false);
    expect((all.value as unknown as Error).message).toBe('boom');
    expect(sim.now).toBe(5);
  });
});
