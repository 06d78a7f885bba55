/**
 * The metrics of a launch point, each declared once: name, unit, kind,
 * description and how it is computed from one run. Per-lock metrics are
 * named after the kernel model's locks, time shares after its time
 * categories (src/launch/accounting.ts), handoffs after distance classes.
 */
import { mean, percentile } from '../../analysis/statistics.js';
import type { Metric, MetricFamily, MetricTable } from '../../analysis/metric.js';
import { isLockWaiting, isOnCpu, timeCategoryNames, USER_WORK_CATEGORY, type LaunchRunResult } from '../../launch/index.js';
import type { KernelModel } from '../../models/types.js';
import { DISTANCE_CLASSES } from '../../topology/index.js';

/** What a launch point's metrics need besides its run: the kernel model (lock names, time categories). */
export interface LaunchMetricContext {
  readonly kernel: Pick<KernelModel, 'locks' | 'walkSeqlock'>;
  /** timeCategoryNames(kernel), computed once per point. */
  readonly categories: readonly string[];
}

export function launchMetricContext(kernel: Pick<KernelModel, 'locks' | 'walkSeqlock'>): LaunchMetricContext {
  return { kernel, categories: timeCategoryNames(kernel) };
}

/** The syscalls that make one idmapped bind mount (R9 counts them). */
export const BIND_MOUNT_SYSCALLS = ['open_tree_clone', 'mount_setattr_idmap', 'move_mount'] as const;

/** Launch latencies in s; an unfinished launch counts from its start to the end of the run (a lower bound). */
export function launchLatenciesS(result: LaunchRunResult): number[] {
  return result.containers.map((c) => (c.latencyNs ?? result.endNs - c.startNs) / 1e9);
}

/** Share of on-CPU kernel mount-path time spent spinning on locks, over per-thread category times. */
export function lockWaitingShare(categories: readonly string[], timesNs: readonly (readonly number[])[], extraSpinNs = 0): { waitingNs: number; onCpuNs: number; share: number } {
  let waitingNs = extraSpinNs;
  let onCpuNs = extraSpinNs;
  const counted = categories.map((c) => c !== USER_WORK_CATEGORY && isOnCpu(c));
  const waiting = categories.map(isLockWaiting);
  for (const times of timesNs) {
    for (let c = 0; c < categories.length; c++) {
      if (!counted[c]) continue;
      onCpuNs += times[c];
      if (waiting[c]) waitingNs += times[c];
    }
  }
  return { waitingNs, onCpuNs, share: onCpuNs === 0 ? 0 : waitingNs / onCpuNs };
}

/**
 * The model's analogue of the blog's TMA figure (95.5% of pipeline slots
 * stalled on contested accesses), which was measured over the whole
 * machine: kernel mount-path CPU time of the launch threads, of the
 * mount-table readers, and of other processes' path lookups spinning in
 * path_init, and the share of it spent spinning on the mount locks.
 */
export function machineLockWaitingShare(result: LaunchRunResult, categories: readonly string[]): { waitingNs: number; onCpuNs: number; share: number } {
  const spinNs = result.background.backgroundSpinNs ?? 0;
  const shares = lockWaitingShare(categories, [...result.containers.map((c) => c.timeNs), result.readerTimeNs], spinNs);
  const onCpuNs = shares.onCpuNs + (result.background.backgroundWalkNs ?? 0);
  return { waitingNs: shares.waitingNs, onCpuNs, share: onCpuNs === 0 ? 0 : shares.waitingNs / onCpuNs };
}

/**
 * The launch threads' on-CPU time (containerd's launch work, runc's
 * included) and the part of it inside mount-path syscalls (spinning,
 * critical sections, walks, kernel work): R10's "mount path in containerd's
 * profile" needs the non-mount work (unpack, snapshots, spec, gRPC) beside it.
 */
export function mountPathCpu(result: LaunchRunResult, categories: readonly string[]): { mountPathNs: number; onCpuNs: number } {
  let mountPathNs = 0;
  let onCpuNs = 0;
  const onCpu = categories.map(isOnCpu);
  const user = categories.map((c) => c === USER_WORK_CATEGORY);
  for (const container of result.containers) {
    for (let c = 0; c < categories.length; c++) {
      if (!onCpu[c]) continue;
      onCpuNs += container.timeNs[c];
      if (!user[c]) mountPathNs += container.timeNs[c];
    }
  }
  return { mountPathNs, onCpuNs };
}

