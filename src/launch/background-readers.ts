/**
 * Mechanism 4: other processes' path lookups. Every lookup on the node reads
 * the walk seqlock's count in path_init (fs/namei.c) and, in RCU-walk mode,
 * checks it again when the walk ends. They are held as one closed
 * population of the node's CPUs rather than one process each:
 *
 * - A CPU the launch does not occupy starts a walk at `pathWalksPerCpuPerSecond`.
 *   One that finds the count odd spins on the line until a release; a
 *   spinning CPU starts nothing else. So with `S` of the `N` free CPUs
 *   spinning, walkers arrive at (N - S) x lambda, and over an odd interval
 *   S moves to N - (N - S) e^(-lambda t): as writes keep the count odd more
 *   of the time, readers pile up.
 * - A release's re-read burst frees the spinners at their places in it
 *   (spread evenly over the burst). Each walks for `path_walk`. A walk in
 *   RCU mode whose next write lands before it is done fails read_seqretry
 *   and is redone once in ref-walk mode (filename_lookup on -ECHILD), whose
 *   path_init sees the count odd: it spins again, and completes once
 *   freed (ref-walk does not check the count again). So do RCU walks that
 *   began in the even window less than a walk before the next write. As the
 *   even windows shrink below a walk, every lookup takes two spins and two
 *   walks.
 * - At the line: every unit holding a spinner re-reads after each write;
 *   every unit that read since the last write made the line shared. The
 *   expected number of distinct fan-out units among k walkers on uniformly
 *   chosen online CPUs is sum_u 1 - (1 - p_u)^k (tables over k, linear
 *   between integers), each costing its unit's fan-out read.
 * - On the holder's SMT sibling, a spinning walker slows the holder by the
 *   spinning-sibling slowdown and a walking one by the working-sibling
 *   slowdown, over the expected share of the section; and a section with
 *   RCU-mode spinners (inside rcu_read_lock) at its end holds an expedited
 *   grace period open until it ends (drawn with the chance of at least one
 *   spinner, Poisson in the mean).
 *
 * Exact for the means (a test runs the same storm of lookups one process per
 * CPU and compares); the spread between individual walkers is not drawn.
 */
import type { RandomStream } from '../engine/index.js';
import type { ExpeditedRcu, SeqLock, SeqReaderPopulation } from '../kernel/index.js';
import type { Topology } from '../topology/index.js';
import type { NodeEnvironment } from '../models/types.js';
import type { BackgroundStats } from './node-services.js';

export class BackgroundReaders implements SeqReaderPopulation {
  /** Walks per ns started by one free, non-spinning CPU. */
  private readonly lambda: number;
  private readonly online: number;
  /** Online SMT siblings of each CPU (where a walker can run next to a holder). */
  private readonly onlineSiblings: Int32Array;
  private readonly unitReadNs: Float64Array;
  /** expectedNs[k]: home time of the re-reads of the units holding k walkers. */
  private readonly expectedNs: Float64Array;
  /** unitHit[u * (online + 1) + k]: chance that unit u holds one of k walkers. */
  private readonly unitHit: Float64Array;
  /** Walkers spinning now (the count is odd): in RCU mode (first attempt), and redone in ref-walk mode. */
  private spinning = 0;
  private spinningRef = 0;
  /** RCU-mode walkers the last release's burst freed; whether their walks survive is settled when the count next turns odd. */
  private freed = 0;
  private burstStartNs = 0;
  private burstEndNs = 0;
  private odd = false;
  /** Time `spinning` has been advanced to. */
  private advancedNs = 0;
  /** When the count last turned even. */
  private evenFromNs = 0;
  /** Expected walks completed and redone. */
  private completedWalks = 0;
  private redoneWalks = 0;

