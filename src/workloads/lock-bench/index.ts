/**
 * The lock-bench workload kind: N pinned threads on one lock of any kind,
 * open or closed, swept like any scenario. Scenario files with
 * `kind: lock-bench`; the closed forms of queueing and lock theory it has
 * (theory.ts) are metrics an `expect:` compares with.
 */
import type { Metric, MetricFamily, MetricTable } from '../../analysis/metric.js';
import { metricNamesOf } from '../../analysis/metric.js';
import { formatSignificant } from '../../charts/format.js';
import { handoffChart } from '../../charts/handoffs.js';
import { lockBenchSpec, type LockBenchRow } from '../../charts/lock-bench.js';
import { meanOf, tidy, type ChartInput, type ChartPlan } from '../../charts/series.js';
import { runLockBench, type LockBenchResult } from '../../lock-bench/index.js';
import type { ResolvedModels, RunPoint } from '../../scenario/types.js';
import { DISTANCE_CLASSES } from '../../topology/index.js';
import { defineWorkload, topologyOf } from '../kind.js';
import { resolveLockBenchPoint, type LockBenchPointSpec } from './resolve.js';
import { LockBenchScenarioSchema } from './schema.js';
import { lockBenchTheory, type LockBenchTheory } from './theory.js';

/** What the metrics know of a point besides its runs: its closed form, if it has one. */
export interface LockBenchContext {
  readonly theory: LockBenchTheory | null;
}

const perThread = (r: LockBenchResult): readonly number[] => r.perThreadAcquisitions;