type LaunchMetric = Metric<LaunchRunResult, LaunchMetricContext>;
type LaunchFamily = MetricFamily<LaunchRunResult, LaunchMetricContext>;

const finishedOf = (r: LaunchRunResult) => r.containers.filter((c) => c.latencyNs !== null);

const METRICS: readonly LaunchMetric[] = [
  { name: 'p50LatencyS', unit: 's', kind: 'quantile', better: 'lower', description: 'Median launch latency (unfinished launches count up to the end of the run).', compute: (r) => percentile(launchLatenciesS(r), 0.5) },
  { name: 'p90LatencyS', unit: 's', kind: 'quantile', better: 'lower', description: '90th percentile launch latency.', compute: (r) => percentile(launchLatenciesS(r), 0.9) },
  { name: 'p99LatencyS', unit: 's', kind: 'quantile', better: 'lower', description: '99th percentile launch latency.', compute: (r) => percentile(launchLatenciesS(r), 0.99) },
  { name: 'meanLatencyS', unit: 's', kind: 'mean', better: 'lower', description: 'Mean launch latency.', compute: (r) => mean(launchLatenciesS(r)) },
  { name: 'failureRate', unit: '1', kind: 'rate', better: 'lower', description: 'Launches that missed a deadline or had not finished at the horizon, over all launches.', compute: (r) => r.containers.filter((c) => c.failed).length / r.containers.length },
  { name: 'unfinishedRate', unit: '1', kind: 'rate', better: 'lower', description: 'Launches not finished at the horizon, over all launches.', compute: (r) => (r.containers.length - finishedOf(r).length) / r.containers.length },
  { name: 'mountOps', unit: 'count', kind: 'count', better: 'neither', description: 'Mount operations of all launches (idmap bind mounts, overlay mounts, bind umounts).', compute: (r) => r.containers.reduce((sum, c) => sum + c.mountOps, 0) },
  { name: 'mountOpsPerContainer', unit: 'count', kind: 'mean', better: 'neither', description: 'Mount operations per container.', compute: (r) => mean(r.containers.map((c) => c.mountOps)) },
  { name: 'syscallsPerContainer', unit: 'count', kind: 'mean', better: 'neither', description: 'Mount-path syscalls per container.', compute: (r) => mean(r.containers.map((c) => c.syscalls)) },
  {
    name: 'bindMountSyscallsPerContainer',
    unit: 'count',
    kind: 'mean',
    better: 'neither',
    description: 'open_tree + mount_setattr + move_mount calls per container (R9).',
    compute: (r) => mean(r.containers.map((c) => BIND_MOUNT_SYSCALLS.reduce((sum, name) => sum + (c.syscallCounts[name] ?? 0), 0))),
  },
  {
    name: 'lockWaitingShare',
    unit: '1',
    kind: 'share',
    better: 'lower',
    description: "Machine-wide share of mount-path CPU time spent spinning on locks (launch threads, mount-table readers, other processes' path lookups): the analogue of the blog's 95.5% TMA figure.",
    compute: (r, c) => machineLockWaitingShare(r, c.categories).share,
  },
  {
    name: 'mountPathShare',
    unit: '1',
    kind: 'share',
    better: 'lower',
    description: "Share of the launch threads' on-CPU time (containerd's launch work: unpack, snapshots, spec, gRPC, and the mount syscalls) spent in mount-path syscalls: R10's 'mount path in containerd's profile'.",
    compute: (r, c) => {
      const { mountPathNs, onCpuNs } = mountPathCpu(r, c.categories);
      return onCpuNs === 0 ? 0 : mountPathNs / onCpuNs;
    },
  },
  { name: 'mountPathCpuPerContainerS', unit: 's', kind: 'mean', better: 'lower', description: 'On-CPU time per container inside mount-path syscalls (spinning, critical sections, walks, kernel work).', compute: (r, c) => mountPathCpu(r, c.categories).mountPathNs / r.containers.length / 1e9 },
  { name: 'launchLockWaitingShare', unit: '1', kind: 'share', better: 'lower', description: "The same over the launch threads' mount-path CPU time only.", compute: (r, c) => lockWaitingShare(c.categories, r.containers.map((x) => x.timeNs)).share },
  {
    name: 'smtStretchShare',
    unit: '1',
    kind: 'share',
    better: 'lower',
    description: "How much longer mount_lock's critical sections ran because an SMT sibling of the holder was busy (a launch thread, or another process's path walk in expectation), over their unstretched length.",
    compute: (r) => ((r.background.sectionBaseNs ?? 0) === 0 ? 0 : (r.background.sectionStretchNs ?? 0) / (r.background.sectionBaseNs ?? 1)),
  },
  {
    name: 'throughputPerS',
    unit: '/s',
    kind: 'throughput',
    better: 'higher',
    description: 'Launches finished per second of simulated time.',
    compute: (r) => {
      const finished = finishedOf(r);
      return finished.length === 0 ? 0 : finished.length / (Math.max(...finished.map((c) => c.startNs + c.latencyNs!)) / 1e9);
    },
  },
  { name: 'maxHostMounts', unit: 'count', kind: 'max', better: 'neither', description: 'Largest host mount table during the run.', compute: (r) => r.mountTable.maxHostMounts },
  { name: 'maxSystemMounts', unit: 'count', kind: 'max', better: 'neither', description: 'Largest mount count over all namespaces (propagated copies included).', compute: (r) => r.mountTable.maxSystemMounts },
  { name: 'maxReceivers', unit: 'count', kind: 'max', better: 'neither', description: 'Most namespaces a host mount propagated to.', compute: (r) => r.mountTable.maxReceivers },
  { name: 'rcuMeanGracePeriodUs', unit: 'us', kind: 'mean', better: 'lower', description: 'Mean expedited RCU grace period.', compute: (r) => r.rcu.meanGracePeriodNs / 1e3 },
  { name: 'rcuMaxGracePeriodUs', unit: 'us', kind: 'max', better: 'lower', description: 'Longest expedited RCU grace period.', compute: (r) => r.rcu.maxGracePeriodNs / 1e3 },
  { name: 'systemdMaxParseS', unit: 's', kind: 'max', better: 'lower', description: "Longest systemd re-parse of the mount table.", compute: (r) => (r.background.systemdMaxParseNs ?? 0) / 1e9 },
  { name: 'healthCheckMaxS', unit: 's', kind: 'max', better: 'lower', description: 'Longest node health check (a D-Bus call answered between systemd parses).', compute: (r) => (r.background.healthCheckMaxNs ?? 0) / 1e9 },
  { name: 'healthCheckFailures', unit: 'count', kind: 'count', better: 'lower', description: 'Node health checks slower than their deadline.', compute: (r) => r.background.healthCheckFailures ?? 0 },
  { name: 'dbusWaitsBehindMounts', unit: 'count', kind: 'count', better: 'lower', description: "Node health checks (D-Bus calls to systemd) that waited for pending mount events: the mount source outranks D-Bus.", compute: (r) => r.background.dbusWaitsBehindMounts ?? 0 },
  { name: 'systemdRateLimited', unit: 'count', kind: 'count', better: 'neither', description: "Windows in which systemd's mount event source used its burst and was rate-limited.", compute: (r) => r.background.systemdRateLimited ?? 0 },
  { name: 'ebusyReturns', unit: 'count', kind: 'count', better: 'lower', description: 'umount calls that returned EBUSY (a forked helper held an fd on the mount).', compute: (r) => r.background.ebusyReturns ?? 0 },
  { name: 'leakedMounts', unit: 'count', kind: 'count', better: 'lower', description: 'Mounts left in the table because their umount gave up on EBUSY.', compute: (r) => r.background.leakedMounts ?? 0 },
  { name: 'criTimeouts', unit: 'count', kind: 'count', better: 'lower', description: "CRI requests kubelet gave up on (the runtime request timeout); each such launch never completes.", compute: (r) => r.background.criTimeouts ?? 0 },
  { name: 'events', unit: 'count', kind: 'count', better: 'neither', description: 'Simulation events processed.', compute: (r) => r.events },
];

