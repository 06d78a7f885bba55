/**
 * One contended 64-byte cache line (a lock word, or mount_lock's lock word
 * plus sequence count), as the mission's coherence model describes it.
 *
 * The line has an owner (the CPU that last wrote it), copies in the caches
 * of the units that read it since, and a home: the home CHA's TOR on a mesh,
 * the IO-die home on a chiplet. Every request that crosses fan-out units
 * (mesh: physical cores; chiplet: CCDs; see `Topology.fanOutUnit`) is served
 * by the home one at a time, in arrival order. The home is an analytic FIFO
 * server in time, `homeFreeAtNs`: a request arriving at t starts service at
 * max(t, homeFreeAtNs) and occupies the home for its service time. No events
 * are needed; callers schedule their own wake-ups from the returned times.
 *
 * Conventions (chosen here, stated once):
 * - The latency a requester sees is its queueing delay at the home plus the
 *   measured one-way transfer (`Topology.transferNs`), which already contains
 *   one trip through the home. A transfer holds the home for
 *   `homeOccupancy` x its latency (docs/hardware.md §4.1, S_home ~ L), so a
 *   machine whose handoffs are slower also serves fewer of them per second.
 * - Transfers inside one fan-out unit (SMT siblings sharing L1/L2; on a
 *   chiplet, cores of one CCD behind its L3) never reach the home, unless
 *   other units hold copies that must be invalidated.
 * - A write (`write`) makes the writer the owner and invalidates every copy.
 *   Each unit with a CPU spinning on the line re-reads it through the home,
 *   one request per unit, in the order the units began spinning; the
 *   writer's next request and everyone else's queue behind that burst.
 *   Readers the model does not track one by one (a population, see
 *   `UntrackedSharers`) add their expected re-reads to the burst.
 * - A read (`read`) by a unit whose copy is older than the last write is a
 *   miss served by the home for one fan-out read; a unit whose copy is
 *   current reads it from its own cache for nothing.
 * - Older lock models (ticket, test-and-set, rwsem) use `transferTo`,
 *   `fanOut` and `fanOutSchedule`: a transfer without the burst, and the
 *   burst on its own, each placed at the home the same way.
 */
import type { Simulation } from '../engine/index.js';
import type { DistanceClass, Topology } from '../topology/index.js';

/** Which line mechanisms run: both on, except in an ablation. */
export interface LineSwitches {
  /** false: the home serves every request on arrival (an infinite server); its occupancy is still counted. */
  readonly homeQueueing: boolean;
  /** false: spinners re-read a written line for nothing (no burst at the home). */
  readonly fanOut: boolean;
}

export const ALL_LINE_SWITCHES: LineSwitches = { homeQueueing: true, fanOut: true };

/** What the coherence model needs from its surroundings. */
export interface CoherenceContext {
  readonly sim: Simulation;
  readonly topology: Topology;
  readonly lineSwitches?: LineSwitches;
}

/**
 * Readers of a line that the model holds as a population rather than one
 * process each (other processes' path walks): their expected home time.
 */
export interface UntrackedSharers {
  /** Home time of the first reads by units of the population between the line's last write at `sinceNs` and `atNs`, the writer's unit left out. */
  readsSinceNs(sinceNs: number, atNs: number, writerUnit: number): number;
  /** Home time of the re-reads by the population's spinning units after a write at `atNs`, the writer's unit left out. */
  burstNs(atNs: number, writerUnit: number): number;
}

export type CountsByDistance = Record<DistanceClass, number>;

export function emptyCountsByDistance(): CountsByDistance {
  return { self: 0, smt: 0, domain: 0, 'cross-domain': 0, 'cross-socket': 0 };
}

/** One release's re-read burst at the home, in absolute simulated time. */
export interface FanOut {
  /** When the home starts serving the first re-read (after any queue). */
  readonly startNs: number;
  /** Home time spent on the re-reads, summed. */
  readonly totalNs: number;
  /** When the last re-read has been served. */
  readonly endNs: number;
  /** Fan-out units that re-read through the home (the writer's own unit excluded). */
  readonly units: number;
}

