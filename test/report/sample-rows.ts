/** Small, hand-made rows shaped like the simulation's summaries, for chart and page tests. */
import type { AblationRow } from '../../src/charts/ablation.js';
import type { FailureCurveRow } from '../../src/charts/failure-curve.js';
import type { HandoffsRow } from '../../src/charts/handoffs.js';
import type { LatencyCurveRow } from '../../src/charts/latency-curve.js';
import type { MountTableRow } from '../../src/charts/mount-table.js';
import type { PauseBenchRow } from '../../src/charts/pause-bench.js';
import type { TimeBreakdownRow } from '../../src/charts/time-breakdown.js';

export const MACHINES = ['m7a.24xlarge', 'm7i.metal-24xl', 'r5.metal'] as const;

const CONCURRENCY = [1, 20, 50, 100, 200];

export const latencyRows: LatencyCurveRow[] = MACHINES.flatMap((machine, m) =>
  CONCURRENCY.map((containers) => {
    const p50 = 2 + containers * (0.04 + 0.05 * m);
    return { machine, containers, p50LatencyS: p50, p90LatencyS: p50 * 1.3, p99LatencyS: p50 * 1.7 };
  }),
);

export const failureRows: FailureCurveRow[] = MACHINES.flatMap((machine, m) =>
  CONCURRENCY.map((containers) => ({ machine, containers, failureRate: Math.min(1, Math.max(0, (containers - 60 + 40 * (2 - m)) / 400)) })),
);

export const pauseBenchRows: PauseBenchRow[] = MACHINES.flatMap((machine, m) =>
  [1, 2, 4, 8, 16, 32, 64].map((threads) => ({ machine, threads, latencyNs: 40 + threads * threads * (1 + m) })),
);

export const timeBreakdownRows: TimeBreakdownRow[] = MACHINES.flatMap((machine, m) => [
  { machine, category: 'spinning on mount_lock', seconds: 20 + 30 * m },
  { machine, category: 'spinning on namespace_sem', seconds: 5 + 5 * m },
  { machine, category: 'critical sections', seconds: 3 },
  { machine, category: 'other work', seconds: 2 },
]);

export const handoffRows: HandoffsRow[] = [
  { machine: 'r5.metal', distanceClass: 'SMT sibling', count: 120 },
  { machine: 'r5.metal', distanceClass: 'same socket', count: 900 },
  { machine: 'r5.metal', distanceClass: 'cross socket', count: 850 },
  { machine: 'm7a.24xlarge', distanceClass: 'same CCX', count: 300 },
  { machine: 'm7a.24xlarge', distanceClass: 'same socket', count: 1200 },
];

export const mountTableRows: MountTableRow[] = MACHINES.flatMap((machine, m) =>
  ['all namespaces', 'host'].flatMap((namespace, n) => [0, 1, 2, 3, 4, 5].map((timeS) => ({ machine, namespace, timeS, mounts: 30 + Math.round(timeS * (400 - 100 * m) / (1 + 9 * n)) }))),
);

export const ablationRows: AblationRow[] = MACHINES.flatMap((machine, m) => [
  { machine, mechanism: 'home-agent queue', metric: 'p50 launch latency (s)', delta: 4 - m },
  { machine, mechanism: 'SMT sharing', metric: 'p50 launch latency (s)', delta: 1.5 },
  { machine, mechanism: 'home-agent queue', metric: 'failure rate (percentage points)', delta: 10 - 3 * m },
  { machine, mechanism: 'SMT sharing', metric: 'failure rate (percentage points)', delta: -0.5 },
]);