const LOCK_FIELDS: readonly { suffix: string; unit: string; kind: 'mean' | 'count' | 'quantile'; better: 'lower' | 'higher' | 'neither'; description: string; of: (lock: LaunchRunResult['locks'][number]) => number | undefined }[] = [
  { suffix: 'meanWaitUs', better: 'lower', unit: 'us', kind: 'mean', description: 'Mean wait per acquisition of the lock.', of: (l) => l.meanWaitNs / 1e3 },
  { suffix: 'meanHoldUs', better: 'lower', unit: 'us', kind: 'mean', description: 'Mean hold per acquisition.', of: (l) => l.meanHoldNs / 1e3 },
  { suffix: 'acquisitions', better: 'neither', unit: 'count', kind: 'count', description: 'Acquisitions of the lock.', of: (l) => l.acquisitions },
  { suffix: 'p50WaitUs', better: 'lower', unit: 'us', kind: 'quantile', description: 'Median wait per acquisition.', of: (l) => l.waitQuantilesNs?.p50 === undefined ? undefined : l.waitQuantilesNs.p50 / 1e3 },
  { suffix: 'p99WaitUs', better: 'lower', unit: 'us', kind: 'quantile', description: '99th percentile wait per acquisition.', of: (l) => l.waitQuantilesNs?.p99 === undefined ? undefined : l.waitQuantilesNs.p99 / 1e3 },
  { suffix: 'p50HoldUs', better: 'lower', unit: 'us', kind: 'quantile', description: 'Median hold.', of: (l) => l.holdQuantilesNs?.p50 === undefined ? undefined : l.holdQuantilesNs.p50 / 1e3 },
  { suffix: 'p99HoldUs', better: 'lower', unit: 'us', kind: 'quantile', description: '99th percentile hold.', of: (l) => l.holdQuantilesNs?.p99 === undefined ? undefined : l.holdQuantilesNs.p99 / 1e3 },
];