export interface FanOutSchedule extends FanOut {
  /** Absolute time the home starts serving `unit`'s re-read; units served locally get `localNs`. */
  readStartNs(unit: number): number;
  /** When the writer's own unit sees the write (served by its L1/L3, not the home). */
  readonly localNs: number;
}

export interface CacheLineStats {
  readonly transfersByClass: CountsByDistance;
  /** Writes (RFOs and upgrades) of the line, and those that needed the home. */
  writes: number;
  homeWrites: number;
  /** Re-reads served by the home after writes, one per spinning unit per write (the population's in expectation). */
  fanOutReads: number;
  /** Total time the home was occupied by this line, ns. */
  homeBusyNs: number;
  /** Total time requests waited for the home, ns. */
  homeQueueNs: number;
}

export class CacheLine {
  /** CPU that last wrote the line, or -1 if it still sits at its home. */
  owner = -1;
  /** Time the home agent finishes the requests queued so far. */
  homeFreeAtNs = 0;
  readonly homeNode: number;
  readonly stats: CacheLineStats = { transfersByClass: emptyCountsByDistance(), writes: 0, homeWrites: 0, fanOutReads: 0, homeBusyNs: 0, homeQueueNs: 0 };
  /** Readers held as a population (set by the lock that has them). */
  untracked: UntrackedSharers | null = null;
  /** When the last write completed. */
  lastWriteNs = 0;
  /** Where the last write's re-read burst sits at the home. */
  burstStartNs = 0;
  burstEndNs = 0;
  private readonly switches: LineSwitches;
  // Spinning units, per unit index: how many CPUs spin, and a list in the order the units began
  // spinning (deterministic, and the order their first requests reached the home). Typed arrays
  // and an intrusive list rather than a Map: a spinner comes and goes on every contended wait.
  private readonly unitSpinners: Int32Array;
  private readonly unitRead: Float64Array;
  private readonly nextUnit: Int32Array;
  private readonly prevUnit: Int32Array;
  private firstUnit = -1;
  private lastUnit = -1;
  private activeUnits = 0;
  private readonly unitStartNs: Float64Array;
  private readonly unitStamps: Uint32Array;
  private scheduleStamp = 0;
  /** Per unit, 1 + the write count when its copy was read: the copy is current when it equals 1 + writes. */
  private readonly unitCopy: Uint32Array;
  private version = 0;
  /** Some unit read the line since the last write (so a write by the owner must invalidate). */
  private shared = false;
  private spinners = 0;
  private readSumNs = 0;

  constructor(
    private readonly context: CoherenceContext,
    readonly name = 'line',
    homeNode?: number,
  ) {
    this.homeNode = homeNode ?? context.topology.globalsHomeNode;
    this.switches = context.lineSwitches ?? ALL_LINE_SWITCHES;
    let maxUnit = 0;
    for (const cpu of context.topology.possibleCpus) maxUnit = Math.max(maxUnit, context.topology.fanOutUnit(cpu.id));
    for (const cpu of context.topology.cpus) maxUnit = Math.max(maxUnit, context.topology.fanOutUnit(cpu.id));
    this.unitStartNs = new Float64Array(maxUnit + 1);
    this.unitStamps = new Uint32Array(maxUnit + 1);
    this.unitSpinners = new Int32Array(maxUnit + 1);
    this.unitCopy = new Uint32Array(maxUnit + 1);
    this.unitRead = new Float64Array(maxUnit + 1).fill(NaN);
    this.nextUnit = new Int32Array(maxUnit + 1).fill(-1);
    this.prevUnit = new Int32Array(maxUnit + 1).fill(-1);
  }

  get spinningUnits(): number {
    return this.activeUnits;
  }

  get spinnerCount(): number {
    return this.spinners;
  }

