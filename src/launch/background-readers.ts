/**
 * Mechanism 4: other processes' path lookups. Every lookup on the node reads
 * the walk seqlock's count in path_init (fs/namei.c) and, in RCU-walk mode,
 * checks it again when the walk ends. They are held as one closed
 * population of the node's CPUs rather than one process each:
 *
 * - A free CPU (one the launch does not occupy) that is neither walking nor
 *   spinning starts a walk at `pathWalksPerCpuPerSecond`. One that finds
 *   the count odd spins on the line until a release; a spinning or walking
 *   CPU starts nothing else. So with `S` of the `N` free CPUs spinning and
 *   `W` walking, walkers arrive at (N - S - W) x lambda: as writes keep the
 *   count odd more of the time, readers pile up.
 * - A release's re-read burst frees the spinners at their places in it
 *   (spread evenly over the burst); a walker that finds the count even
 *   starts at once. Each walks for `path_walk` and then checks the count
 *   (read_seqretry). A walk in RCU mode that a write began during fails and
 *   is redone once in ref-walk mode (filename_lookup on -ECHILD): its
 *   path_init spins if the count is odd at that moment, and the ref walk
 *   does not check the count again. As the even windows shrink below a
 *   walk, every lookup takes two walks and up to two spins.
 * - The walkers are held as cohorts: a number of them whose next decision
 *   (the end of a walk) falls uniformly over a time window, resolved
 *   against the writes as simulated time passes them.
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
  /** Walks per ns started by one free CPU that neither walks nor spins. */
  private readonly lambda: number;
  private readonly online: number;
  /** Online SMT siblings of each CPU (where a walker can run next to a holder). */
  private readonly onlineSiblings: Int32Array;
  private readonly unitReadNs: Float64Array;
  /** expectedNs[k]: home time of the re-reads of the units holding k walkers. */
  private readonly expectedNs: Float64Array;
  /** unitHit[u * (online + 1) + k]: chance that unit u holds one of k walkers. */
  private readonly unitHit: Float64Array;
  /** Walkers spinning now (the count is odd): in RCU mode (first attempt, inside rcu_read_lock), and redone in ref-walk mode. */
  private spinningRcu = 0;
  private spinningRef = 0;
  // The cohorts, as parallel arrays (a handful live at once; no allocation per write): walkers whose
  // walks end (and who then decide) uniformly over [from, to]; an RCU walk checks the count at its
  // end, a ref walk is done; `done` of `count` have ended so far.
  private cohortCount = 0;
  private cohortRef = new Uint8Array(16);
  private cohortSize = new Float64Array(16);
  private cohortFrom = new Float64Array(16);
  private cohortTo = new Float64Array(16);
  private cohortDone = new Float64Array(16);
  /** Walkers in a walk now (the cohorts' members still walking). */
  private walking = 0;
  private odd = false;
  /** When the last write section's odd count landed. */
  private lastOddNs = -Infinity;
  /** Time the population has been advanced to. */
  private nowNs = 0;
  /** Reads of the count since the line's last write (first reads: each a miss for its unit). */
  private readsSinceWrite = 0;
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
    return this.spinningRcu + this.spinningRef;
  }

  writeBegan(atNs: number): void {
    this.advance(atNs);
    this.odd = true;
    this.lastOddNs = atNs;
  }

  writeEnded(atNs: number, burstStartNs: number, burstEndNs: number, seenAfterNs: number): void {
    this.advance(atNs);
    // The spinners re-read in the burst, see the count `seenAfterNs` later, and walk from there.
    const spinning = this.spinningRcu + this.spinningRef;
    const fromNs = burstStartNs + seenAfterNs;
    const toNs = burstEndNs + seenAfterNs;
    this.stats.backgroundSpinNs += spinning * Math.max(0, (fromNs + toNs) / 2 - atNs);
    const w = this.walkNs;
    this.addCohort(false, this.spinningRcu, fromNs + w, toNs + w);
    this.addCohort(true, this.spinningRef, fromNs + w, toNs + w);
    this.spinningRcu = 0;
    this.spinningRef = 0;
    this.odd = false;
  }

  readsSinceNs(_sinceNs: number, atNs: number, writerUnit: number): number {
    this.advance(atNs);
    const reads = this.readsSinceWrite;
    this.readsSinceWrite = 0;
    return this.unitsNs(reads, writerUnit);
  }

  burstNs(atNs: number, writerUnit: number): number {
    this.advance(atNs);
    return this.unitsNs(this.spinningRcu + this.spinningRef, writerUnit);
  }

  /**
   * Factor by which a write section of `holdNs` starting now on `cpu`
   * stretches because walkers run on the holder's SMT siblings: spinning
   * ones over the expected spinning share of the section, walking ones over
   * the walking share.
   */
  siblingStretch(cpu: number, holdNs: number): number {
    if (this.lambda === 0 || this.onlineSiblings[cpu] === 0 || holdNs <= 0) return 1;
    const free = this.freeCpus();
    if (free <= 0) return 1;
    const spinning = Math.min(this.spinningRcu + this.spinningRef, free);
    const idle = Math.max(0, free - spinning - this.walking);
    const x = this.lambda * holdNs;
    // Over the section, idle CPUs start walks that find the count odd: the mean spinning count grows.
    const joined = x < 1e-9 ? (idle * x) / 2 : idle * (1 - oneMinusExp(x) / x);
    const spinShare = Math.min(1, (spinning + joined) / free);
    const walkShare = Math.min(1 - spinShare, this.walking / free);
    const topology = this.topology;
    return 1 + (topology.smtSpinSlowdown - 1) * spinShare + (topology.smtSlowdown - 1) * walkShare;
  }

  /** RCU-mode walkers still spinning when a write section of `holdNs` from now ends hold an expedited grace period open until then. */
  holdGracePeriod(nowNs: number, holdNs: number): void {
    if (this.rcu === null || this.lambda === 0) return;
    const idle = Math.max(0, this.freeCpus() - this.spinningRcu - this.spinningRef - this.walking);
    const endSpinning = this.spinningRcu + idle * oneMinusExp(this.lambda * holdNs);
    if (endSpinning > 0 && this.stream.next() < 1 - Math.exp(-endSpinning)) this.rcu.holdOpenUntil(nowNs + holdNs);
  }

  /** Settles the walks still open at the end of the run into the stats (each completes, once). */
  finish(endNs: number): void {
    this.advance(endNs);
    for (let i = 0; i < this.cohortCount; i++) this.completedWalks += this.cohortSize[i] - this.cohortDone[i];
    this.completedWalks += this.spinningRcu + this.spinningRef;
    this.cohortCount = 0;
    this.walking = 0;
    this.stats.backgroundWalkNs = (this.completedWalks + this.redoneWalks) * this.walkNs;
    this.stats.backgroundWalks = this.completedWalks;
    this.stats.backgroundRedoneWalks = this.redoneWalks;
  }

  private freeCpus(): number {
    const free = this.online - this.busyCpus();
    return free > 0 ? free : 0;
  }

  private addCohort(refWalk: boolean, count: number, fromNs: number, toNs: number): void {
    if (count <= 1e-12) return;
    const i = this.cohortCount++;
    if (i === this.cohortSize.length) this.growCohorts();
    this.cohortRef[i] = refWalk ? 1 : 0;
    this.cohortSize[i] = count;
    this.cohortFrom[i] = fromNs;
    this.cohortTo[i] = toNs;
    this.cohortDone[i] = 0;
    this.walking += count;
  }

  private growCohorts(): void {
    const grow = <T extends Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.cohortRef = grow(this.cohortRef);
    this.cohortSize = grow(this.cohortSize);
    this.cohortFrom = grow(this.cohortFrom);
    this.cohortTo = grow(this.cohortTo);
    this.cohortDone = grow(this.cohortDone);
  }

  /**
   * Moves the population to `toNs`: walks that end in the meantime decide
   * (an RCU walk a write began during is redone in ref-walk mode, spinning
   * first if the count is odd now), and idle CPUs start walks (spinning if
   * the count is odd). Writes only happen at the calls' times, so the count
   * and the last write's start are constant over the step.
   */
  private advance(toNs: number): void {
    const fromNs = this.nowNs;
    if (toNs <= fromNs) return;
    this.nowNs = toNs;
    const w = this.walkNs;
    const spinningBefore = this.spinningRcu + this.spinningRef;
    const walkingBefore = this.walking;
    // Spinning time over the step: those spinning at its start for all of it; the ones joining below from when they join.
    const dt = toNs - fromNs;
    let spinNs = spinningBefore * dt;
    let size = this.cohortSize;
    let done = this.cohortDone;
    let from = this.cohortFrom;
    let to = this.cohortTo;
    let ref = this.cohortRef;
    let kept = 0;
    // Cohorts added while resolving (failed walks redone) are resolved in this pass too.
    for (let i = 0; i < this.cohortCount; i++) {
      const cFrom = from[i];
      const cTo = to[i];
      const count = size[i];
      const endedAll = toNs >= cTo ? count : toNs < cFrom ? 0 : (count * (toNs - cFrom)) / (cTo - cFrom);
      const ended = endedAll - done[i];
      if (ended > 0) {
        const lo = cFrom > fromNs ? cFrom : fromNs;
        const hi = cTo < toNs ? cTo : toNs;
        done[i] = endedAll;
        this.walking -= ended;
        if (ref[i] === 1) this.completedWalks += ended;
        else {
          // Decisions in [lo, hi]; a walk ending at d read the count at d - w, and fails if the last write began after that.
          const failedShare = hi > lo ? clamp01((this.lastOddNs + w - lo) / (hi - lo)) : this.lastOddNs > lo - w ? 1 : 0;
          const failed = ended * failedShare;
          this.completedWalks += ended - failed;
          if (failed > 0) {
            this.redoneWalks += failed;
            this.readsSinceWrite += failed;
            if (this.odd) {
              this.spinningRef += failed;
              this.stats.backgroundSpinners += failed;
              spinNs += failed * (toNs - (lo + hi) / 2);
            } else {
              this.addCohort(true, failed, lo + w, hi + w);
              // The arrays may have grown.
              size = this.cohortSize;
              done = this.cohortDone;
              from = this.cohortFrom;
              to = this.cohortTo;
              ref = this.cohortRef;
            }
          }
        }
      }
      if (toNs < to[i] && done[i] < size[i] - 1e-12) {
        if (kept !== i) {
          ref[kept] = ref[i];
          size[kept] = size[i];
          from[kept] = from[i];
          to[kept] = to[i];
          done[kept] = done[i];
        }
        kept++;
      } else this.walking -= size[i] - done[i];
    }
    this.cohortCount = kept;
    if (this.walking < 0) this.walking = 0;
    const free = this.freeCpus();
    const spinning = this.spinningRcu + this.spinningRef;
    // Walks that ended during the step kept their CPUs for part of it: the mean of the walking count at its two ends.
    const idle = free - spinning - (walkingBefore + this.walking) / 2;
    let started = 0;
    if (idle > 0 && this.lambda > 0) {
      started = idle * oneMinusExp(this.lambda * dt);
      this.readsSinceWrite += started;
      if (this.odd) {
        this.spinningRcu += started;
        this.stats.backgroundSpinners += started;
        // Arrivals at rate idle x lambda x e^(-lambda t) spin from their arrival to the step's end.
        spinNs += idle * dt - started / this.lambda;
      } else this.addCohort(false, started, fromNs + w, toNs + w);
    }
    this.stats.backgroundSpinNs += spinNs;
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

/** 1 - e^(-x), by its series for the small x of a step or a section (relative error below 2e-9 up to 0.25), else exactly. */
function oneMinusExp(x: number): number {
  if (x < 0.25) return x * (1 - (x / 2) * (1 - (x / 3) * (1 - (x / 4) * (1 - (x / 5) * (1 - (x / 6) * (1 - x / 7))))));
  return -Math.expm1(-x);
}

function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}
