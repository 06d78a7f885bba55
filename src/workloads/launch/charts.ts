/**
 * What a launch report draws: latency and failure curves against
 * concurrency, where mount-path CPU time goes, how far the walk seqlock's
 * line moved at each handoff, and the mount tables over time. Lock names
 * and time categories come from the point's kernel model.
 */
import type { LaunchRunResult } from '../../launch/index.js';
import { isLockWaiting, READER_SPIN, timeCategoryNames, WALK_CATEGORY, KERNEL_WORK_CATEGORY } from '../../launch/index.js';
import type { KernelModel } from '../../models/types.js';
import { failureCurveSpec } from '../../charts/failure-curve.js';
import { handoffChart } from '../../charts/handoffs.js';
import { latencyCurveSpec } from '../../charts/latency-curve.js';
import { mountTableSpec } from '../../charts/mount-table.js';
import { timeBreakdownSpec } from '../../charts/time-breakdown.js';
import { compareCodeUnits, distinctInOrder } from '../../charts/theme.js';
import { average, meanOf, tidy, type ChartInput, type ChartPlan, type SeriesPoint } from '../../charts/series.js';
import type { LaunchPointSpec } from './resolve.js';

/** The failure rate the failure chart marks, and the lead's "starts failing" threshold. */
export const FAILURE_THRESHOLD = 0.05;

function launchResults(runs: SeriesPoint['runs']): LaunchRunResult[] {
  return runs.flatMap((r) => (r.kind === 'launch' ? [r.result as LaunchRunResult] : []));
}

function kernelOf(input: ChartInput, point: SeriesPoint): KernelModel {
  return input.models.launch[(point.point.spec as LaunchPointSpec).launchModels].kernel;
}

/** A time-breakdown bar: its label and which categories (plus background terms) it sums. */
interface BreakdownBar {
  readonly label: string;
  of(result: LaunchRunResult, totals: readonly number[]): number;
}

/**
 * The bars of the time-breakdown chart for a kernel model, waiting first:
 * spinning on each lock (writers), readers spinning on the walk seqlock,
 * each lock's critical sections, and the rest of the mount path.
 */
function breakdownBars(kernel: Pick<KernelModel, 'locks' | 'walkSeqlock'>): BreakdownBar[] {
  const names = timeCategoryNames(kernel);
  const index = (name: string): number => names.indexOf(name);
  const bars: BreakdownBar[] = [];
  for (const name of names) {
    if (!isLockWaiting(name)) continue;
    const i = index(name);
    if (name === READER_SPIN) bars.push({ label: 'spin: path_init (readers)', of: (r, t) => t[i] + (r.background.backgroundSpinNs ?? 0) });
    else {
      const lock = name.slice('spin:'.length);
      const seqlock = kernel.locks.find((l) => l.name === lock)?.kind === 'seqlock';
      bars.push({ label: `spin: ${lock}${seqlock ? ' (writers)' : ''}`, of: (_r, t) => t[i] });
    }
  }
  for (const lock of kernel.locks) {
    const i = index(`cs:${lock.name}`);
    bars.push({ label: `critical section: ${lock.name}`, of: (_r, t) => t[i] });
  }
  const walk = index(WALK_CATEGORY);
  const kernelWork = index(KERNEL_WORK_CATEGORY);
  bars.push({ label: 'other mount-path work', of: (r, t) => t[walk] + t[kernelWork] + (r.background.backgroundWalkNs ?? 0) });
  return bars;
}

/**
 * Per-bar CPU time of one run, in s: launch threads plus the mount-table
 * readers, plus other processes' path lookups, the same total
 * `lockWaitingShare` divides by, so the chart's red share is that metric.
 */
function breakdownS(result: LaunchRunResult, bars: readonly BreakdownBar[]): number[] {
  const totals = new Array<number>(result.containers[0]?.timeNs.length ?? result.readerTimeNs.length).fill(0);
  for (const times of [...result.containers.map((c) => c.timeNs), result.readerTimeNs]) times.forEach((ns, c) => (totals[c] += ns));
  return bars.map((bar) => bar.of(result, totals) / 1e9);
}

/** More than 1% of the point's launches unfinished at the horizon in some seed: its p99 is the horizon, not a latency. */
function reachesHorizon(point: SeriesPoint): boolean {
  return (point.summary.metrics.unfinishedRate?.perSeed ?? []).some((rate) => rate > 0.01);
}