  /**
   * A write of the line by `cpu` issued at `atNs` (an RFO, or an upgrade of
   * a shared copy): returns the absolute time it completes. Every other
   * unit's copy is invalidated; spinning units re-read in a burst queued at
   * the home right after it (`burstStartNs`..`burstEndNs`, and each
   * spinning unit's place via `burstReadNs`).
   */
  write(cpu: number, atNs: number): number {
    const topology = this.context.topology;
    const now = this.context.sim.now;
    const issuedNs = atNs < now ? now : atNs;
    const unit = topology.fanOutUnit(cpu);
    const untracked = this.untracked;
    if (untracked !== null) {
      // Population reads since the last write reached the home in the meantime (taken as arriving from that write on).
      const readsNs = this.switches.fanOut ? untracked.readsSinceNs(this.lastWriteNs, issuedNs, unit) : 0;
      if (readsNs > 0) {
        this.serveAtHome(this.lastWriteNs, readsNs);
        this.shared = true;
      }
    }
    const othersSpin = this.activeUnits - (this.unitSpinners[unit] > 0 ? 1 : 0) > 0;
    const from = this.owner;
    let doneNs: number;
    this.stats.writes++;
    if (from === cpu) {
      if (!this.shared && !othersSpin) doneNs = issuedNs;
      else {
        const upgradeNs = topology.upgradeNs(cpu, this.homeNode);
        doneNs = this.serveAtHome(issuedNs, topology.homeOccupancy * upgradeNs) + upgradeNs;
        this.stats.homeWrites++;
      }
    } else if (from < 0) {
      const memoryNs = topology.memoryNs(cpu, this.homeNode);
      doneNs = this.serveAtHome(issuedNs, topology.homeOccupancy * memoryNs) + memoryNs;
      this.stats.homeWrites++;
    } else {
      this.stats.transfersByClass[topology.distanceClass(from, cpu)]++;
      const moveNs = topology.transferNs(from, cpu, this.homeNode);
      if (topology.fanOutUnit(from) === unit && !this.shared && !othersSpin) doneNs = issuedNs + moveNs;
      else {
        doneNs = this.serveAtHome(issuedNs, topology.homeOccupancy * moveNs) + moveNs;
        this.stats.homeWrites++;
      }
    }
    this.owner = cpu;
    this.version++;
    this.lastWriteNs = doneNs;
    this.unitCopy[unit] = this.version + 1;
    this.scheduleBurst(unit, doneNs, untracked === null ? 0 : untracked.burstNs(doneNs, unit));
    return doneNs;
  }

  /**
   * Where `unit`'s re-read sits in the last write's burst: the absolute
   * time the home starts serving it. A unit that was not spinning, or the
   * writer's own, sees the write when it completes.
   */
  burstReadNs(unit: number): number {
    return this.unitStamps[unit] === this.scheduleStamp ? this.unitStartNs[unit] : this.lastWriteNs;
  }

  /**
   * A read of the line by `cpu` at `atNs` (not spinning): returns the
   * absolute time it has the value. A unit whose copy is current reads its
   * own cache; otherwise the home serves one fan-out read and the value
   * comes from the owner (or from memory if nobody owns the line).
   */
  read(cpu: number, atNs: number): number {
    const topology = this.context.topology;
    const now = this.context.sim.now;
    const issuedNs = atNs < now ? now : atNs;
    const unit = topology.fanOutUnit(cpu);
    if (this.unitCopy[unit] === this.version + 1) return issuedNs;
    this.unitCopy[unit] = this.version + 1;
    const owner = this.owner;
    if (owner >= 0 && topology.fanOutUnit(owner) === unit) return issuedNs + topology.transferNs(owner, cpu, this.homeNode);
    this.shared = true;
    const latencyNs = owner >= 0 ? topology.transferNs(owner, cpu, this.homeNode) : topology.memoryNs(cpu, this.homeNode);
    if (!this.switches.fanOut) return issuedNs + latencyNs;
    this.stats.fanOutReads++;
    return this.serveAtHome(issuedNs, this.readNsOf(unit)) + latencyNs;
  }

