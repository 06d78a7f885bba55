/**
 * What one launch-storm run returns: plain, JSON-ready data per container,
 * per lock, for the mount tables and the background readers. The contract
 * between the launch model and everything after it (metrics, reports); time
 * arrays follow the kernel model's time categories (accounting.ts).
 */
import type { DistanceClass } from '../topology/index.js';

export type FailureReason = 'launch-deadline' | 'runtime-request-timeout' | 'node-health-check' | 'unfinished';

export interface ContainerResult {
  readonly index: number;
  readonly layers: number;
  readonly startNs: number;
  /** Null when the launch had not finished at the horizon. */
  readonly latencyNs: number | null;
  readonly failed: boolean;
  readonly reason: FailureReason | null;
  readonly mountOps: number;
  readonly syscalls: number;
  /** Calls per syscall name (outermost syscalls only). */
  readonly syscallCounts: Readonly<Record<string, number>>;
  /** ns per time category (the order of timeCategoryNames(kernel)). */
  readonly timeNs: readonly number[];
}

export interface LockResult {
  readonly name: string;
  readonly acquisitions: number;
  readonly contendedAcquisitions: number;
  readonly meanWaitNs: number;
  readonly maxWaitNs: number;
  readonly meanHoldNs: number;
  readonly maxHoldNs: number;
  readonly spinNs: number;
  readonly sleepNs: number;
  readonly handoffsByClass: Readonly<Record<DistanceClass, number>>;
  /** Quantiles of the wait and hold distributions (log-bucketed, within ~19%), ns. */
  readonly waitQuantilesNs: { readonly p50: number; readonly p90: number; readonly p99: number };
  readonly holdQuantilesNs: { readonly p50: number; readonly p90: number; readonly p99: number };
}

export interface LaunchRunResult {
  readonly seed: string;
  readonly machine: string;
  readonly runtime: string;
  readonly containers: ContainerResult[];
  readonly locks: LockResult[];
  readonly pathInit: { reads: number; spunReads: number; spinNs: number; retries: number };
  readonly rcu: { gracePeriods: number; meanGracePeriodNs: number; maxGracePeriodNs: number; heldOpen: number; callers: number };
  readonly background: Record<string, number | undefined>;
  /** On-CPU time of systemd and kubelet per category (the order of timeCategoryNames(kernel)). */
  readonly readerTimeNs: readonly number[];
  readonly mountTable: { maxHostMounts: number; maxSystemMounts: number; maxReceivers: number; maxWindow: number; samples: { timeNs: number; hostMounts: number; systemMounts: number; receivers: number }[] };
  readonly scheduler: { runQueueWaitNs: number; maxRunQueueLength: number };
  readonly folded: { stack: string[]; weight: number }[];
  readonly endNs: number;
  readonly events: number;
}

