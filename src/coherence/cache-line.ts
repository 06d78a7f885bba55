/**
 * One contended 64-byte cache line (a lock word, or mount_lock's lock word
 * plus sequence count), as the mission's coherence model describes it.
 *
 * The line has an owner (the CPU that last wrote it) and a home node. Every
 * request that crosses fan-out units (mesh: physical cores; chiplet: CCDs;
 * see `Topology.fanOutUnit`) is served by the line's home agent one at a
 * time: the TOR of the home CHA on a mesh, the IO-die home on a chiplet. The
 * home is an analytic FIFO server in time, `homeFreeAtNs`: a request arriving
 * at t starts service at max(t, homeFreeAtNs) and occupies the home for its
 * service time. No events are needed; callers schedule their own wake-ups
 * from the returned delays.
 *
 * Conventions (chosen here, stated once):
 * - The latency a requester sees is its queueing delay at the home plus the
 *   measured one-way transfer (`Topology.transferNs`). The home's own service
 *   time is NOT added to the latency: the measured c2c figure already contains
 *   one trip through the home; the service time only delays later requests.
 * - Transfers inside one fan-out unit (SMT siblings sharing L1/L2; on a
 *   chiplet, cores of one CCD behind its L3) never reach the home.
 * - Reads do not change the owner: a spinner holds a shared copy; only writes
 *   (transfers) move ownership. A write by the current owner costs nothing
 *   here; invalidating the sharers is charged as their fan-out re-reads.
 * - A line nobody owns yet is fetched from the home for `homeServiceNs`.
 */
import type { Simulation } from '../engine/index.js';
import type { DistanceClass, Topology } from '../topology/index.js';

/** What the coherence model needs from its surroundings. */
export interface CoherenceContext {
  readonly sim: Simulation;
  readonly topology: Topology;
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
  /** Re-reads served by the home after writes, one per spinning unit per write. */
  fanOutReads: number;
  /** Total time the home was occupied by this line, ns. */
  homeBusyNs: number;
}

export class CacheLine {
  /** CPU that last wrote the line, or -1 if it still sits at its home. */
  owner = -1;
  /** Time the home agent finishes the requests queued so far. */
  homeFreeAtNs = 0;
  readonly homeNode: number;
  readonly stats: CacheLineStats = { transfersByClass: emptyCountsByDistance(), fanOutReads: 0, homeBusyNs: 0 };
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
  private spinners = 0;
  private readSumNs = 0;

  constructor(
    private readonly context: CoherenceContext,
    readonly name = 'line',
    homeNode?: number,
  ) {
    this.homeNode = homeNode ?? context.topology.globalsHomeNode;
    let maxUnit = 0;
    for (const cpu of context.topology.possibleCpus) maxUnit = Math.max(maxUnit, context.topology.fanOutUnit(cpu.id));
    for (const cpu of context.topology.cpus) maxUnit = Math.max(maxUnit, context.topology.fanOutUnit(cpu.id));
    this.unitStartNs = new Float64Array(maxUnit + 1);
    this.unitStamps = new Uint32Array(maxUnit + 1);
    this.unitSpinners = new Int32Array(maxUnit + 1);
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
   * Makes `cpu` the owner; returns ns from now until it holds the line.
   * `atNs` (>= now) is when the request leaves the CPU, for requests issued
   * after an earlier step of the same operation.
   */
  transferTo(cpu: number, atNs?: number): number {
    const topology = this.context.topology;
    const now = this.context.sim.now;
    const issuedNs = atNs === undefined || atNs < now ? now : atNs;
    const from = this.owner;
    if (from === cpu) return issuedNs - now;
    this.owner = cpu;
    if (from < 0) return this.serveAtHome(issuedNs, topology.homeServiceNs) + topology.homeServiceNs - now;
    this.stats.transfersByClass[topology.distanceClass(from, cpu)]++;
    const moveNs = topology.transferNs(from, cpu, this.homeNode);
    if (topology.fanOutUnit(from) === topology.fanOutUnit(cpu)) return issuedNs + moveNs - now;
    return this.serveAtHome(issuedNs, topology.homeServiceNs) + moveNs - now;
  }

  addSpinner(cpu: number): void {
    const unit = this.context.topology.fanOutUnit(cpu);
    this.spinners++;
    if (this.unitSpinners[unit]++ > 0) return;
    let readNs = this.unitRead[unit];
    if (Number.isNaN(readNs)) readNs = this.unitRead[unit] = this.context.topology.fanOutReadNs(unit, this.homeNode);
    this.prevUnit[unit] = this.lastUnit;
    this.nextUnit[unit] = -1;
    if (this.lastUnit >= 0) this.nextUnit[this.lastUnit] = unit;
    else this.firstUnit = unit;
    this.lastUnit = unit;
    this.activeUnits++;
    this.readSumNs += readNs;
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
    if (units === 0) return { startNs: issuedNs, totalNs: 0, endNs: issuedNs, units: 0 };
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
      t += this.unitRead[unit];
    }
    const localNs = atNs === undefined ? this.context.sim.now : Math.max(atNs, this.context.sim.now);
    return { ...burst, localNs, readStartNs: (unit) => (stamps[unit] === stamp ? starts[unit] : localNs) };
  }
  /**
   * A write's fan-out with a start time for each listed CPU's unit, served in
   * the order the CPUs are listed (the order they began spinning); units of
   * other spinners follow them. Returns the time each listed CPU's unit starts
   * its re-read (its own unit: when the write is seen locally), in `out`.
   */
  fanOutInOrder(writerCpu: number, cpus: readonly number[], out: Float64Array): void {
    const burst = this.fanOut(writerCpu);
    const topology = this.context.topology;
    const writerUnit = topology.fanOutUnit(writerCpu);
    const stamp = ++this.scheduleStamp;
    const starts = this.unitStartNs;
    const stamps = this.unitStamps;
    const localNs = this.context.sim.now;
    let t = burst.startNs;
    for (let i = 0; i < cpus.length; i++) {
      const unit = topology.fanOutUnit(cpus[i]);
      if (unit === writerUnit) {
        out[i] = localNs;
        continue;
      }
      if (stamps[unit] !== stamp) {
        stamps[unit] = stamp;
        starts[unit] = t;
        t += this.unitReadNs(unit);
      }
      out[i] = starts[unit];
    }
  }



  /** Occupies the home with extra requests (e.g. failed RMWs of TAS spinners). */
  occupyHome(serviceNs: number, atNs?: number): number {
    const now = this.context.sim.now;
    return this.serveAtHome(atNs === undefined || atNs < now ? now : atNs, serviceNs);
  }

  /** Queues a request at the home; returns the absolute time its service starts. */
  private serveAtHome(arrivalNs: number, serviceNs: number): number {
    const startNs = arrivalNs > this.homeFreeAtNs ? arrivalNs : this.homeFreeAtNs;
    this.homeFreeAtNs = startNs + serviceNs;
    this.stats.homeBusyNs += serviceNs;
    return startNs;
  }
}