  constructor(
    private readonly topology: Topology,
    environment: NodeEnvironment,
    private readonly walkNs: number,
    private readonly rcu: ExpeditedRcu | null,
    private readonly stream: RandomStream,
    private readonly stats: BackgroundStats,
    /** CPUs the launch's threads occupy now. */
    private readonly busyCpus: () => number,
    walkLock: SeqLock,
    maxCpu: number,
  ) {
    this.lambda = environment.pathWalksPerCpuPerSecond / 1e9;
    const online = topology.onlineCpus;
    this.online = online.length;
    const onlineIds = new Set(online.map((c) => c.id));
    this.onlineSiblings = new Int32Array(maxCpu + 1);
    for (const c of online) this.onlineSiblings[c.id] = topology.siblings(c.id).filter((id) => onlineIds.has(id)).length;
    let maxUnit = 0;
    for (const cpu of online) maxUnit = Math.max(maxUnit, topology.fanOutUnit(cpu.id));
    const share = new Float64Array(maxUnit + 1);
    this.unitReadNs = new Float64Array(maxUnit + 1);
    for (const cpu of online) {
      const unit = topology.fanOutUnit(cpu.id);
      share[unit] += 1 / online.length;
      this.unitReadNs[unit] = topology.fanOutReadNs(unit, walkLock.line.homeNode);
    }
    const counts = this.online + 1;
    this.unitHit = new Float64Array((maxUnit + 1) * counts);
    this.expectedNs = new Float64Array(counts);
    for (let unit = 0; unit <= maxUnit; unit++) {
      if (share[unit] === 0) continue;
      for (let k = 1; k < counts; k++) {
        const hit = 1 - Math.pow(1 - share[unit], k);
        this.unitHit[unit * counts + k] = hit;
        this.expectedNs[k] += hit * this.unitReadNs[unit];
      }
    }
    walkLock.attachPopulation(this);
  }

  /** Walkers spinning on the line now (expected). */
  get spinners(): number {
    return this.spinning + this.spinningRef;
  }

  writeBegan(atNs: number): void {
    const free = this.freeCpus();
    // Walks that read the even count less than a walk before this write fail their read_seqretry;
    // counted on the CPUs not busy with the walks the last burst freed.
    const windowNs = Math.max(0, atNs - this.evenFromNs);
    const idle = Math.max(0, free - this.freed);
    const started = idle * this.lambda * windowNs;
    const failed = idle * this.lambda * Math.min(this.walkNs, windowNs);
    this.completedWalks += started - failed;
    this.redone(failed);
    if (this.freed > 0) {
      const survived = this.freed * this.survivingShare(atNs);
      this.completedWalks += survived;
      this.redone(this.freed - survived);
      this.freed = 0;
    }
    const spinning = this.spinning + this.spinningRef;
    if (spinning > free) {
      this.spinning *= free / spinning;
      this.spinningRef *= free / spinning;
    }
    this.odd = true;
    this.advancedNs = atNs;
  }

  writeEnded(atNs: number, burstStartNs: number, burstEndNs: number): void {
    this.advance(atNs);
    this.freed = this.spinning;
    // Ref-walk spinners walk to the end once freed.
    this.completedWalks += this.spinningRef;
    this.spinning = 0;
    this.spinningRef = 0;
    this.burstStartNs = burstStartNs;
    this.burstEndNs = burstEndNs;
    this.odd = false;
    this.evenFromNs = atNs;
  }

  readsSinceNs(sinceNs: number, atNs: number, writerUnit: number): number {
    if (atNs <= sinceNs) return 0;
    return this.unitsNs(this.freeCpus() * this.lambda * (atNs - sinceNs), writerUnit);
  }

  burstNs(atNs: number, writerUnit: number): number {
    if (!this.odd) return 0;
    this.advance(atNs);
    return this.unitsNs(this.spinning + this.spinningRef, writerUnit);
  }

  /**
   * Factor by which a write section of `holdNs` starting now on `cpu`
   * stretches because walkers run on the holder's SMT siblings: spinning
   * ones over the expected spinning share of the section, walking ones over
   * the share of time a free CPU walks.
   */
  siblingStretch(cpu: number, holdNs: number): number {
    if (this.lambda === 0 || this.onlineSiblings[cpu] === 0 || holdNs <= 0) return 1;
    const free = this.freeCpus();
    if (free <= 0) return 1;
    const x = this.lambda * holdNs;
    const s0 = Math.min(this.spinning + this.spinningRef, free);
    const meanSpinning = free - (free - s0) * (x < 1e-9 ? 1 - x / 2 : (1 - Math.exp(-x)) / x);
    const spinShare = Math.min(1, meanSpinning / free);
    const walkShare = Math.min(1, this.lambda * this.walkNs) * (1 - spinShare);
    const topology = this.topology;
    return 1 + (topology.smtSpinSlowdown - 1) * spinShare + (topology.smtSlowdown - 1) * walkShare;
  }

