/**
 * A machine as the lock model sees it: a frozen object you ask questions of.
 * Built once from a model file (plus a variant) by `buildTopology`, never
 * mutated afterwards. Mesh (Intel, Graviton) and chiplet (AMD) parts are two
 * implementations of this one interface.
 *
 * All CPU arguments are logical CPU ids as Linux numbers them on the instance
 * (the `id` of a `Cpu`). All times are nanoseconds.
 */

/** How far apart two CPUs are, as far as moving a cache line goes. */
export type DistanceClass = 'self' | 'smt' | 'domain' | 'cross-domain' | 'cross-socket';

export const DISTANCE_CLASSES: readonly DistanceClass[] = ['self', 'smt', 'domain', 'cross-domain', 'cross-socket'];

export interface Cpu {
  /** Logical CPU id (Linux numbering). */
  readonly id: number;
  /** Physical core index, unique across the machine. */
  readonly core: number;
  /** Hardware thread within the core, 0 .. threadsPerCore-1. */
  readonly thread: number;
  /** L3 domain index, unique across the machine (a socket's mesh, or one CCD). */
  readonly domain: number;
  readonly socket: number;
  /** NUMA node (differs from socket with sub-NUMA clustering). */
  readonly node: number;
}

export type CoherenceKind = 'mesh' | 'chiplet';

export interface Topology {
  /** Family name plus variant, e.g. `m7i.metal-24xl` or `m7i.metal-24xl+ht-off`. */
  readonly name: string;
  readonly family: string;
  readonly kind: CoherenceKind;
  /** Online CPUs the workload may run on (after variants), ascending id. */
  readonly cpus: readonly Cpu[];
  /**
   * CPUs the kernel's for_each_possible_cpu() walks: per-CPU counters exist
   * for every possible CPU, online or not, usable by the workload or not.
   */
  readonly possibleCpus: readonly Cpu[];
  readonly socketCount: number;
  readonly domainCount: number;
  readonly nodeCount: number;
  readonly threadsPerCore: number;
  /** NUMA node whose memory holds kernel globals such as mount_lock. */
  readonly globalsHomeNode: number;

  cpu(id: number): Cpu;
  /** Other hardware threads of the same core (empty with SMT off). */
  siblings(id: number): readonly number[];
  distanceClass(from: number, to: number): DistanceClass;

  /**
   * One-way cost of moving a contended line from `from`'s cache to `to`'s,
   * the line's home being NUMA node `homeNode` (the measured c2c handoff).
   */
  transferNs(from: number, to: number, homeNode: number): number;

  /**
   * Coherence unit a spinner belongs to for read fan-out: spinners in one unit
   * are served by a single request to the line's home. Mesh: the physical core
   * (SMT siblings share L1/L2). Chiplet: the L3 domain (CCD), whose L3 serves
   * every spinner inside it after one fetch.
   */
  fanOutUnit(id: number): number;
  /**
   * Home-agent time to serve one spinner re-read of a line homed at
   * `homeNode` for unit `unit` (mesh: a TOR slot at the home CHA; chiplet: a
   * cross-CCD probe at the IO-die home), including the socket hop if the unit
   * sits on another socket than the home.
   */
  fanOutReadNs(unit: number, homeNode: number): number;
  /** Home-agent service per ownership transfer (the TOR / home entry occupancy). */
  readonly homeServiceNs: number;

  /**
   * Factor (>= 1) by which a critical section stretches while an SMT sibling
   * of the holder runs real work.
   */
  readonly smtSlowdown: number;
  /**
   * The same when the busy siblings only spin with PAUSE, which gives up
   * most issue slots (docs/hardware.md §4.1: sigma 0.10 against 0.25).
   */
  readonly smtSpinSlowdown: number;

  /**
   * Cost for CPU `reader` to read one per-CPU counter line owned by CPU
   * `owner` (for_each_possible_cpu sums under mount_lock): local socket vs
   * remote socket.
   */
  perCpuReadNs(reader: number, owner: number): number;
}