export function launchCharts(input: ChartInput): ChartPlan[] {
  const { points, series, swept, largest, atLargest } = input;
  if (points.length === 0) return [];
  const charts: ChartPlan[] = [];
  const deadlines = distinctInOrder(points.map((p) => String((p.point.spec as LaunchPointSpec).deadlines.launchNs / 1e9)));
  const horizons = distinctInOrder(points.map((p) => String((p.point.spec as LaunchPointSpec).horizonNs / 1e9)));
  const latencyRows = points.map((p) => ({
    machine: p.series,
    containers: p.x,
    p50LatencyS: tidy(meanOf(p.summary.metrics.p50LatencyS)),
    p90LatencyS: tidy(meanOf(p.summary.metrics.p90LatencyS)),
    p99LatencyS: tidy(meanOf(p.summary.metrics.p99LatencyS)),
    atHorizon: reachesHorizon(p),
  }));
  const reached = latencyRows.some((row) => row.atHorizon);
  const notSwept = swept ? '' : ' The concurrency was not swept, so each machine is one point.';
  charts.push({
    name: 'latency',
    title: 'Launch latency vs concurrent launches',
    caption: `Median launch latency (line) with the p90 to p99 band, mean over ${input.seeds.length} seeds; the dashed line is the launch deadline. Unfinished launches count up to the end of the run${
      reached ? `: where more than 1% of a point's launches had not finished at the simulated horizon (triangles), its p99 is the horizon, a lower bound of the real latency` : ''
    }.${notSwept}`,
    spec: latencyCurveSpec(latencyRows, {
      machines: series,
      deadlineS: deadlines.length === 1 ? Number(deadlines[0]) : null,
      deadlineLabel: deadlines.length === 1 ? `launch deadline ${deadlines[0]} s` : undefined,
      horizonS: horizons.length === 1 ? Number(horizons[0]) : null,
    }),
    rows: latencyRows,
  });
  // The sweep's points and the bisection's, on one curve: the line follows the cliff instead of cutting across it.
  const failureRows = [
    ...points.map((p) => ({ machine: p.series, containers: p.x, failureRate: tidy(meanOf(p.summary.metrics.failureRate)), source: 'sweep' })),
    ...input.onsets.flatMap((o) => o.steps.map((step) => ({ machine: o.series, containers: step.x, failureRate: tidy(step.mean), source: 'bisection' }))),
  ].sort((a, b) => compareCodeUnits(a.machine, b.machine) || a.containers - b.containers);
  const onsets = input.onsets.map((o) => ({ machine: o.series, lastPass: o.lastPass, firstFail: o.firstFail }));
  charts.push({
    name: 'failures',
    title: 'Failed launches vs concurrent launches',
    caption: `Share of launches that missed a deadline (launch, kubelet's runtime request, node health check) or had not finished at the horizon, mean over seeds; dashed: ${FAILURE_THRESHOLD * 100}%.${
      onsets.length > 0 ? ` Open points: a bisection between the sweep's last point under ${FAILURE_THRESHOLD * 100}% and its first over, with the same seeds; the vertical marks are each family's onset (first failing count found).` : ''
    }${notSwept}`,
    spec: failureCurveSpec(failureRows, { machines: series, thresholdRate: FAILURE_THRESHOLD, onsets }),
    rows: failureRows,
  });
  const timeRows = largest.flatMap((p) => {
    const bars = breakdownBars(kernelOf(input, p));
    const perRun = launchResults(p.runs).map((result) => breakdownS(result, bars));
    return bars.map((bar, index) => ({ machine: p.series, category: bar.label, seconds: tidy(average(perRun.map((values) => values[index]))) }));
  });
  charts.push({
    name: 'time-breakdown',
    title: 'Where mount-path CPU time goes',
    caption: `CPU time of the launch threads, the mount-table readers (systemd, kubelet) and other processes' path lookups ${atLargest}, summed over CPUs, mean over seeds. The spinning share is the lockWaitingShare metric, the model's analogue of the blog's 95.5% of slots stalled on contested accesses.`,
    spec: timeBreakdownSpec(timeRows, { machines: series, title: `Where mount-path CPU time goes, ${atLargest}` }),
    rows: timeRows,
  });
  // The lock the case is about: the seqlock every path walk reads.
  const walkLock = largest.length > 0 ? kernelOf(input, largest[0]).walkSeqlock : 'lock';
  charts.push(handoffChart(input, walkLock, (p) => launchResults(p.runs).map((r) => (r.locks.find((l) => l.name === kernelOf(input, p).walkSeqlock) ?? r.locks[0])?.handoffsByClass ?? {})));
  const mountRows = largest.flatMap((p) => {
    const first = launchResults(p.runs)[0];
    if (first === undefined) return [];
    return [
      ...first.mountTable.samples.map((s) => ({ machine: p.series, namespace: 'all namespaces', timeS: tidy(s.timeNs / 1e9), mounts: s.systemMounts })),
      ...first.mountTable.samples.map((s) => ({ machine: p.series, namespace: 'host', timeS: tidy(s.timeNs / 1e9), mounts: s.hostMounts })),
    ];
  });
  charts.push({
    name: 'mount-table',
    title: 'Mount table size over time',
    caption: `Mounts in the host mount namespace and in all namespaces together (propagated copies included) ${atLargest}, first seed.`,
    spec: mountTableSpec(mountRows, { machines: series, title: `Mount table size, ${atLargest}` }),
    rows: mountRows,
  });
  return charts;
}
