/**
 * One node during a container-launch storm, assembled from its parts:
 *
 *   CpuScheduler + CpuBinding   which thread runs where (scheduler/, cpu-binding.ts)
 *   KernelLocks                 the kernel model's locks and RCU (kernel-locks.ts)
 *   MountTables                 host and propagated mounts (mount-tables.ts)
 *   BackgroundReaders           other processes' path lookups (background-readers.ts)
 *   RecipeInterpreter           runs recipe steps as a thread (interpreter.ts)
 *   NodeServices                systemd, kubelet, the health check (node-services.ts)
 *   TimeCategories, TimeMatrix  where each thread's time goes (accounting.ts)
 *
 * Models emit observations and keep counters; nothing here formats, prints
 * or writes files.
 */
import type { Simulation } from '../engine/index.js';
import { CpuState } from '../coherence/cpu-state.js';
import type { KernelContext } from '../kernel/index.js';
import { CpuScheduler } from '../scheduler/scheduler.js';
import type { LaunchModels, Step } from '../models/types.js';
import type { Topology } from '../topology/index.js';
import { TimeCategories, TimeMatrix } from './accounting.js';
import { BackgroundReaders } from './background-readers.js';
import { CpuBinding } from './cpu-binding.js';
import { RecipeInterpreter } from './interpreter.js';
import { KernelLocks, requireParameter } from './kernel-locks.js';
import type { MechanismSwitches } from './mechanisms.js';
import { MountTables } from './mount-tables.js';
import { BackgroundStats, MOUNTINFO_KEY, MOUNTINFO_PROCEDURE, NodeServices } from './node-services.js';
import { KernelThread } from './thread.js';

export interface LaunchWorldOptions {
  readonly sim: Simulation;
  readonly topology: Topology;
  readonly models: LaunchModels;
  readonly mechanisms: MechanismSwitches;
  /** Procedures (keys of `models.procedures`) a workload calls directly rather than through the runtime's passes: numbered for the flamegraph after the runtime's. */
  readonly procedures?: readonly string[];
}

export class LaunchWorld {
  readonly sim: Simulation;
  readonly topology: Topology;
  readonly models: LaunchModels;
  readonly mechanisms: MechanismSwitches;
  readonly categories: TimeCategories;
  readonly cpuState: CpuState;
  readonly scheduler: CpuScheduler;
  readonly locks: KernelLocks;
  readonly cpus: CpuBinding;
  readonly mounts: MountTables;
  readonly background: BackgroundStats;
  /** Other processes' path walks, null with the mechanism off. */
  readonly readers: BackgroundReaders | null;
  readonly interpreter: RecipeInterpreter;
  readonly services: NodeServices;
  readonly time: TimeMatrix;
  /** Threads holding an fd on a mount they are making (between `fd: open` and `fd: close`). */
  private readonly openMountFds = new Set<KernelThread>();
  private readonly procedureIndex = new Map<string, number>();
  private readonly passIndex = new Map<string, number>();
  private threadIds = 0;

  constructor(options: LaunchWorldOptions) {
    const { sim, topology, models, mechanisms } = options;
    this.sim = sim;
    this.topology = topology;
    this.models = models;
    this.mechanisms = mechanisms;
    this.categories = new TimeCategories(models.kernel);
    let maxCpu = 0;
    for (const cpu of topology.possibleCpus) maxCpu = Math.max(maxCpu, cpu.id);
    for (const cpu of topology.cpus) maxCpu = Math.max(maxCpu, cpu.id);
    this.cpuState = new CpuState(topology);
    this.scheduler = new CpuScheduler(sim, topology, { contextSwitchNs: models.node.environment.contextSwitchNs });
    // The CPU binding needs the locks; a lock's sleep hook reaches it once both exist.
    const context: KernelContext = {
      sim,
      topology,
      cpuState: this.cpuState,
      lineSwitches: { homeQueueing: mechanisms.homeQueueing, fanOut: mechanisms.fanOut },
      onSleep: (cpu) => this.cpus.onLockSleep(cpu),
    };
    this.locks = new KernelLocks(context, models, maxCpu);
    this.cpus = new CpuBinding(sim, this.scheduler, this.cpuState, this.locks.rwsems, maxCpu, (thread, ns) => this.account(thread, this.categories.runQueue, ns));
    this.background = new BackgroundStats(this.categories.count);
    this.services = new NodeServices(this);
    this.mounts = new MountTables(sim, models.node.environment, mechanisms, () => this.services.mountEvent());
    const walkNs = requireParameter(models, 'path_walk');
    this.readers = mechanisms.backgroundReaders
      ? new BackgroundReaders(topology, models.node.environment, walkNs, mechanisms.rcuHeldOpen ? this.locks.rcu : null, sim.random.stream('background/path-walkers'), this.background, () => this.scheduler.busyCount, this.locks.walkLock, maxCpu)
      : null;
    // The flamegraph's passes and syscalls are numbered before the interpreter looks them up.
    this.time = new TimeMatrix(this.categories, this.passNames(), this.procedureNames(options.procedures ?? []));
    this.interpreter = new RecipeInterpreter(this);
  }