const METRICS: readonly Metric<LockBenchResult, LockBenchContext>[] = [
  { name: 'throughputPerS', unit: '/s', kind: 'throughput', better: 'higher', description: 'Acquisitions per second of simulated time in the measured window.', compute: (r) => r.throughputPerSec },
  { name: 'latencyNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'Mean time from a request (an open run: its arrival) to the release.', compute: (r) => r.meanLatencyNs },
  { name: 'p50LatencyNs', unit: 'ns', kind: 'quantile', better: 'lower', description: 'Median request-to-release time.', compute: (r) => r.p50LatencyNs },
  { name: 'p99LatencyNs', unit: 'ns', kind: 'quantile', better: 'lower', description: '99th percentile request-to-release time.', compute: (r) => r.p99LatencyNs },
  { name: 'meanWaitNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'Mean time from asking for the lock to holding it (a seqlock reader: to the start of the read that stood; an RCU updater: its grace period).', compute: (r) => r.meanWaitNs },
  { name: 'p50WaitNs', unit: 'ns', kind: 'quantile', better: 'lower', description: 'Median wait for the lock.', compute: (r) => r.waitQuantilesNs.p50 },
  { name: 'p90WaitNs', unit: 'ns', kind: 'quantile', better: 'lower', description: '90th percentile wait for the lock.', compute: (r) => r.waitQuantilesNs.p90 },
  { name: 'p99WaitNs', unit: 'ns', kind: 'quantile', better: 'lower', description: '99th percentile wait for the lock.', compute: (r) => r.waitQuantilesNs.p99 },
  { name: 'p999WaitNs', unit: 'ns', kind: 'quantile', better: 'lower', description: '99.9th percentile wait for the lock.', compute: (r) => r.waitQuantilesNs.p999 },
  { name: 'meanReadWaitNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'Mean wait of the reads (rwsem, seqlock, rcu; 0 without reads).', compute: (r) => r.meanReadWaitNs },
  { name: 'meanWriteWaitNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'Mean wait of the writes (every acquisition of an exclusive lock).', compute: (r) => r.meanWriteWaitNs },
  { name: 'meanHoldNs', unit: 'ns', kind: 'mean', better: 'neither', description: 'Mean time held per acquisition: the section with its SMT stretch and extra lines (a seqlock read: the read that stood).', compute: (r) => r.meanHoldNs },
  { name: 'meanThinkNs', unit: 'ns', kind: 'mean', better: 'neither', description: 'Mean think time before a measured request (closed runs; 0 in an open run).', compute: (r) => r.meanThinkNs },
  { name: 'meanBacklogNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'Open runs: mean time a request waited for an idle thread before asking for the lock.', compute: (r) => r.meanBacklogNs },
  { name: 'utilisation', unit: '1', kind: 'share', better: 'neither', description: 'Share of the measured window with the lock held in any mode (RCU: some reader inside a read-side section).', compute: (r) => r.lockUtilisation },
  { name: 'homeUtilisation', unit: '1', kind: 'share', better: 'lower', description: "Share of the measured window the lock line's home agent was busy (0 for the ideal FIFO lock and RCU).", compute: (r) => r.homeUtilisation },
  {
    name: 'fairness',
    unit: '1',
    kind: 'share',
    better: 'higher',
    description: "Jain's index of the threads' acquisitions: (sum x)^2 / (N sum x^2); 1 when every thread got the same share, 1/N when one got them all.",
    compute: (r) => {
      const counts = perThread(r);
      const sum = counts.reduce((a, b) => a + b, 0);
      const squares = counts.reduce((a, b) => a + b * b, 0);
      return squares === 0 ? 1 : (sum * sum) / (counts.length * squares);
    },
  },
  {
    name: 'acquisitionSpread',
    unit: '1',
    kind: 'share',
    better: 'lower',
    description: "Per-thread spread: (most - fewest acquisitions of one thread) / their mean; 0 when every thread got the same.",
    compute: (r) => {
      const counts = perThread(r);
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      return mean === 0 ? 0 : (Math.max(...counts) - Math.min(...counts)) / mean;
    },
  },
  { name: 'slowestThreadWaitNs', unit: 'ns', kind: 'max', better: 'lower', description: 'The largest of the threads\' mean waits: the thread the lock treats worst.', compute: (r) => Math.max(0, ...r.perThreadMeanWaitNs) },
  { name: 'littleRatio', unit: '1', kind: 'mean', better: 'neither', description: "Little's law: closed runs N / (X (Z + W + S)), open runs the time-average requests in the system / (X x latency); 1 when it holds.", compute: (r) => r.littleRatio },
  { name: 'acquisitions', unit: 'count', kind: 'count', better: 'higher', description: 'Acquisitions after warm-up.', compute: (r) => r.acquisitions },
  { name: 'reads', unit: 'count', kind: 'count', better: 'neither', description: 'Reads after warm-up (rwsem, seqlock, rcu).', compute: (r) => r.reads },
  { name: 'readRetries', unit: 'count', kind: 'count', better: 'lower', description: 'Seqlock reads that ran again because a write moved the count.', compute: (r) => r.readRetries },
  { name: 'meanGracePeriodNs', unit: 'ns', kind: 'mean', better: 'lower', description: 'RCU: mean length of an expedited grace period (0 for other locks).', compute: (r) => r.meanGracePeriodNs },
];

const THEORY_QUANTITIES = ['throughputPerS', 'meanWaitNs', 'utilisation'] as const;

const FAMILIES: readonly MetricFamily<LockBenchResult, LockBenchContext>[] = [
  {
    name: 'handoffs.<class>',
    unit: 'count',
    kind: 'count',
    better: 'neither',
    description: 'Handoffs of the lock in the measured window by distance class between releasing and acquiring CPU.',
    names: () => DISTANCE_CLASSES.map((d) => `handoffs.${d}`),
    compute: (r) => Object.fromEntries(Object.entries(r.handoffsByClass).map(([distance, count]) => [`handoffs.${distance}`, count])),
  },
  {
    name: 'theory.<quantity>',
    unit: 'as the metric',
    kind: 'mean',
    better: 'neither',
    description:
      'The closed form of the point, where one applies (docs/validation.md): theory.throughputPerS, theory.meanWaitNs, theory.utilisation, to compare with throughputPerS, meanWaitNs and utilisation. Absent for points without one.',
    names: (context) => (context.theory === null ? [] : THEORY_QUANTITIES.map((q) => `theory.${q}`)),
    compute: (_r, context) => (context.theory === null ? {} : Object.fromEntries(THEORY_QUANTITIES.map((q) => [`theory.${q}`, context.theory![q]]))),
  },
];

export const LOCK_BENCH_METRICS: MetricTable<LockBenchResult, LockBenchContext> = { metrics: METRICS, families: FAMILIES };

function contextOf(spec: LockBenchPointSpec, models: ResolvedModels): LockBenchContext {
  return { theory: lockBenchTheory(spec, models.machines[spec.machineModel]) };
}

/** One line per series of `metric` against threads, with the closed form dashed beside it where the points have one. */
function curveRows(input: ChartInput, metric: string, theory?: keyof LockBenchTheory): LockBenchRow[] {
  const rows: LockBenchRow[] = [];
  for (const p of input.points) {
    rows.push({ machine: p.series, threads: p.x, value: tidy(meanOf(p.summary.metrics[metric])), source: 'simulated' });
    if (theory === undefined) continue;
    const closed = lockBenchTheory(p.point.spec as LockBenchPointSpec, input.models.machines[p.point.spec.machineModel]);
    if (closed !== null) rows.push({ machine: p.series, threads: p.x, value: tidy(closed[theory] as number), source: closed.model });
  }
  return rows;
}

const logScale = (rows: readonly LockBenchRow[]): boolean => {
  const values = rows.map((r) => r.value).filter((v) => v > 0);
  return values.length > 0 && Math.max(...values) / Math.min(...values) > 20;
};

export const LOCK_BENCH_WORKLOAD = defineWorkload<LockBenchPointSpec, LockBenchResult, LockBenchContext>({
  name: 'lock-bench',
  schema: LockBenchScenarioSchema,
  resolvePoint: resolveLockBenchPoint,
  metricNames(points: readonly RunPoint[], models) {
    const names = new Set<string>();
    for (const point of points) for (const name of metricNamesOf(LOCK_BENCH_METRICS, contextOf(point.spec as LockBenchPointSpec, models))) names.add(name);
    return [...names];
  },
  run({ spec, models, seed, limits, heapProbe, cache }) {
    const topology = topologyOf(spec, models, cache);
    const result = runLockBench({
      topology,
      threads: spec.threads,
      placement: spec.placement,
      lock: spec.lock,
      think: spec.think,
      hold: spec.hold,
      readHold: spec.readHold ?? undefined,
      readShare: spec.readShare,
      arrival: spec.arrival,
      extraLines: spec.extraLines,
      ticketHandoff: spec.handoff,
      fifoHandoffNs: spec.fifoHandoffNs,
      rwsem: { wakeupNs: spec.rwsem.wakeupNs, maxSpinNs: spec.rwsem.maxSpinNs ?? Infinity },
      rcu: spec.gracePeriod,
      stop: spec.stop,
      warmupFraction: spec.warmupFraction,
      seed,
      limits,
      heapProbe,
    });
    return { machine: topology.name, output: { kind: 'lock-bench', result } };
  },
  runCost: (spec) => spec.threads * ('durationNs' in spec.stop ? spec.stop.durationNs / 1e5 : spec.stop.acquisitions / 100),
  metrics: LOCK_BENCH_METRICS,
  metricContext: contextOf,
  xKey: 'threads',
  x: (spec) => spec.threads,
  headline: [
    { title: 'throughput (/s)', metric: 'throughputPerS', format: 'number' },
    { title: 'mean wait (ns)', metric: 'meanWaitNs', format: 'number' },
    { title: 'p99 wait (ns)', metric: 'p99WaitNs', format: 'number' },
    { title: 'fairness', metric: 'fairness', format: 'number' },
  ],
  csvMetrics: ['throughputPerS', 'latencyNs', 'meanWaitNs', 'p50WaitNs', 'p99WaitNs', 'meanHoldNs', 'utilisation', 'homeUtilisation', 'fairness', 'acquisitionSpread', 'littleRatio', 'acquisitions'],
  charts(input): ChartPlan[] {
    const seeds = `mean over ${input.seeds.length} seed${input.seeds.length === 1 ? '' : 's'}`;
    const throughput = curveRows(input, 'throughputPerS', 'throughputPerS');
    const wait = curveRows(input, 'meanWaitNs', 'meanWaitNs');
    const theory = throughput.some((r) => r.source !== 'simulated') ? ' Dashed: the closed form of the same points.' : '';
    return [
      {
        name: 'lock-bench-throughput',
        title: 'Lock throughput vs threads',
        caption: `Acquisitions per second against the threads taking the lock (${seeds}).${theory}`,
        spec: lockBenchSpec(throughput, { machines: input.series, title: 'Lock throughput', subtitle: 'Acquisitions per second of simulated time.', yTitle: 'Acquisitions per second' }),
        rows: throughput,
      },
      {
        name: 'lock-bench-wait',
        title: 'Lock wait vs threads',
        caption: `Mean time from asking for the lock to holding it (${seeds}).${theory}`,
        spec: lockBenchSpec(wait, { machines: input.series, title: 'Lock wait', subtitle: 'Mean time from asking for the lock to holding it.', yTitle: logScale(wait) ? 'Mean wait (ns, log scale)' : 'Mean wait (ns)', logY: logScale(wait) }),
        rows: wait,
      },
      handoffChart(input, 'The lock', (p) => p.runs.map((run) => (run.result as LockBenchResult).handoffsByClass)),
    ];
  },
  leadSentence(series, sorted) {
    const top = sorted[sorted.length - 1];
    const peak = sorted.reduce((best, p) => (meanOf(p.summary.metrics.throughputPerS) > meanOf(best.summary.metrics.throughputPerS) ? p : best), sorted[0]);
    return `${series}: ${formatSignificant(meanOf(top.summary.metrics.throughputPerS))} acquisitions/s with a mean wait of ${formatSignificant(meanOf(top.summary.metrics.meanWaitNs))} ns at ${top.x} threads (peak ${formatSignificant(meanOf(peak.summary.metrics.throughputPerS))}/s at ${peak.x}).`;
  },
});

export type { LockBenchPointSpec } from './resolve.js';
export type { LockBenchScenarioFile } from './schema.js';
export { lockBenchTheory, type LockBenchTheory } from './theory.js';
