import { describe, expect, it } from 'vitest';
import { Interrupt, Simulation, SimulationLimitError, type ProcessBody, FifoWaitQueue } from '../../src/engine/index.js';

describe('Simulation', () => {
  it('runs processes in simulated time and passes values back', () => {
    const sim = new Simulation();
    const log: [string, number][] = [];
    function* child(): ProcessBody<number> {
      yield sim.timeout(5);
      log.push(['child done', sim.now]);
      return 42;
    }
    function* parent(): ProcessBody {
      const value: number = yield sim.process(child(), 'child');
      log.push([`parent got ${value}`, sim.now]);
      yield sim.timeout(3);
      log.push(['parent done', sim.now]);
    }
    sim.process(parent(), 'parent');
    sim.run();
    expect(log).toEqual([
      ['child done', 5],
      ['parent got 42', 5],
      ['parent done', 8],
    ]);
  });

  it('runs until a time, processing only earlier events', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    function* ticker(): ProcessBody {
      for (;;) {
        yield sim.timeout(10);
        seen.push(sim.now);
      }
    }
    sim.process(ticker());
    sim.run(35);
    expect(seen).toEqual([10, 20, 30]);
    expect(sim.now).toBe(35);
  });

  it('delivers failures into the waiting process and stops the run on unhandled ones', () => {
    const sim = new Simulation();
    const caught: string[] = [];
    function* waiter(): ProcessBody {
      const event = sim.event();
      sim.timeout(2).addCallback(() => event.fail(new Error('boom')));
      try {
        yield event;
      } catch (error) {
        caught.push((error as Error).message);
      }
    }
    sim.process(waiter());
    sim.run();
    expect(caught).toEqual(['boom']);

    const sim2 = new Simulation();
    function* crasher(): ProcessBody {
      yield sim2.timeout(1);
      throw new Error('unhandled');
    }
    sim2.process(crasher());
    expect(() => sim2.run()).toThrow('unhandled');
  });

  it('interrupts a waiting process and detaches it from what it waited for', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* sleeper(): ProcessBody {
      try {
        yield sim.timeout(100);
        log.push('woke normally');
      } catch (error) {
        log.push(`interrupted at ${sim.now}: ${(error as Interrupt).cause as string}`);
      }
    }
    const proc = sim.process(sleeper());
    sim.timeout(7).addCallback(() => proc.interrupt('deadline'));
    sim.run();
    expect(log).toEqual(['interrupted at 7: deadline']);
    expect(proc.isAlive).toBe(false);
  });

  it('stops a runaway run at the event cap and the time cap with a named limit', () => {
    const sim = new Simulation({ limits: { maxEvents: 100 } });
    function* forever(): ProcessBody {
      for (;;) yield sim.timeout(1);
    }
    sim.process(forever());
    expect(() => sim.run()).toThrow(SimulationLimitError);

    const sim2 = new Simulation({ limits: { maxTimeNs: 1000 } });
    function* slow(): ProcessBody {
      for (;;) yield sim2.timeout(300);
    }
    sim2.process(slow());
    try {
      sim2.run();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SimulationLimitError);
      expect((error as SimulationLimitError).limit).toBe('maxTimeNs');
    }
  });

  it('serves a FIFO wait queue in arrival order', () => {
    const sim = new Simulation();
    const queue = new FifoWaitQueue<string>(sim);
    const served: string[] = [];
    function* client(name: string, arriveNs: number): ProcessBody {
      yield sim.timeout(arriveNs);
      yield queue.enqueue(name).event;
      served.push(`${name}@${sim.now}`);
    }
    for (const [name, at] of [['c', 3], ['a', 1], ['b', 2]] as const) sim.process(client(name, at));
    sim.timeout(10).addCallback(() => {
      queue.wakeNext();
      queue.wakeNext(undefined, 5);
      queue.wakeNext();
    });
    sim.run();
    expect(served).toEqual(['a@10', 'c@10', 'b@15']);
  });
});
