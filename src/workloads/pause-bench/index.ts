/**
 * The pause-bench workload kind: per-acquisition latency of one global
 * spinlock against thread count (target R8). Scenario files with
 * `kind: pause-bench`.
 */
import type { Metric, MetricFamily, MetricTable } from '../../analysis/metric.js';
import { metricNamesOf } from '../../analysis/metric.js';
import { meanOf, tidy, type ChartPlan } from '../../charts/series.js';
import { pauseBenchSpec } from '../../charts/pause-bench.js';
import { formatSignificant } from '../../charts/format.js';
import { placeThreads, runPauseBench, type PauseBenchLock, type PauseBenchResult, type PausePlacement } from '../../lock-bench/index.js';
import type { PointSpecBase } from '../../scenario/types.js';
import { DISTANCE_CLASSES, type MachineSpec } from '../../topology/index.js';
import { defineWorkload, topologyOf } from '../kind.js';
import { handoffChart } from '../../charts/handoffs.js';
import { PauseBenchScenarioSchema, type PauseBenchScenarioFile } from './schema.js';

/** pause_bench: N threads on one global spinlock. */
export interface PauseBenchPointSpec extends PointSpecBase {
  readonly kind: 'pause-bench';
  readonly machine: MachineSpec;
  readonly threads: number;
  readonly placement: PausePlacement;
  readonly lock: PauseBenchLock;
  readonly holdNs: number;
  readonly thinkNs: number;
  readonly durationNs: number;
}

const METRICS: readonly Metric<PauseBenchResult, undefined>[] = [
  { name: 'latencyNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'Mean time from requesting the lock to releasing it, per acquisition.', compute: (r) => r.meanLatencyNs },
  { name: 'p50LatencyNs', unit: 'ns', kind: 'quantile', better: 'lower', description: 'Median request-to-release time.', compute: (r) => r.p50LatencyNs },
  { name: 'p99LatencyNs', unit: 'ns', kind: 'quantile', better: 'lower', description: '99th percentile request-to-release time.', compute: (r) => r.p99LatencyNs },
  { name: 'throughputPerS', unit: '/s', kind: 'throughput', better: 'higher', description: 'Acquisitions per second of simulated time (after warm-up).', compute: (r) => r.throughputPerSec },
  { name: 'acquisitions', unit: 'count', kind: 'count', better: 'higher', description: 'Acquisitions after warm-up.', compute: (r) => r.acquisitions },
];

const FAMILIES: readonly MetricFamily<PauseBenchResult, undefined>[] = [
  {
    name: 'handoffs.<class>',
    unit: 'count',
    kind: 'count',
    better: 'neither',
    description: 'Handoffs of the lock by distance class between releasing and acquiring CPU.',
    names: () => DISTANCE_CLASSES.map((d) => `handoffs.${d}`),
    compute: (r) => Object.fromEntries(Object.entries(r.handoffsByClass).map(([distance, count]) => [`handoffs.${distance}`, count])),
  },
];

export const PAUSE_BENCH_METRICS: MetricTable<PauseBenchResult, undefined> = { metrics: METRICS, families: FAMILIES };

export const PAUSE_BENCH_WORKLOAD = defineWorkload<PauseBenchPointSpec, PauseBenchResult, undefined>({
  name: 'pause-bench',
  schema: PauseBenchScenarioSchema,
  resolvePoint(document, context) {
    const file = document as unknown as PauseBenchScenarioFile;
    const at = context.at;
    const machine = file.machine as MachineSpec;
    const { topology, model } = context.machine(machine, document.machineParameters, document.machineOverrides);
    const placement = file.placement ?? 'compact';
    try {
      placeThreads(topology, file.threads, placement);
    } catch (error) {
      if (error instanceof RangeError) {
        throw at.error(['threads'], `${file.threads} threads do not fit ${topology.name} with placement ${placement}`, {
          expected: `at most the CPUs that placement ${placement} may use`,
          found: `${file.threads} threads`,
          hint: error.message,
        });
      }
      throw error;
    }
    return {
      kind: 'pause-bench',
      machine,
      machineModel: model,
      threads: file.threads,
      placement,
      lock: file.lock ?? 'ttas',
      holdNs: at.duration(file.hold ?? '100 ns', ['hold'], { positive: true }),
      thinkNs: at.duration(file.think ?? '100 ns', ['think']),
      durationNs: at.duration(file.duration ?? '2 ms', ['duration'], { positive: true }),
      limits: at.limits(file.limits),
    };
  },
  metricNames: () => metricNamesOf(PAUSE_BENCH_METRICS, undefined),
  run({ spec, models, seed, limits, heapProbe, cache }) {
    const topology = topologyOf(spec, models, cache);
    const result = runPauseBench({ topology, threads: spec.threads, placement: spec.placement, lock: spec.lock, holdNs: spec.holdNs, thinkNs: spec.thinkNs, durationNs: spec.durationNs, seed, limits, heapProbe });
    return { machine: topology.name, output: { kind: 'pause-bench', result } };
  },
  runCost: (spec) => (spec.threads * spec.durationNs) / 1e5,
  metrics: PAUSE_BENCH_METRICS,
  metricContext: () => undefined,
  xKey: 'threads',
  x: (spec) => spec.threads,
  headline: [
    { title: 'latency (ns)', metric: 'latencyNs', format: 'number' },
    { title: 'p99 latency (ns)', metric: 'p99LatencyNs', format: 'number' },
    { title: 'throughput (/s)', metric: 'throughputPerS', format: 'number' },
  ],
  csvMetrics: ['latencyNs', 'p50LatencyNs', 'p99LatencyNs', 'throughputPerS', 'acquisitions'],
  charts(input): ChartPlan[] {
    const rows = input.points.map((p) => ({ machine: p.series, threads: p.x, latencyNs: tidy(meanOf(p.summary.metrics.latencyNs)) }));
    const latencies = rows.map((r) => r.latencyNs).filter((v) => v > 0);
    const logY = latencies.length > 0 && Math.max(...latencies) / Math.min(...latencies) > 20;
    return [
      {
        name: 'pause-bench',
        title: 'Lock acquisition latency vs threads',
        caption: `Mean time from requesting the global lock to releasing it, per acquisition, against the threads spinning on it (mean over ${input.seeds.length} seeds)${input.swept ? '' : '; the thread count was not swept, so one point per machine'}.`,
        spec: pauseBenchSpec(rows, { machines: input.series, logY }),
        rows,
      },
      handoffChart(input, 'Global lock', (p) => p.runs.map((run) => (run.result as PauseBenchResult).handoffsByClass)),
    ];
  },
  leadSentence(series, sorted) {
    const top = sorted[sorted.length - 1];
    return `${series}: ${formatSignificant(meanOf(top.summary.metrics.latencyNs))} ns per acquisition at ${top.x} threads.`;
  },
});

export type { PauseBenchScenarioFile } from './schema.js';
