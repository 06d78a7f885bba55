/**
 * Benchmarks of the model layers, measured in the same process as the
 * engine figures: pause_bench, one launch storm, and how the cost of a storm
 * grows with containers x layers.
 */
import { resolveMachine } from '../topology/index.js';
import { runPauseBench } from '../bench-models/pause-bench.js';
import { loadLaunchModels } from '../workload/load-models.js';
import { runLaunchStorm, type LaunchSpec } from '../workload/container-launch.js';
import { ALL_MECHANISMS_ON } from '../workload/mechanisms.js';
import { MODELS_ROOT } from '../pipeline.js';

export interface BenchRow {
  name: string;
  value: string;
  note: string;
}

function timed<T>(run: () => T): { seconds: number; result: T } {
  const start = performance.now();
  const result = run();
  return { seconds: (performance.now() - start) / 1000, result };
}

function launchSpec(containers: number, layers: number): LaunchSpec {
  return {
    containers,
    layers: { kind: 'fixed', value: layers },
    arrival: { kind: 'staggered', overNs: 2e9 },
    placement: 'spread',
    deadlines: { launchNs: 30e9, runtimeRequestNs: 120e9, nodeHealthCheckNs: 30e9 },
    horizonNs: 120e9,
    mechanisms: ALL_MECHANISMS_ON,
    sampleEveryNs: 1e9,
  };
}

export async function benchmarkSections(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const r5 = resolveMachine('r5.metal');

  const pause = () => runPauseBench({ topology: r5, threads: 96, placement: 'compact', lock: 'ttas', durationNs: 20e6, seed: 'bench' });
  pause();
  const pauseRun = timed(pause);
  rows.push({
    name: 'pause_bench: 96 threads, r5.metal, 20 ms simulated',
    value: `${pauseRun.seconds.toFixed(3)} s`,
    note: `${(pauseRun.result.acquisitions / pauseRun.seconds / 1e6).toFixed(2)} M simulated acquisitions per wall second`,
  });

  const models = loadLaunchModels(MODELS_ROOT, { kernel: 'linux-6.12', node: 'k8s-node', runtime: 'containerd-idmap' });
  const storm = (containers: number, layers: number) => runLaunchStorm({ topology: r5, models, spec: launchSpec(containers, layers), seed: 'bench' });
  storm(20, 50);
  const hundred = timed(() => storm(100, 50));
  rows.push({
    name: 'launch storm: 100 x 50 containerd-idmap, r5.metal',
    value: `${hundred.seconds.toFixed(3)} s`,
    note: `${hundred.result.events.toLocaleString('en-US')} events, ${(hundred.result.events / hundred.seconds / 1e6).toFixed(2)} M events/s; target < 0.5 s`,
  });

  const rssBefore = process.memoryUsage().rss;
  const small = timed(() => storm(100, 100));
  const large = timed(() => storm(1000, 100));
  const rssAfter = process.memoryUsage().rss;
  rows.push({
    name: 'launch storm: 100 x 100, r5.metal',
    value: `${small.seconds.toFixed(3)} s`,
    note: `${small.result.events.toLocaleString('en-US')} events`,
  });
  rows.push({
    name: 'launch storm: 1,000 x 100, r5.metal (120 s horizon)',
    value: `${large.seconds.toFixed(3)} s`,
    note: `${large.result.events.toLocaleString('en-US')} events; ${(large.seconds / small.seconds).toFixed(1)} x the 100 x 100 time (target <= 12 x)`,
  });
  rows.push({
    name: 'peak RSS after the 1,000 x 100 storm',
    value: `${(Math.max(rssAfter, rssBefore) / 2 ** 20).toFixed(0)} MiB`,
    note: 'resident set of the whole bench process',
  });
  return rows;
}