  /**
   * `cpu` starts spinning on the line at `atNs`: its first read (a miss if
   * its unit's copy is stale), then a re-read after every write until
   * `removeSpinner`. Returns the absolute time of the first read.
   */
  addSpinner(cpu: number, atNs?: number): number {
    const seenNs = atNs === undefined ? this.context.sim.now : this.read(cpu, atNs);
    const unit = this.context.topology.fanOutUnit(cpu);
    this.spinners++;
    if (this.unitSpinners[unit]++ > 0) return seenNs;
    const readNs = this.readNsOf(unit);
    this.prevUnit[unit] = this.lastUnit;
    this.nextUnit[unit] = -1;
    if (this.lastUnit >= 0) this.nextUnit[this.lastUnit] = unit;
    else this.firstUnit = unit;
    this.lastUnit = unit;
    this.activeUnits++;
    this.readSumNs += readNs;
    return seenNs;
  }

  removeSpinner(cpu: number): void {
    const unit = this.context.topology.fanOutUnit(cpu);
    if (this.unitSpinners[unit] === 0) throw new Error(`cpu ${cpu} is not spinning on ${this.name}`);
    this.spinners--;
    if (--this.unitSpinners[unit] > 0) return;
    const prev = this.prevUnit[unit];
    const next = this.nextUnit[unit];
    if (prev >= 0) this.nextUnit[prev] = next;
    else this.firstUnit = next;
    if (next >= 0) this.prevUnit[next] = prev;
    else this.lastUnit = prev;
    this.activeUnits--;
    // Reset on empty so rounding from add/subtract cannot accumulate.
    this.readSumNs = this.activeUnits === 0 ? 0 : this.readSumNs - this.unitRead[unit];
  }

  /** True if some CPU of `unit` spins on the line. */
  hasSpinnersIn(unit: number): boolean {
    return this.unitSpinners[unit] > 0;
  }

  /** Home time for one re-read by `unit` (0 if it does not spin here). */
  unitReadNs(unit: number): number {
    return this.unitSpinners[unit] > 0 ? this.unitRead[unit] : 0;
  }

  /**
   * Makes `cpu` the owner without the re-read burst (older lock models
   * charge the burst themselves with `fanOut`); returns ns from now until
   * it holds the line. `atNs` (>= now) is when the request leaves the CPU.
   */
  transferTo(cpu: number, atNs?: number): number {
    const topology = this.context.topology;
    const now = this.context.sim.now;
    const issuedNs = atNs === undefined || atNs < now ? now : atNs;
    const from = this.owner;
    if (from === cpu) return issuedNs - now;
    this.owner = cpu;
    this.version++;
    this.stats.writes++;
    this.stats.homeWrites++;
    if (from < 0) {
      const memoryNs = topology.memoryNs(cpu, this.homeNode);
      return this.serveAtHome(issuedNs, topology.homeOccupancy * memoryNs) + memoryNs - now;
    }
    this.stats.transfersByClass[topology.distanceClass(from, cpu)]++;
    const moveNs = topology.transferNs(from, cpu, this.homeNode);
    if (topology.fanOutUnit(from) === topology.fanOutUnit(cpu)) {
      this.stats.homeWrites--;
      return issuedNs + moveNs - now;
    }
    return this.serveAtHome(issuedNs, topology.homeOccupancy * moveNs) + moveNs - now;
  }

  /**
   * A write by `writerCpu` invalidated every spinner's copy: each spinning
   * unit re-reads once through the home, serially. The writer's own unit is
   * served locally (its L1, or on a chiplet its CCD's L3). Occupies the home;
   * returns the home time spent.
   */
  fanOutNs(writerCpu: number, atNs?: number): number {
    return this.fanOut(writerCpu, atNs).totalNs;
  }

  fanOut(writerCpu: number, atNs?: number): FanOut {
    const now = this.context.sim.now;
    const issuedNs = atNs === undefined || atNs < now ? now : atNs;
    const writerUnit = this.context.topology.fanOutUnit(writerCpu);
    let totalNs = this.readSumNs;
    let units = this.activeUnits;
    if (this.unitSpinners[writerUnit] > 0) {
      totalNs -= this.unitRead[writerUnit];
      units--;
    }
    if (units === 0 || !this.switches.fanOut) return { startNs: issuedNs, totalNs: 0, endNs: issuedNs, units: 0 };
    const startNs = this.serveAtHome(issuedNs, totalNs);
    this.stats.fanOutReads += units;
    return { startNs, totalNs, endNs: startNs + totalNs, units };
  }

