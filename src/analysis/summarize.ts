/**
 * Run results -> per-point statistics. Pure: no simulation, no I/O.
 * Each metric is computed per seed, then estimated across seeds.
 */
import { TIME_CATEGORIES } from '../workload/accounting.js';
import { lockWaitingShare, machineLockWaitingShare, type LaunchRunResult, type LockResult } from '../workload/container-launch.js';
import type { PauseBenchResult } from '../bench-models/pause-bench.js';
import type { RunPoint } from '../scenario/types.js';
import { estimate, mean, percentile } from './statistics.js';
import type { Estimate, PointSummary, ScenarioSummary } from './summary.js';

/** The syscalls that make one idmapped bind mount (R9 counts them). */
export const BIND_MOUNT_SYSCALLS = ['open_tree_clone', 'mount_setattr_idmap', 'move_mount'] as const;

export type RunOutput = { readonly kind: 'launch'; readonly result: LaunchRunResult } | { readonly kind: 'pause-bench'; readonly result: PauseBenchResult };

/** One point's runs, one per seed, in seed order. */
export interface PointRuns {
  readonly point: RunPoint;
  readonly machine: string;
  readonly runs: readonly RunOutput[];
}

/** Launch latencies in s; an unfinished launch counts from its start to the end of the run (a lower bound). */
export function launchLatenciesS(result: LaunchRunResult): number[] {
  return result.containers.map((c) => (c.latencyNs ?? result.endNs - c.startNs) / 1e9);
}

export function launchMetrics(result: LaunchRunResult): Record<string, number> {
  const latencies = launchLatenciesS(result);
  const containers = result.containers;
  const n = containers.length;
  const finished = containers.filter((c) => c.latencyNs !== null);
  const metrics: Record<string, number> = {
    p50LatencyS: percentile(latencies, 0.5),
    p90LatencyS: percentile(latencies, 0.9),
    p99LatencyS: percentile(latencies, 0.99),
    meanLatencyS: mean(latencies),
    failureRate: containers.filter((c) => c.failed).length / n,
    unfinishedRate: (n - finished.length) / n,
    mountOps: containers.reduce((sum, c) => sum + c.mountOps, 0),
    mountOpsPerContainer: mean(containers.map((c) => c.mountOps)),
    syscallsPerContainer: mean(containers.map((c) => c.syscalls)),
    bindMountSyscallsPerContainer: mean(containers.map((c) => BIND_MOUNT_SYSCALLS.reduce((sum, name) => sum + (c.syscallCounts[name] ?? 0), 0))),
    lockWaitingShare: machineLockWaitingShare(result).share,
    launchLockWaitingShare: lockWaitingShare(containers.map((c) => c.timeNs)).share,
    smtStretchedShare: (result.background.sections ?? 0) === 0 ? 0 : (result.background.stretchedSections ?? 0) / (result.background.sections ?? 1),
    throughputPerS: finished.length === 0 ? 0 : finished.length / (Math.max(...finished.map((c) => c.startNs + c.latencyNs!)) / 1e9),
    maxHostMounts: result.mountTable.maxHostMounts,
    maxSystemMounts: result.mountTable.maxSystemMounts,
    maxReceivers: result.mountTable.maxReceivers,
    rcuMeanGracePeriodUs: result.rcu.meanGracePeriodNs / 1e3,
    rcuMaxGracePeriodUs: result.rcu.maxGracePeriodNs / 1e3,
    systemdMaxParseS: (result.background.systemdMaxParseNs ?? 0) / 1e9,
    healthCheckMaxS: (result.background.healthCheckMaxNs ?? 0) / 1e9,
    healthCheckFailures: result.background.healthCheckFailures ?? 0,
    events: result.events,
  };
  for (const lock of result.locks) {
    metrics[`${lock.name}.meanWaitUs`] = lock.meanWaitNs / 1e3;
    metrics[`${lock.name}.meanHoldUs`] = lock.meanHoldNs / 1e3;
    metrics[`${lock.name}.acquisitions`] = lock.acquisitions;
    // Results stored before the distributions were recorded have no quantiles.
    const wait = lock.waitQuantilesNs as LockResult['waitQuantilesNs'] | undefined;
    const hold = lock.holdQuantilesNs as LockResult['holdQuantilesNs'] | undefined;
    if (wait !== undefined && hold !== undefined) {
      metrics[`${lock.name}.p50WaitUs`] = wait.p50 / 1e3;
      metrics[`${lock.name}.p99WaitUs`] = wait.p99 / 1e3;
      metrics[`${lock.name}.p50HoldUs`] = hold.p50 / 1e3;
      metrics[`${lock.name}.p99HoldUs`] = hold.p99 / 1e3;
    }
    for (const [distance, count] of Object.entries(lock.handoffsByClass)) metrics[`${lock.name}.handoffs.${distance}`] = count;
  }
  TIME_CATEGORIES.forEach((category, index) => {
    metrics[`time.${category}`] = mean(containers.map((c) => c.timeNs[index])) / 1e9;
  });
  return metrics;
}

export function pauseBenchMetrics(result: PauseBenchResult): Record<string, number> {
  const metrics: Record<string, number> = {
    latencyNs: result.meanLatencyNs,
    p50LatencyNs: result.p50LatencyNs,
    p99LatencyNs: result.p99LatencyNs,
    throughputPerS: result.throughputPerSec,
    acquisitions: result.acquisitions,
  };
  for (const [distance, count] of Object.entries(result.handoffsByClass)) metrics[`handoffs.${distance}`] = count;
  return metrics;
}

function metricsOf(run: RunOutput): Record<string, number> {
  return run.kind === 'launch' ? launchMetrics(run.result) : pauseBenchMetrics(run.result);
}

export function summarizePoint(point: PointRuns): PointSummary {
  const perRun = point.runs.map(metricsOf);
  const names = [...new Set(perRun.flatMap((m) => Object.keys(m)))].sort();
  const metrics: Record<string, Estimate> = {};
  for (const name of names) metrics[name] = estimate(perRun.map((m) => m[name] ?? 0));
  return { index: point.point.index, coordinates: point.point.coordinates, machine: point.machine, metrics };
}

export function summarizeScenario(name: string, seeds: readonly string[], points: readonly PointRuns[]): ScenarioSummary {
  return { scenario: name, seeds: [...seeds], points: points.map(summarizePoint) };
}
