/**
 * The metric names an `expect:` block may use, so a misspelt metric is a
 * load-time error with a did-you-mean rather than a check that can never
 * pass. Mirrors what src/analysis/summarize.ts reports (a test runs tiny
 * scenarios of each kind to keep the two in step); per-lock metrics are named
 * after the kernel model's locks, time shares after the accounting categories.
 */
import { DISTANCE_CLASSES } from '../topology/index.js';
import { TIME_CATEGORIES } from '../workload/accounting.js';
import type { ScenarioKind } from './types.js';

/** Metrics every launch point reports. */
export const LAUNCH_METRICS: readonly string[] = [
  'p50LatencyS',
  'p90LatencyS',
  'p99LatencyS',
  'meanLatencyS',
  'failureRate',
  'unfinishedRate',
  'mountOps',
  'mountOpsPerContainer',
  'syscallsPerContainer',
  'bindMountSyscallsPerContainer',
  'lockWaitingShare',
  'launchLockWaitingShare',
  'smtStretchedShare',
  'throughputPerS',
  'maxHostMounts',
  'maxSystemMounts',
  'maxReceivers',
  'rcuMeanGracePeriodUs',
  'rcuMaxGracePeriodUs',
  'systemdMaxParseS',
  'healthCheckMaxS',
  'healthCheckFailures',
  'events',
];

/** Names used in earlier drafts of the contract, and what replaced them (for the did-you-mean). */
export const RENAMED_METRICS: Readonly<Record<string, string>> = {
  mountLockWaitUs: 'mount_lock.meanWaitUs',
  namespaceSemWaitUs: 'namespace_sem.meanWaitUs',
};

/** Per-lock metrics, written `<lock>.<suffix>`. */
export const LOCK_METRIC_SUFFIXES: readonly string[] = ['meanWaitUs', 'meanHoldUs', 'acquisitions', 'p50WaitUs', 'p99WaitUs', 'p50HoldUs', 'p99HoldUs', ...DISTANCE_CLASSES.map((d) => `handoffs.${d}`)];

export const PAUSE_BENCH_METRICS: readonly string[] = [
  'latencyNs',
  'p50LatencyNs',
  'p99LatencyNs',
  'throughputPerS',
  'acquisitions',
  ...DISTANCE_CLASSES.map((d) => `handoffs.${d}`),
];

/** Every metric name a scenario of `kind` may name; `lockNames` come from the kernel model. */
export function metricNames(kind: ScenarioKind, lockNames: readonly string[] = []): string[] {
  if (kind === 'pause-bench') return [...PAUSE_BENCH_METRICS];
  return [
    ...LAUNCH_METRICS,
    ...lockNames.flatMap((lock) => LOCK_METRIC_SUFFIXES.map((suffix) => `${lock}.${suffix}`)),
    ...TIME_CATEGORIES.map((category) => `time.${category}`),
  ];
}