const FAMILIES: readonly LaunchFamily[] = [
  ...LOCK_FIELDS.map(
    (field): LaunchFamily => ({
      name: `<lock>.${field.suffix}`,
      unit: field.unit,
      kind: field.kind,
      better: field.better,
      description: `${field.description} One per lock of the kernel model.`,
      names: (c) => c.kernel.locks.map((lock) => `${lock.name}.${field.suffix}`),
      compute: (r) => {
        const values: Record<string, number> = {};
        for (const lock of r.locks) {
          const value = field.of(lock);
          // Results stored before the distributions were recorded have no quantiles.
          if (value !== undefined) values[`${lock.name}.${field.suffix}`] = value;
        }
        return values;
      },
    }),
  ),
  {
    name: '<lock>.handoffs.<class>',
    unit: 'count',
    kind: 'count',
    better: 'neither',
    description: 'Handoffs of the lock by distance class between releasing and acquiring CPU (self, smt, domain, cross-domain, cross-socket).',
    names: (c) => c.kernel.locks.flatMap((lock) => DISTANCE_CLASSES.map((d) => `${lock.name}.handoffs.${d}`)),
    compute: (r) => {
      const values: Record<string, number> = {};
      for (const lock of r.locks) for (const [distance, count] of Object.entries(lock.handoffsByClass)) values[`${lock.name}.handoffs.${distance}`] = count;
      return values;
    },
  },
  {
    name: 'time.<category>',
    unit: 's',
    kind: 'mean',
    better: 'neither',
    description: "Time per container in a category (spin:<lock>, spin:path_init, sleep:<lock>, cs:<lock>, walk, kernel work, user work, rcu grace period, run queue, off-cpu launch work).",
    names: (c) => c.categories.map((category) => `time.${category}`),
    compute: (r, c) => {
      const values: Record<string, number> = {};
      c.categories.forEach((category, index) => {
        values[`time.${category}`] = mean(r.containers.map((x) => x.timeNs[index])) / 1e9;
      });
      return values;
    },
  },
];

export const LAUNCH_METRICS: MetricTable<LaunchRunResult, LaunchMetricContext> = { metrics: METRICS, families: FAMILIES };
