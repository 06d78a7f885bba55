/**
 * Tiny sweeps built in code (no scenario loader): a few launch points of
 * 2-6 containers x 3 layers on r5.metal, and a couple of pause_bench points,
 * each run in well under a second.
 */
import { DEFAULT_LIMITS } from '../../src/engine/index.js';
import { ALL_MECHANISMS_ON } from '../../src/workload/mechanisms.js';
import type { ResolvedScenario, RunPoint } from '../../src/scenario/types.js';

export function launchScenario(containers: readonly number[] = [2, 3, 4, 5, 6], seeds: readonly string[] = ['1', '2']): ResolvedScenario {
  const points: RunPoint[] = containers.map((count, index) => ({
    index,
    coordinates: { containers: count, machine: 'r5.metal' },
    spec: {
      kind: 'launch',
      machine: 'r5.metal',
      kernel: 'linux-6.12',
      node: 'k8s-node',
      runtime: 'containerd-idmap',
      containers: count,
      layers: { kind: 'fixed', value: 3 },
      arrival: { kind: 'staggered', overNs: 50e6 },
      placement: 'spread',
      deadlines: { launchNs: 30e9, runtimeRequestNs: 120e9, nodeHealthCheckNs: 30e9 },
      horizonNs: 600e9,
      mechanisms: ALL_MECHANISMS_ON,
      parameters: {},
      sampleEveryNs: 100e6,
      limits: DEFAULT_LIMITS,
    },
  }));
  return { name: 'tiny-launch', description: 'sweep test', file: 'test/sweep/tiny-scenario.ts', kind: 'launch', seeds, points, expectations: [], source: { name: 'tiny-launch', sweep: { containers } } };
}

export function pauseBenchScenario(threads: readonly number[] = [2, 4, 8]): ResolvedScenario {
  const points: RunPoint[] = threads.map((count, index) => ({
    index,
    coordinates: { threads: count, machine: 'r5.metal' },
    spec: { kind: 'pause-bench', machine: 'r5.metal', threads: count, placement: 'compact', lock: 'ticket', holdNs: 50, thinkNs: 200, durationNs: 200_000, limits: DEFAULT_LIMITS },
  }));
  return { name: 'tiny-pause', description: 'sweep test', file: 'test/sweep/tiny-scenario.ts', kind: 'pause-bench', seeds: ['7', '8'], points, expectations: [], source: { name: 'tiny-pause' } };
}
