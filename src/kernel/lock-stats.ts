/**
 * How a lock is observed: every lock reports each request, acquisition,
 * release and handoff to its LockStats, the one observation interface. The
 * default keeps cheap counters and wait/hold distributions, which the launch
 * model and the benchmarks read; a subclass can also record each event
 * (`LockTrace`, for golden traces and tests). Calls carry plain numbers, so
 * observing costs no allocation.
 */
import { emptyCountsByDistance, type CountsByDistance } from '../coherence/cache-line.js';
import type { DistanceClass } from '../topology/index.js';

/** How the lock is held: exclusive spinlock, or a side of a reader-writer lock. */
export type LockMode = 'exclusive' | 'read' | 'write';

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

  /** A CPU asked for the lock. */
  requested(_cpu: number, _nowNs: number, _mode: LockMode): void {}

  /** A CPU holds the lock, `waitNs` after asking; `contended` if it had to wait for a handoff. */
  acquired(_cpu: number, _nowNs: number, _mode: LockMode, waitNs: number, contended: boolean): void {
    this.acquisitions++;
    if (contended) this.contendedAcquisitions++;
    this.totalWaitNs += waitNs;
    if (waitNs > this.maxWaitNs) this.maxWaitNs = waitNs;
    this.waitHistogram.add(waitNs);
  }

  /** A CPU released the lock after holding it `holdNs`. */
  released(_cpu: number, _nowNs: number, _mode: LockMode, holdNs: number): void {
    this.releases++;
    this.totalHoldNs += holdNs;
    if (holdNs > this.maxHoldNs) this.maxHoldNs = holdNs;
    this.holdHistogram.add(holdNs);
  }

  /** The lock passed from `fromCpu` to `toCpu` at a release. */
  handedOff(_fromCpu: number, _toCpu: number, _nowNs: number, _mode: LockMode, distanceClass: DistanceClass): void {
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

/** One observed lock event, as `LockTrace` records it. */
export interface LockEvent {
  readonly event: 'requested' | 'acquired' | 'released' | 'handoff';
  readonly cpu: number;
  readonly timeNs: number;
  readonly mode: LockMode;
  /** acquired: wait since the request. */
  readonly waitNs?: number;
  /** released: hold since the acquisition. */
  readonly holdNs?: number;
  /** handoff: the releasing CPU and how far the lock travelled (`cpu` is the receiver). */
  readonly fromCpu?: number;
  readonly distanceClass?: DistanceClass;
}

/** LockStats that also records every event in order (tests, golden traces). */
export class LockTrace extends LockStats {
  readonly events: LockEvent[] = [];

  override requested(cpu: number, nowNs: number, mode: LockMode): void {
    this.events.push({ event: 'requested', cpu, timeNs: nowNs, mode });
  }

  override acquired(cpu: number, nowNs: number, mode: LockMode, waitNs: number, contended: boolean): void {
    super.acquired(cpu, nowNs, mode, waitNs, contended);
    this.events.push({ event: 'acquired', cpu, timeNs: nowNs, mode, waitNs });
  }

  override released(cpu: number, nowNs: number, mode: LockMode, holdNs: number): void {
    super.released(cpu, nowNs, mode, holdNs);
    this.events.push({ event: 'released', cpu, timeNs: nowNs, mode, holdNs });
  }

  override handedOff(fromCpu: number, toCpu: number, nowNs: number, mode: LockMode, distanceClass: DistanceClass): void {
    super.handedOff(fromCpu, toCpu, nowNs, mode, distanceClass);
    this.events.push({ event: 'handoff', cpu: toCpu, timeNs: nowNs, mode, fromCpu, distanceClass });
  }
}
