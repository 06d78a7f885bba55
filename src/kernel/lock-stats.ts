/**
 * Cheap per-lock counters, kept by every lock whether or not anyone listens
 * to its probes, so the launch model and the benchmarks can read totals
 * without subscribing. Distributions belong to probe listeners.
 */
import { emptyCountsByDistance, type CountsByDistance } from '../coherence/cache-line.js';
import type { DistanceClass } from '../topology/topology.js';

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

  recordAcquire(waitNs: number, contended: boolean): void {
    this.acquisitions++;
    if (contended) this.contendedAcquisitions++;
    this.totalWaitNs += waitNs;
    if (waitNs > this.maxWaitNs) this.maxWaitNs = waitNs;
  }

  recordRelease(holdNs: number): void {
    this.releases++;
    this.totalHoldNs += holdNs;
    if (holdNs > this.maxHoldNs) this.maxHoldNs = holdNs;
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
