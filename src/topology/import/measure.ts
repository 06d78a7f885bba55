/**
 * A short measurement of one-way cache-line transfer between two CPUs of the
 * host, for `locksim models import` when no core-to-core matrix is given.
 *
 * Node cannot pin a thread, so each pair runs in its own Node process started
 * under `taskset -c i,j`: the process may use only those two CPUs, and its two
 * worker threads, both spinning, end up one on each (the main thread sleeps
 * while they run). The workers ping-pong one Int32 of a SharedArrayBuffer with
 * Atomics.load / Atomics.store, the exchange nviennot/core-to-core-latency
 * times with compare-and-swap in Rust. A round trip is two transfers of the
 * line, so one way is the batch time over twice its round trips; the median
 * batch is taken.
 *
 * What the number is: an upper bound of the hardware transfer. It includes the
 * JIT-compiled loop around each load and store (a few ns), the kernel may move
 * a thread between the two CPUs during a batch (rare with both spinning, and
 * the median discards it), and other load on the host stretches batches. It is
 * marked as such in the file it goes into.
 */
import { execFileSync } from 'node:child_process';
import { InputError } from '../../input/errors.js';
import { medianOf } from './host-file.js';

export const PING_PONG = { rounds: 2000, batches: 41, warmupBatches: 5 } as const;

/** Above this a pair's median means the two threads did not run at once (they shared a CPU). */
export const IMPLAUSIBLE_ONE_WAY_NS = 2000;

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const f = new Int32Array(workerData.sab);
const { me, rounds, batches } = workerData;
const times = [];
for (let b = 0; b < batches; b++) {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    const k = 2 * (b * rounds + r);
    if (me === 0) { while (Atomics.load(f, 0) !== k) {} Atomics.store(f, 0, k + 1); }
    else { while (Atomics.load(f, 0) !== k + 1) {} Atomics.store(f, 0, k + 2); }
  }
  times.push(Number(process.hrtime.bigint() - t0));
}
parentPort.postMessage(times);
`;

const MAIN = `
const { Worker } = require('node:worker_threads');
const [rounds, batches] = [Number(process.argv[1]), Number(process.argv[2])];
const sab = new SharedArrayBuffer(128);
const run = (me) => new Promise((ok, fail) => { const w = new Worker(${JSON.stringify(WORKER)}, { eval: true, workerData: { sab, me, rounds, batches } }); w.once('message', ok); w.once('error', fail); });
Promise.all([run(0), run(1)]).then(([a]) => { process.stdout.write(JSON.stringify(a)); });
`;

export interface PairMeasurement {
  readonly cpus: readonly [number, number];
  /** Median one-way time over the batches, ns. */
  readonly oneWayNs: number;
}

export function measurePair(a: number, b: number): PairMeasurement {
  let out: string;
  try {
    out = execFileSync('taskset', ['-c', `${a},${b}`, process.execPath, '-e', MAIN, String(PING_PONG.rounds), String(PING_PONG.batches)], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputError(code === 'ENOENT' ? 'cannot pin the measurement: taskset is not installed' : `the ping-pong between CPUs ${a} and ${b} failed`, {
      file: 'taskset',
      expected: 'taskset (util-linux) able to run Node on two CPUs',
      found: code === 'ENOENT' ? 'no taskset on PATH' : ((error as { stderr?: string }).stderr ?? String(error)).trim().split('\n')[0],
      hint: 'Give the latencies as a matrix instead: --c2c FILE (nviennot/core-to-core-latency --csv).',
    });
  }
  const batches = (JSON.parse(out) as number[]).slice(PING_PONG.warmupBatches);
  const oneWayNs = medianOf(batches) / (2 * PING_PONG.rounds);
  return { cpus: [a, b], oneWayNs };
}

export const MEASUREMENT_LIMITS =
  'upper bound: Node ping-pong of one SharedArrayBuffer Int32 (Atomics.load/store) between two worker threads, the process pinned to the pair with taskset -c (Node cannot pin a thread); includes the JS loop around each access and any other load on the host; median of ' +
  `${PING_PONG.batches - PING_PONG.warmupBatches} batches of ${PING_PONG.rounds} round trips, one way = round trip / 2`;
