/**
 * Benchmarks of the model layers, measured in the same process as the
 * engine figures: pause_bench, one launch storm, and how the cost of a storm
 * grows with containers x layers.
 */
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { stringify as toYaml } from 'yaml';
import { resolveMachine } from '../topology/index.js';
import { runPauseBench } from '../lock-bench/index.js';
import type { LaunchRunResult } from '../launch/index.js';
import { REPO_ROOT } from '../input/catalog.js';
import { loadScenarioText, newCatalog, runCount, runScenario } from '../pipeline.js';
import { findScenarioFiles, loadScenarios } from '../check/run.js';
import { createExecutor } from '../sweep/executor.js';
import { runTask } from '../sweep/run-task.js';
import { newBuildCache } from '../workloads/kind.js';

export interface BenchRow {
  name: string;
  value: string;
  note: string;
}

const STORM_REPEATS = 5;

function timed<T>(run: () => T): { seconds: number; result: T } {
  const start = performance.now();
  const result = run();
  return { seconds: (performance.now() - start) / 1000, result };
}

/** Mount operations of a storm (syscalls that count as one, as the blog counts them). */
function mountOpsOf(result: LaunchRunResult): number {
  return result.containers.reduce((sum, c) => sum + c.mountOps, 0);
}

/** Acquisitions of the walk seqlock (mount_lock) in a storm. */
function acquisitionsOf(result: LaunchRunResult): number {
  return result.locks.find((lock) => lock.name === 'mount_lock')?.acquisitions ?? 0;
}

/** One storm on r5.metal as the launch defaults resolve it (deadline 30 s, horizon 120 s, staggered over 2 s). */
function stormRunner(): (containers: number, layers: number, seed?: string) => LaunchRunResult {
  const catalog = newCatalog();
  const cache = newBuildCache();
  const scenarios = new Map<string, ReturnType<typeof loadScenarioText>>();
  return (containers, layers, seed = 'bench') => {
    const key = `${containers}x${layers}`;
    let scenario = scenarios.get(key);
    if (scenario === undefined) {
      scenario = loadScenarioText(toYaml({ name: `bench-${key}`, machine: 'r5.metal', containers, layers, seeds: 1 }), '(bench)', { catalog });
      scenarios.set(key, scenario);
    }
    return runTask({ point: scenario.points[0], seed, models: scenario.models, cost: 0 }, cache).output.result as LaunchRunResult;
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

  const storm = stormRunner();
  // The first storm runs while the JIT still compiles the model; a sweep's threads run warm after their first run.
  const cold = timed(() => storm(100, 50, 'warm-up'));
  const warm = Array.from({ length: STORM_REPEATS }, () => timed(() => storm(100, 50)));
  const seconds = warm.map((run) => run.seconds).sort((a, b) => a - b);
  const hundred = warm[0];
  rows.push({
    name: `launch storm: 100 x 50 containerd-idmap, r5.metal (warm, best of ${STORM_REPEATS})`,
    value: `${seconds[0].toFixed(3)} s`,
    note: `median ${seconds[Math.floor(STORM_REPEATS / 2)].toFixed(3)} s, first (cold) run ${cold.seconds.toFixed(3)} s; ${hundred.result.events.toLocaleString('en-US')} events per storm, ${(hundred.result.events / mountOpsOf(hundred.result)).toFixed(1)} per mount operation, ${acquisitionsOf(hundred.result).toLocaleString('en-US')} mount_lock acquisitions; ${(hundred.result.events / seconds[0] / 1e6).toFixed(2)} M events/s; target < 0.5 s`,
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
    note: `resident set of the whole bench process (engine benchmark thread included); this thread's JS heap ${(getHeapStatistics().total_heap_size / 2 ** 20).toFixed(0)} MiB`,
  });
  return rows;
}

/**
 * The reproduction set as CI and researchers run it: every check scenario
 * (R1-R10) with 5 seeds, all runs in one pool of 2 threads, wall time.
 */
export async function benchmarkReproduction(): Promise<BenchRow[]> {
  const files = findScenarioFiles([join(REPO_ROOT, 'scenarios', 'checks')]);
  const scenarios = loadScenarios(files, { seeds: 5 });
  const runs = runCount(scenarios);
  const start = performance.now();
  const executor = createExecutor(2);
  try {
    await Promise.all(scenarios.map((scenario) => runScenario(scenario, { executor })));
  } finally {
    await executor.close();
  }
  const seconds = (performance.now() - start) / 1000;
  return [
    {
      name: `reproduction set: ${scenarios.length} check scenarios (R1-R10), 5 seeds, 2 workers`,
      value: `${seconds.toFixed(1)} s`,
      note: `${runs} runs, wall time including the pool's start; target < 60 s`,
    },
  ];
}
