/**
 * Cheap per-lock counters, kept by every lock whether or not anyone listens
 * to its probes, so the launch model and the benchmarks can read totals
 * without subscribing. Distributions belong to probe listeners.
 */
import { emptyCountsByDistance, type CountsByDistance } from '../coherence/cache-line.js';
import type { DistanceClass } from '../topology/topology.js';

/**
 * Counts of durations in logarithmic buckets: bucket k holds [2^(k/4), 2^((k+1)/4)) ns,
 * so quantiles come out within ~19% at any scale from 1 ns to hours, in fixed memory.
 */
export class LogHistogram {
  static readonly BUCKETS = 180;
  readonly counts = new Float64Array(LogHistogram.BUCKETS);
  total = 0;

  add(ns: number): void {
    const bucket = ns < 1 ? 0 : Math.min(LogHistogram.BUCKETS - 1, Math.floor(4 * Math.log2(ns)));
    this.counts[bucket]++;
    this.total++;
  }

  /** The q-quantile (0..1), as the geometric middle of its bucket; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < LogHistogram.BUCKETS; bucket++) {
      seen += this.counts[bucket];
      if (seen >= target) return bucket === 0 ? 0 : 2 ** ((bucket + 0.5) / 4);
    }
    return 2 ** (LogHistogram.BUCKETS / 4);
  }
}

export class LockStats {
  acquisitions = 0;
  /** Acquisitions that found the lock busy (had to wait for a handoff). */
  contendedAcquisitions = 0;
  releases = 0;
  totalWaitNs = 0;
  maxWaitNs = 0;
  totalHoldNs = 0;
  maxHoldNs = 0;
  /** Waiting time spent spinning (a busy CPU). */
  spinNs = 0;
  /** Waiting time spent asleep (an idle CPU), rwsem and RCU only. */
  sleepNs = 0;
  readonly handoffsByClass: CountsByDistance = emptyCountsByDistance();
  /** Distributions of wait (request to acquisition) and hold (acquisition to release). */
  readonly waitHistogram = new LogHistogram();
  readonly holdHistogram = new LogHistogram();

  recordAcquire(waitNs: number, contended: boolean): void {
    this.acquisitions++;
    if (contended) this.contendedAcquisitions++;
    this.totalWaitNs += waitNs;
    if (waitNs > this.maxWaitNs) this.maxWaitNs = waitNs;
    this.waitHistogram.add(waitNs);
  }

  recordRelease(holdNs: number): void {
    this.releases++;
    this.totalHoldNs += holdNs;
    if (holdNs > this.maxHoldNs) this.maxHoldNs = holdNs;
    this.holdHistogram.add(holdNs);
  }

  recordHandoff(distanceClass: DistanceClass): void {
    this.handoffsByClass[distanceClass]++;
  }

  get handoffs(): number {
    let total = 0;
    for (const count of Object.values(this.handoffsByClass)) total += count;
    return total;
  }

  get meanWaitNs(): number {
    return this.acquisitions === 0 ? 0 : this.totalWaitNs / this.acquisitions;
  }

  get meanHoldNs(): number {
    return this.releases === 0 ? 0 : this.totalHoldNs / this.releases;
  }
}
