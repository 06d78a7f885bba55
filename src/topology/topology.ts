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
   * CPUs the kernel has online (ascending id): every possible CPU, less the
   * second threads under the kernel's `nosmt`. Other processes run here, and
   * an expedited grace period IPIs these; the workload may be held to fewer.
   */
  readonly onlineCpus: readonly Cpu[];
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
  /**
   * Share of a transfer's latency for which it holds the line's home (the
   * TOR entry of the home CHA, the IO die's home entry): a handoff of
   * latency L keeps the home from serving the next request to the line for
   * homeOccupancy x L (docs/hardware.md §4.1, S_home ~ L).
   */
  readonly homeOccupancy: number;
  /**
   * Latency of an upgrade by `cpu` of a line it shares with other units to
   * an exclusive copy (invalidating the sharers through the home at
   * `homeNode`): the mean transfer into `cpu` from the CPUs of other fan-out
   * units, as the measured matrix gives it.
   */
  upgradeNs(cpu: number, homeNode: number): number;
  /** Load-to-use latency for `cpu` of a line no cache holds, in NUMA node `node`'s memory. */
  memoryNs(cpu: number, node: number): number;

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
   * Latency for CPU `reader` of CPU `owner`'s line of a per-CPU counter
   * (for_each_possible_cpu sums under mount_lock; docs/hardware.md §4.1, the
   * per-CPU sum rule). A CPU that runs the workload took and dropped mount
   * references there, so its line is Modified in its own cache and costs
   * the measured transfer; any other possible CPU's line (an offline
   * sibling, a CPU outside the workload's set) was last written by
   * alloc_percpu's zeroing and sits in memory of the owner's node.
   */
  perCpuLineNs(reader: number, owner: number): number;
  /** Loads the core keeps in flight at once (line fill buffers, miss address buffers): independent misses overlap up to this. */
  readonly missesInFlight: number;
}

/** Hardware mechanisms an ablation may switch off when the topology is built. */
export interface HardwareSwitches {
  /** false: every cross-socket (or cross-node) cost takes its same-socket counterpart, as if the sockets were one. */
  readonly numa: boolean;
  /** false: a busy SMT sibling does not slow a critical section. */
  readonly smtSlowdown: boolean;
}

export const ALL_HARDWARE: HardwareSwitches = { numa: true, smtSlowdown: true };
