/**
 * The kernel's global locks as the kernel model declares them: one SeqLock
 * per `seqlock`, one RwSemaphore per `rwsem`, and the expedited RCU that
 * umount waits for. The model's `walks` and `mountinfo` entries say which
 * seqlock path_init reads and which locks a mountinfo read takes; nothing
 * here knows a lock's name.
 *
 * Also the cost of the per-CPU counter sums (mnt_get_count, mnt_get_writers)
 * that some write sections run: for_each_possible_cpu, one line read per
 * possible CPU, from each summing CPU (docs/hardware.md §4.1, the per-CPU
 * sum rule). Each line costs its latency from the summing CPU
 * (`Topology.perCpuLineNs`); the loads are independent, so the core
 * overlaps them up to its outstanding-miss limit; the loop's own steps
 * (cpumask_next, the add) retire one after another:
 *
 *   sum = (sum over possible CPUs of line latency) / min(missesInFlight, CPUs)
 *         + possible CPUs x percpu_sum_iteration
 */
import { ExpeditedRcu, RwSemaphore, SeqLock, type KernelContext } from '../kernel/index.js';
import type { KernelModel, LaunchModels } from '../models/types.js';
import { findParameter } from '../models/types.js';
import type { Topology } from '../topology/index.js';

export class KernelLocks {
  readonly seqlocks = new Map<string, SeqLock>();
  readonly rwsems = new Map<string, RwSemaphore>();
  /** The seqlock path_init reads. */
  readonly walkLock: SeqLock;
  /** The rwsem m_start takes for read per read() of mountinfo. */
  readonly mountinfoSem: RwSemaphore;
  /** The seqlock prepend_path reads per mountinfo line. */
  readonly mountinfoSeqlock: SeqLock;
  readonly rcu: ExpeditedRcu;
  /** ns of one for_each_possible_cpu sum run on each CPU (indexed by CPU id). */
  readonly perCpuSumNs: Float64Array;

  constructor(context: KernelContext, models: LaunchModels, maxCpu: number) {
    const { topology } = context;
    const kernel = models.kernel;
    const parameter = (name: string): number => requireParameter(models, name);
    const homeNode = topology.globalsHomeNode;
    for (const lock of kernel.locks) {
      if (lock.kind === 'seqlock') this.seqlocks.set(lock.name, new SeqLock(context, lock.name, { homeNode }));
      else {
        this.rwsems.set(
          lock.name,
          new RwSemaphore(context, lock.name, {
            wakeupNs: parameter('rwsem_wakeup'),
            // Writers spin while the owner is a running writer, until need_resched() (LaunchWorld.preemptOneSpinner).
            maxSpinNs: Infinity,
            handoffTimeoutNs: parameter('rwsem_handoff_after'),
            homeNode,
          }),
        );
      }
    }
    this.walkLock = this.seqlock(kernel, kernel.walkSeqlock);
    this.mountinfoSeqlock = this.seqlock(kernel, kernel.mountinfo.seqlock);
    const sem = this.rwsems.get(kernel.mountinfo.rwsem);
    if (sem === undefined) throw new Error(`kernel model ${kernel.file}: mountinfo.rwsem \`${kernel.mountinfo.rwsem}\` is not a declared rwsem`);
    this.mountinfoSem = sem;
    this.rcu = new ExpeditedRcu(context, 'rcu', { baseNs: parameter('rcu_gp_base'), perCpuNs: parameter('rcu_gp_per_cpu') });
    this.perCpuSumNs = perCpuSums(topology, maxCpu, parameter('percpu_sum_iteration'));
  }

  private seqlock(kernel: KernelModel, name: string): SeqLock {
    const lock = this.seqlocks.get(name);
    if (lock === undefined) throw new Error(`kernel model ${kernel.file}: \`${name}\` is not a declared seqlock`);
    return lock;
  }
}

/** A parameter of the kernel or node model; a missing one is a bug in the model files. */
export function requireParameter(models: LaunchModels, name: string, fallback?: number): number {
  const value = findParameter(models, name)?.value ?? fallback;
  if (value === undefined) throw new Error(`kernel model ${models.kernel.file} lacks the parameter \`${name}\``);
  return value;
}

/** for_each_possible_cpu sums from each CPU that may run one: overlapped line misses plus the loop's steps. */
export function perCpuSums(topology: Topology, maxCpu: number, iterationNs: number): Float64Array {
  const sums = new Float64Array(maxCpu + 1);
  const possible = topology.possibleCpus;
  const overlap = Math.min(topology.missesInFlight, possible.length);
  for (const reader of topology.cpus) {
    let latencyNs = 0;
    for (const owner of possible) latencyNs += topology.perCpuLineNs(reader.id, owner.id);
    sums[reader.id] = latencyNs / overlap + possible.length * iterationNs;
  }
  return sums;
}
