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
 * Counts of durations in log-linear buckets, as HdrHistogram does: below
 * 2^SUB_BITS ns one bucket per ns; above, every octave [2^e, 2^(e+1)) split
 * into 2^SUB_BITS equal sub-buckets. A bucket is then at most 1/128 of its
 * values wide, so a quantile reported as its bucket's middle is within 0.4%
 * of the exact one (and within 0.5 ns below 128 ns), from 1 ns to days, in
 * fixed memory (5,760 counts). The smallest and largest values are kept
 * exactly, and a quantile never leaves that range.
 */
export class LogHistogram {
  static readonly SUB_BITS = 7;
  static readonly SUB_BUCKETS = 1 << LogHistogram.SUB_BITS;
  /** Octaves above the linear range: up to 2^50 ns (13 days); longer values land in the last bucket. */
  static readonly MAX_EXPONENT = 50;
  static readonly BUCKETS = (LogHistogram.MAX_EXPONENT - LogHistogram.SUB_BITS + 2) * LogHistogram.SUB_BUCKETS;
  readonly counts = new Float64Array(LogHistogram.BUCKETS);
  total = 0;
  minNs = Infinity;
  maxNs = -Infinity;

  add(ns: number): void {
    this.counts[LogHistogram.bucketOf(ns)]++;
    this.total++;
    if (ns < this.minNs) this.minNs = ns;
    if (ns > this.maxNs) this.maxNs = ns;
  }

  /** The bucket holding `ns` (negative and NaN values count as 0). */
  static bucketOf(ns: number): number {
    const sub = LogHistogram.SUB_BUCKETS;
    if (!(ns >= sub)) return ns > 0 ? Math.floor(ns) : 0;
    if (ns < 2 ** 31) {
      // The common case in integer arithmetic: the octave from the leading zeros, the offset by a shift.
      const whole = ns | 0;
      const e = 31 - Math.clz32(whole);
      return (e - LogHistogram.SUB_BITS + 1) * sub + ((whole >>> (e - LogHistogram.SUB_BITS)) - sub);
    }
    let exponent = Math.floor(Math.log2(ns));
    if (exponent > LogHistogram.MAX_EXPONENT) return LogHistogram.BUCKETS - 1;
    let offset = Math.floor(ns / 2 ** (exponent - LogHistogram.SUB_BITS));
    // log2 can round across an octave boundary; the offset must lie in [sub, 2 sub).
    if (offset >= 2 * sub) offset = Math.floor(ns / 2 ** (++exponent - LogHistogram.SUB_BITS));
    else if (offset < sub) offset = Math.floor(ns / 2 ** (--exponent - LogHistogram.SUB_BITS));
    return Math.min(LogHistogram.BUCKETS - 1, (exponent - LogHistogram.SUB_BITS + 1) * sub + (offset - sub));
  }

  /** The middle of a bucket, in ns (bucket 0, [0, 1) ns, reads as 0). */
  static middleOf(bucket: number): number {
    const sub = LogHistogram.SUB_BUCKETS;
    if (bucket < sub) return bucket === 0 ? 0 : bucket + 0.5;
    const exponent = Math.floor(bucket / sub) - 1 + LogHistogram.SUB_BITS;
    const width = 2 ** (exponent - LogHistogram.SUB_BITS);
    return (sub + (bucket % sub) + 0.5) * width;
  }

  /** The q-quantile (0..1), nearest rank, as the middle of its bucket clamped to the values seen; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.total));
    // The first and last ranks are the extremes, kept exactly.
    if (target === 1) return Math.max(0, this.minNs);
    if (target >= this.total) return this.maxNs;
    let seen = 0;
    for (let bucket = 0; bucket < LogHistogram.BUCKETS; bucket++) {
      seen += this.counts[bucket];
      if (seen >= target) return Math.min(this.maxNs, Math.max(bucket === 0 ? 0 : this.minNs, LogHistogram.middleOf(bucket)));
    }
    return this.maxNs;
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
