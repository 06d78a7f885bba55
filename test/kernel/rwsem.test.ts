import { describe, expect, it } from 'vitest';
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, ms, us, type ProcessBody } from '../../src/engine/index.js';
import { RwSemaphore, type KernelContext, type RwSemaphoreOptions } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import { meshTopology } from '../support/test-topology.js';

const mesh = meshTopology({
  sockets: 1, coresPerSocket: 16, threadsPerCore: 2, sameDomainNs: 50, crossSocketNs: 130, smtNs: 8,
  readNs: 15, homeOccupancy: 1, smtSlowdown: 1.2,
});

function setup(options: Partial<RwSemaphoreOptions> = {}, seed: number | string = 1) {
  const sim = new Simulation({ seed });
  const context: KernelContext = { sim, topology: mesh, cpuState: new CpuState(mesh) };
  const stats = new ListeningStats();
  const sem = new RwSemaphore(context, 'namespace_sem', { wakeupNs: us(5), maxSpinNs: us(20), stats, ...options });
  return { sim, context, sem, stats };
}

describe('RwSemaphore', () => {
  it('never lets a writer in with readers or another writer, and every request completes (random workload)', () => {
    const { sim, context, sem, stats } = setup({}, 'rw-safety');
    const rng = sim.random.stream('test');
    let writer = -1;
    let readers = 0;
    const violations: string[] = [];
    stats.on('acquired', (p) => {
      if (p.mode === 'write' && (writer >= 0 || readers > 0)) violations.push(`${p.timeNs}: writer ${p.cpu} with writer ${writer}, ${readers} readers`);
      if (p.mode === 'read' && writer >= 0) violations.push(`${p.timeNs}: reader ${p.cpu} with writer ${writer}`);
      if (p.mode === 'write') writer = p.cpu;
      else readers++;
    });
    stats.on('released', (p) => {
      if (p.mode === 'write') writer = -1;
      else readers--;
    });
    let done = 0;
    const perCpu = 150;
    function* user(cpu: number): ProcessBody {
      context.cpuState.setBusy(cpu, true);
      for (let i = 0; i < perCpu; i++) {
        yield sim.timeout(rng.exponential(us(20)));
        if (rng.next() < 0.4) {
          yield* sem.downWrite(cpu);
          expect(context.cpuState.isBusy(cpu)).toBe(true);
          yield sim.timeout(rng.exponential(us(3)));
          sem.upWrite(cpu);
        } else {
          yield* sem.downRead(cpu);
          yield sim.timeout(rng.exponential(us(5)));
          sem.upRead(cpu);
        }
        done++;
      }
    }
    for (let cpu = 0; cpu < 24; cpu++) sim.process(user(cpu));
    sim.run();
    expect(violations).toEqual([]);
    expect(done).toBe(24 * perCpu);
    expect(sem.writer).toBe(-1);
    expect(sem.readers).toBe(0);
    expect(sem.stats.spinNs).toBeGreaterThan(0);
    expect(sem.stats.sleepNs).toBeGreaterThan(0);
  });

  it('spins only on an owner that runs: a descheduled owner sends its spinners to sleep, and newcomers sleep at once', () => {
    const { sim, context, sem } = setup({ maxSpinNs: Infinity });
    const seen: string[] = [];
    sim.process((function* (): ProcessBody {
      yield* sem.downWrite(0);
      yield sim.timeout(us(5));
      sem.setOwnerRunning(false);
      yield sim.timeout(us(20));
      sem.setOwnerRunning(true);
      yield sim.timeout(us(5));
      sem.upWrite(0);
    })());
    for (const [cpu, startNs] of [[1, us(1)], [2, us(10)], [3, us(27)]] as const) {
      sim.process((function* (): ProcessBody {
        yield sim.timeout(startNs);
        context.cpuState.setBusy(cpu, true);
        yield* sem.downWrite(cpu);
        sem.upWrite(cpu);
      })());
      sim.timeout(startNs + 500).addCallback(() => seen.push(`cpu${cpu} at ${startNs / 1000} us: ${context.cpuState.isSpinning(cpu) ? 'spins' : 'sleeps'}`));
    }
    sim.timeout(us(6)).addCallback(() => seen.push(`cpu1 after the owner left: ${context.cpuState.isSpinning(1) ? 'spins' : 'sleeps'}`));
    sim.run();
    expect(seen).toEqual(['cpu1 at 1 us: spins', 'cpu1 after the owner left: sleeps', 'cpu2 at 10 us: sleeps', 'cpu3 at 27 us: spins']);
    expect(sem.writer).toBe(-1);
  });

  it('a reader arriving while a writer waits queues behind the writer', () => {
    const { sim, sem, stats } = setup();
    const order: string[] = [];
    stats.on('acquired', (p) => order.push(`${p.mode}${p.cpu}`));
    function* reader(cpu: number, startNs: number, holdNs: number): ProcessBody {
      yield sim.timeout(startNs);
      yield* sem.downRead(cpu);
      yield sim.timeout(holdNs);
      sem.upRead(cpu);
    }
    sim.process(reader(0, 0, us(10)));
    sim.process((function* (): ProcessBody {
      yield sim.timeout(us(1));
      yield* sem.downWrite(1);
      yield sim.timeout(us(10));
      sem.upWrite(1);
    })());
    sim.process(reader(2, us(2), us(1)));
    sim.run();
    expect(order).toEqual(['read0', 'write1', 'read2']);
  });

  it('a writer spins on a running writer owner for maxSpinNs, then sleeps; the wake-up costs wakeupNs', () => {
    const { sim, context, sem } = setup({ maxSpinNs: us(2), wakeupNs: us(7) });
    const states: string[] = [];
    let acquiredNs = 0;
    sim.process((function* (): ProcessBody {
      yield* sem.downWrite(0);
      yield sim.timeout(us(10));
      sem.upWrite(0);
    })());
    sim.process((function* (): ProcessBody {
      yield sim.timeout(us(1));
      const wait = sem.downWrite(1);
      sim.timeout(us(2)).addCallback(() => states.push(`spinning=${context.cpuState.isSpinning(1)}`));
      sim.timeout(us(4)).addCallback(() => states.push(`busy=${context.cpuState.isBusy(1)}`));
      yield* wait;
      acquiredNs = sim.now;
      sem.upWrite(1);
    })());
    sim.run();
    expect(states).toEqual(['spinning=true', 'busy=false']);
    expect(sem.stats.spinNs).toBe(us(2));
    // Woken at the release (~10 us + first touch), running 7 us later.
    expect(acquiredNs).toBeGreaterThan(us(17));
    expect(sem.stats.sleepNs).toBeCloseTo(acquiredNs - us(3) - 50, -1);
  });

  it('spinners steal from a sleeping head until RWSEM_WAIT_TIMEOUT, then the head gets the lock handed off', () => {
    const { sim, sem } = setup({ maxSpinNs: us(5), wakeupNs: us(5) });
    let starvedWaitNs = 0;
    // cpu 0 holds for 30 us: cpu 8's spin times out and it sleeps at the head.
    sim.process((function* (): ProcessBody {
      yield* sem.downWrite(0);
      yield sim.timeout(us(30));
      sem.upWrite(0);
    })());
    sim.process((function* (): ProcessBody {
      yield sim.timeout(us(1));
      const start = sim.now;
      yield* sem.downWrite(8);
      starvedWaitNs = sim.now - start;
      sem.upWrite(8);
    })());
    // From 27 us, three writers pass the lock among themselves, each always
    // finding a writer owner and spinning less than maxSpinNs.
    function* churn(cpu: number): ProcessBody {
      yield sim.timeout(us(27) + cpu * 100);
      while (sim.now < ms(6)) {
        yield* sem.downWrite(cpu);
        yield sim.timeout(us(1));
        sem.upWrite(cpu);
        yield sim.timeout(200);
      }
    }
    for (const cpu of [1, 2, 3]) sim.process(churn(cpu));
    sim.run();
    expect(starvedWaitNs).toBeGreaterThan(ms(4));
    expect(starvedWaitNs).toBeLessThan(ms(4) + us(10));
  });
});