  /** RCU-mode walkers still spinning when a write section of `holdNs` from now ends hold an expedited grace period open until then. */
  holdGracePeriod(nowNs: number, holdNs: number): void {
    if (this.rcu === null || this.lambda === 0) return;
    const free = this.freeCpus();
    const idle = Math.max(0, free - this.spinning - this.spinningRef);
    const endSpinning = this.spinning + idle * -Math.expm1(-this.lambda * holdNs);
    if (endSpinning > 0 && this.stream.next() < 1 - Math.exp(-endSpinning)) this.rcu.holdOpenUntil(nowNs + holdNs);
  }

  /** Settles the walks still open at the end of the run into the stats. */
  finish(endNs: number): void {
    if (this.odd) this.advance(endNs);
    this.completedWalks += this.freed + this.spinning + this.spinningRef + (this.odd ? 0 : this.freeCpus() * this.lambda * Math.max(0, endNs - this.evenFromNs));
    this.freed = 0;
    this.stats.backgroundWalkNs = (this.completedWalks + this.redoneWalks) * this.walkNs;
    this.stats.backgroundWalks = this.completedWalks;
    this.stats.backgroundRedoneWalks = this.redoneWalks;
  }

  private freeCpus(): number {
    const free = this.online - this.busyCpus();
    return free > 0 ? free : 0;
  }

  /** Walks redone in ref-walk mode: their path_init finds the count odd, so they spin (outside rcu_read_lock). */
  private redone(count: number): void {
    if (count <= 0) return;
    this.redoneWalks += count;
    this.spinningRef += count;
    this.stats.backgroundSpinners += count;
  }

  /** Share of the walkers freed by the last burst whose walks end before a write landing at `atNs`. */
  private survivingShare(atNs: number): number {
    const latestStartNs = atNs - this.walkNs;
    const spanNs = this.burstEndNs - this.burstStartNs;
    if (spanNs <= 0) return latestStartNs >= this.burstStartNs ? 1 : 0;
    const share = (latestStartNs - this.burstStartNs) / spanNs;
    return share <= 0 ? 0 : share >= 1 ? 1 : share;
  }

  /** Over an odd interval, free CPUs that start a walk find the count odd and join the spinners. */
  private advance(toNs: number): void {
    if (!this.odd || toNs <= this.advancedNs) return;
    const free = this.freeCpus();
    const dt = toNs - this.advancedNs;
    this.advancedNs = toNs;
    const s0 = this.spinning + this.spinningRef;
    const idle = free - s0;
    if (idle <= 0 || this.lambda === 0) {
      this.stats.backgroundSpinNs += s0 * dt;
      return;
    }
    const joined = idle * -Math.expm1(-this.lambda * dt);
    this.stats.backgroundSpinNs += free * dt - joined / this.lambda;
    this.stats.backgroundSpinners += joined;
    this.spinning += joined;
  }

  /** Expected home time of the distinct units holding `k` walkers, the writer's unit left out. */
  private unitsNs(k: number, writerUnit: number): number {
    if (k <= 0) return 0;
    const counts = this.online + 1;
    if (k > this.online) k = this.online;
    const low = Math.floor(k);
    const high = low + 1 < counts ? low + 1 : low;
    const f = k - low;
    const total = this.expectedNs[low] + (this.expectedNs[high] - this.expectedNs[low]) * f;
    if (writerUnit >= this.unitReadNs.length) return total;
    const base = writerUnit * counts;
    const hit = this.unitHit[base + low] + (this.unitHit[base + high] - this.unitHit[base + low]) * f;
    return total - hit * this.unitReadNs[writerUnit];
  }
}