  /** A parameter of the kernel or node model (with `fallback` when absent). */
  parameter(name: string, fallback?: number): number {
    return requireParameter(this.models, name, fallback);
  }

  newThread(name: string, layers: number, preferredCpu: number): KernelThread {
    return new KernelThread(this.threadIds++, name, layers, preferredCpu, this.categories.count);
  }

  passNumber(name: string): number {
    return this.passIndex.get(name) ?? 0;
  }

  /** The flamegraph index of a syscall (by procedure key); 0 outside syscalls. */
  procedureNumber(key: string): number {
    return this.procedureIndex.get(key) ?? 0;
  }

  /** `thread` opened (or closed) an fd on the mount it is making. */
  mountFd(thread: KernelThread, open: boolean): void {
    if (open) {
      thread.mountFds.push(0);
      thread.fdOpen = true;
      this.openMountFds.add(thread);
    } else {
      thread.fdOpen = false;
      this.openMountFds.delete(thread);
    }
  }

  /** `thread` forked a helper living until `untilNs`: it holds a copy of every other thread's open mount fd. */
  helperForked(thread: KernelThread, untilNs: number): void {
    this.background.helperForks++;
    for (const other of this.openMountFds) {
      if (other === thread || other.mountFds.length === 0) continue;
      const last = other.mountFds.length - 1;
      if (untilNs > other.mountFds[last]) other.mountFds[last] = untilNs;
    }
  }

  account(thread: KernelThread, category: number, ns: number): void {
    if (ns <= 0) return;
    thread.timeNs[category] += ns;
    if (thread.layers === 0) this.background.readerTimeNs[category] += ns;
    this.time.add(thread.pass, thread.procedure, category, ns);
  }

  private passNames(): string[] {
    const names = [...this.models.runtime.passes.map((p) => p.name), 'other launch work', 'systemd', 'kubelet', 'applications'];
    names.forEach((name, index) => this.passIndex.set(name, index));
    return names;
  }

  /** The syscalls the runtime reaches, in the order the passes reach them (then those `direct` reaches), then the mountinfo read. */
  private procedureNames(direct: readonly string[]): string[] {
    const procedures = this.models.procedures;
    const seen = new Set<string>();
    const collect = (steps: readonly Step[]): void => {
      for (const step of steps) {
        if (step.kind === 'call') {
          if (!seen.has(step.procedure)) {
            seen.add(step.procedure);
            collect(procedures[step.procedure].steps);
          }
        } else if (step.kind === 'lock' || step.kind === 'repeat') collect(step.steps);
      }
    };
    for (const pass of this.models.runtime.passes) collect(pass.steps);
    for (const key of direct) {
      if (seen.has(key)) continue;
      seen.add(key);
      collect(procedures[key].steps);
    }
    const names = ['(user space)'];
    for (const key of seen) {
      if (!procedures[key].isSyscall) continue;
      this.procedureIndex.set(key, names.length);
      names.push(procedures[key].name);
    }
    this.procedureIndex.set(MOUNTINFO_KEY, names.length);
    names.push(MOUNTINFO_PROCEDURE.name);
    return names;
  }
}
