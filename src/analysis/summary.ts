/**
 * The contract between a run and everything after it (checks, reports,
 * plans): per sweep point, the statistics over seeds. Plain JSON.
 */

/** Mean over seeds with a 95% confidence half-width (Student t), and the per-seed values. */
export interface Estimate {
  readonly mean: number;
  readonly ci95: number;
  readonly perSeed: readonly number[];
}

/**
 * Metrics every launch point reports (names are what `expect:` blocks use):
 * - p50LatencyS, p90LatencyS, p99LatencyS: launch latency percentiles in s (unfinished launches count as +infinity)
 * - failureRate: failed launches / launches (0..1)
 * - mountOpsPerContainer: mount operations (bind mounts, overlay mounts, bind umounts) per container
 * - bindMountSyscallsPerContainer: open_tree + mount_setattr + move_mount calls per container
 * - lockWaitingShare: share of on-CPU mount-path time spent spinning on locks (0..1)
 * - throughputPerS: launches finished per simulated second
 * - maxHostMounts, maxSystemMounts, maxReceivers
 * - mountLockWaitUs, namespaceSemWaitUs: mean wait per acquisition in us
 * Pause-bench points report: latencyNs (per acquisition, request to release), throughputPerS.
 */
export type MetricName = string;

export interface PointSummary {
  readonly index: number;
  readonly coordinates: Readonly<Record<string, string | number | boolean>>;
  /** Machine name as resolved (family plus variant). */
  readonly machine: string;
  readonly metrics: Readonly<Record<MetricName, Estimate>>;
}

export interface ScenarioSummary {
  readonly scenario: string;
  readonly seeds: readonly string[];
  readonly points: readonly PointSummary[];
}
