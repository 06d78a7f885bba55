/**
 * Speed figures measured side by side in one process, so the
 * ratios hold whatever the machine. Each figure is the best of a few repeats
 * after a warm-up run (JIT), which is how the engine runs in a long sweep.
 * The model benchmarks run in a worker thread of their own, as a sweep's
 * runs do: the engine benchmark before them would otherwise leave the JIT's
 * type feedback for the shared engine code shaped by another model.
 */
import { Worker } from 'node:worker_threads';
import { EventQueue } from '../engine/index.js';
import { simulateOpenQueue } from '../validation/models.js';
import { formatTable } from '../report/table.js';
import { benchmarkReproduction, benchmarkSections, type BenchRow } from './sections.js';

function bestOf<T>(repeats: number, run: () => T): { seconds: number; result: T } {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    result = run();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, result };
}

/** The floor: push and pop the same number of entries through the bare heap, with the same standing population. */
function bareHeap(entries: number, standing: number): number {
  const queue = new EventQueue<object>();
  const payload = {};
  let clock = 0;
  let state = 1;
  for (let i = 0; i < standing; i++) queue.push(i, 1, payload);
  for (let i = 0; i < entries; i++) {
    state = (state * 48271) % 2147483647;
    queue.push(clock + (state % 2000), 1, payload);
    queue.pop();
    clock += 1;
  }
  return queue.size;
}

export function benchEngine(customers = 1_000_000): BenchRow[] {
  const run = (): ReturnType<typeof simulateOpenQueue> =>
    simulateOpenQueue({ customers, meanInterarrivalNs: 1000, meanServiceNs: 700, service: 'exponential', seed: 1 });
  simulateOpenQueue({ customers: customers / 10, meanInterarrivalNs: 1000, meanServiceNs: 700, service: 'exponential', seed: 0 });
  const engine = bestOf(3, run);
  const events = engine.result.eventsProcessed;
  const heap = bestOf(3, () => bareHeap(events, 4));
  const eventsPerSecond = events / engine.seconds;
  return [
    { name: `engine: open M/M/1, ${customers.toLocaleString('en-US')} customers`, value: `${engine.seconds.toFixed(3)} s`, note: `${events.toLocaleString('en-US')} events` },
    { name: 'engine events per second', value: `${(eventsPerSecond / 1e6).toFixed(2)} M/s`, note: 'target >= 10 M/s; SimPy 4.1.2 ~0.55 M/s here' },
    { name: 'bare heap push+pop, same entries', value: `${heap.seconds.toFixed(3)} s`, note: `${(events / heap.seconds / 1e6).toFixed(1)} M/s` },
    { name: 'engine / bare heap', value: `${(engine.seconds / heap.seconds).toFixed(2)} x`, note: 'target <= 3 x' },
    { name: 'engine vs SimPy (0.55 M ev/s)', value: `${(eventsPerSecond / 0.55e6).toFixed(1)} x`, note: 'anchor from docs/case.md §8.6, not measured here' },
  ];
}

/** The model benchmarks in a fresh thread (from the compiled files; in this thread when run from sources). */
function sectionsInThread(): Promise<BenchRow[]> {
  if (import.meta.url.endsWith('.ts')) return benchmarkSections();
  const worker = new Worker(new URL('./section-worker.js', import.meta.url));
  return new Promise<BenchRow[]>((resolve, reject) => {
    worker.once('message', (rows: BenchRow[]) => {
      resolve(rows);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Every benchmark, in one process so the ratios compare like with like. */
export async function runBenchmarks(): Promise<BenchRow[]> {
  return [...benchEngine(), ...(await sectionsInThread()), ...(await benchmarkReproduction())];
}

export function formatBenchmarks(rows: readonly BenchRow[]): string {
  return formatTable(['benchmark', 'figure', 'note'], rows.map((r) => [r.name, r.value, r.note]));
}
