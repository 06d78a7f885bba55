import { Simulation, Tally, type ProcessBody } from '../engine/index.js';
import { FifoServer } from './fifo-server.js';

export interface OpenQueueResult {
  customers: number;
  meanWait: number;
  /** Standard error of the mean wait by the method of batch means (20 batches). */
  standardError: number;
  utilisation: number;
  eventsProcessed: number;
  simulatedTimeNs: number;
}

/**
 * Open single-server FIFO queue with Poisson arrivals. `service` is
 * 'exponential' (M/M/1) or 'deterministic' (M/D/1). Times in ns.
 */
export function simulateOpenQueue(options: {
  customers: number;
  meanInterarrivalNs: number;
  meanServiceNs: number;
  service: 'exponential' | 'deterministic';
  seed: string | number;
  warmupCustomers?: number;
}): OpenQueueResult {
  const sim = new Simulation({ seed: options.seed });
  const server = new FifoServer(sim);
  const arrivals = sim.random.stream('arrivals');
  const services = sim.random.stream('service');
  const warmup = options.warmupCustomers ?? Math.floor(options.customers / 50);
  const waits = new Float64Array(options.customers);
  let completed = 0;

  function* customer(index: number): ProcessBody {
    const arrivedAt = sim.now;
    yield server.request();
    waits[index] = sim.now - arrivedAt;
    const service = options.service === 'exponential' ? services.exponential(options.meanServiceNs) : options.meanServiceNs;
    yield sim.timeout(service);
    server.release();
    completed++;
  }

  function* source(): ProcessBody {
    for (let i = 0; i < options.customers; i++) {
      sim.process(customer(i), 'customer');
      yield sim.timeout(arrivals.exponential(options.meanInterarrivalNs));
    }
  }

  sim.process(source(), 'source');
  sim.run();
  const kept = waits.subarray(warmup, completed);
  return {
    customers: completed,
    ...batchMeans(kept, 20),
    utilisation: server.busyTimeUntil(sim.now) / sim.now,
    eventsProcessed: sim.eventsProcessed,
    simulatedTimeNs: sim.now,
  };
}

export interface ClosedQueueResult {
  throughputPerNs: number;
  meanWaitNs: number;
  meanServiceNs: number;
  meanThinkNs: number;
  utilisation: number;
  /** N / (X (Z + W + S)): Little's law over the whole loop; 1 when it holds. */
  littleRatio: number;
  completions: number;
}

/**
 * Closed machine-repairman model: `threads` customers loop think -> wait ->
 * hold on one FIFO server. This is a FIFO lock with uniform (zero) handoff.
 */
export function simulateMachineRepairman(options: {
  threads: number;
  meanThinkNs: number;
  meanHoldNs: number;
  durationNs: number;
  seed: string | number;
}): ClosedQueueResult {
  const sim = new Simulation({ seed: options.seed });
  const server = new FifoServer(sim);
  const waits = new Tally();
  const holds = new Tally();
  const thinks = new Tally();
  const warmupNs = options.durationNs / 20;
  let completions = 0;

  function* thread(index: number): ProcessBody {
    const thinkStream = sim.random.stream(`think/${index}`);
    const holdStream = sim.random.stream(`hold/${index}`);
    for (;;) {
      const think = thinkStream.exponential(options.meanThinkNs);
      yield sim.timeout(think);
      const requestedAt = sim.now;
      yield server.request();
      const wait = sim.now - requestedAt;
      const hold = holdStream.exponential(options.meanHoldNs);
      yield sim.timeout(hold);
      server.release();
      if (requestedAt - think >= warmupNs) {
        waits.add(wait);
        holds.add(hold);
        thinks.add(think);
        completions++;
      }
    }
  }

  for (let i = 0; i < options.threads; i++) sim.process(thread(i), `thread-${i}`);
  sim.run(warmupNs);
  const busyAtWarmup = server.busyTimeUntil(sim.now);
  sim.run(options.durationNs);
  const measuredNs = options.durationNs - warmupNs;
  const throughputPerNs = completions / measuredNs;
  const cycle = thinks.mean + waits.mean + holds.mean;
  return {
    throughputPerNs,
    meanWaitNs: waits.mean,
    meanServiceNs: holds.mean,
    meanThinkNs: thinks.mean,
    utilisation: (server.busyTimeUntil(sim.now) - busyAtWarmup) / measuredNs,
    littleRatio: options.threads / (throughputPerNs * cycle),
    completions,
  };
}

function batchMeans(values: Float64Array, batches: number): { meanWait: number; standardError: number } {
  const size = Math.floor(values.length / batches);
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += values[i];
    means.push(sum / size);
  }
  const grand = means.reduce((a, m) => a + m, 0) / batches;
  const variance = means.reduce((a, m) => a + (m - grand) ** 2, 0) / (batches - 1);
  return { meanWait: grand, standardError: Math.sqrt(variance / batches) };
}