  /** As `fanOut`, with each unit's place in the burst (units served in spinning order). */
  fanOutSchedule(writerCpu: number, atNs?: number): FanOutSchedule {
    const burst = this.fanOut(writerCpu, atNs);
    const writerUnit = this.context.topology.fanOutUnit(writerCpu);
    // Start times live in arrays stamped per schedule: no allocation per write.
    const stamp = ++this.scheduleStamp;
    const starts = this.unitStartNs;
    const stamps = this.unitStamps;
    let t = burst.startNs;
    for (let unit = this.firstUnit; unit >= 0; unit = this.nextUnit[unit]) {
      if (unit === writerUnit) continue;
      starts[unit] = t;
      stamps[unit] = stamp;
      if (burst.units > 0) t += this.unitRead[unit];
    }
    const localNs = atNs === undefined ? this.context.sim.now : Math.max(atNs, this.context.sim.now);
    return { ...burst, localNs, readStartNs: (unit) => (stamps[unit] === stamp ? starts[unit] : localNs) };
  }

  /** Occupies the home with extra requests (e.g. failed RMWs of TAS spinners). */
  occupyHome(serviceNs: number, atNs?: number): number {
    const now = this.context.sim.now;
    return this.serveAtHome(atNs === undefined || atNs < now ? now : atNs, serviceNs);
  }

  /**
   * The re-read burst after a write by `writerUnit` completed at `doneNs`:
   * the tracked spinning units in spinning order, the population's expected
   * re-reads spread evenly among them (each tracked unit's expected place).
   */
  private scheduleBurst(writerUnit: number, doneNs: number, untrackedNs: number): void {
    const stamp = ++this.scheduleStamp;
    let trackedNs = this.readSumNs;
    let units = this.activeUnits;
    if (this.unitSpinners[writerUnit] > 0) {
      trackedNs -= this.unitRead[writerUnit];
      units--;
    }
    const copy = this.version + 1;
    if (!this.switches.fanOut || (units === 0 && untrackedNs === 0)) {
      this.burstStartNs = this.burstEndNs = doneNs;
      this.shared = units > 0;
      for (let unit = this.firstUnit; unit >= 0; unit = this.nextUnit[unit]) this.unitCopy[unit] = copy;
      return;
    }
    const startNs = this.serveAtHome(doneNs, trackedNs + untrackedNs);
    this.burstStartNs = startNs;
    this.burstEndNs = startNs + trackedNs + untrackedNs;
    this.stats.fanOutReads += units;
    this.shared = true;
    const gapNs = untrackedNs / (units + 1);
    const starts = this.unitStartNs;
    const stamps = this.unitStamps;
    let t = startNs;
    for (let unit = this.firstUnit; unit >= 0; unit = this.nextUnit[unit]) {
      this.unitCopy[unit] = copy;
      if (unit === writerUnit) continue;
      t += gapNs;
      starts[unit] = t;
      stamps[unit] = stamp;
      t += this.unitRead[unit];
    }
  }

  private readNsOf(unit: number): number {
    let readNs = this.unitRead[unit];
    if (Number.isNaN(readNs)) readNs = this.unitRead[unit] = this.context.topology.fanOutReadNs(unit, this.homeNode);
    return readNs;
  }

  /** Queues a request at the home; returns the absolute time its service starts. */
  private serveAtHome(arrivalNs: number, serviceNs: number): number {
    this.stats.homeBusyNs += serviceNs;
    if (!this.switches.homeQueueing) return arrivalNs;
    const startNs = arrivalNs > this.homeFreeAtNs ? arrivalNs : this.homeFreeAtNs;
    this.stats.homeQueueNs += startNs - arrivalNs;
    this.homeFreeAtNs = startNs + serviceNs;
    return startNs;
  }
}
