/**
 * What a launch starts: the container's application. Once runc has started
 * it, the application runs its start-up (mechanism `applicationStartup`):
 * `app_startup_cpu` of CPU time spread over `app_startup_duration`, as
 * ceil(CPU / duration) threads that each run an EEVDF slice
 * (`app_cpu_slice`) and sleep in between at the duty cycle that spreads
 * their share over the duration. The threads take CPUs from the same
 * scheduler as containerd (so they queue behind spinners, and sit on SMT
 * siblings of lock holders), and they look paths up (opening libraries and
 * files): `app_path_walks_per_cpu_second`, a Poisson process in their CPU
 * time, each a path_init read of mount_lock's count like any lookup.
 * Applications differ: one log-normal factor per launch (sigma
 * `app_startup_spread`, median 1) scales both its CPU and its duration,
 * drawn per container before the storm runs, so every run of a scenario
 * (and every parameter sample) gives container i the same application.
 *
 * kubelet probes the container's readiness from its start (the first probe
 * at once, then every `readiness_probe_period`); the launch ends at the
 * first probe after the start-up finished. What happens after the start-up
 * (the application's steady load) is not modelled.
 */
import type { ProcessBody, RandomStream } from '../engine/index.js';
import type { KernelThread } from './thread.js';
import type { LaunchWorld } from './world.js';

export class Applications {
  private readonly cpuNs: number;
  private readonly durationNs: number;
  private readonly sliceNs: number;
  private readonly walksPerCpuNs: number;
  private readonly probePeriodNs: number;
  /** Per container, the factor of its application's start-up. */
  private readonly factors: Float64Array;
  private readonly walkStream: RandomStream;
  private readonly pass: number;

  constructor(
    private readonly world: LaunchWorld,
    containers: number,
    heterogeneous: boolean,
  ) {
    this.cpuNs = world.parameter('app_startup_cpu');
    this.durationNs = Math.max(1, world.parameter('app_startup_duration'));
    this.sliceNs = Math.max(1, world.parameter('app_cpu_slice'));
    this.walksPerCpuNs = world.parameter('app_path_walks_per_cpu_second') / 1e9;
    this.probePeriodNs = world.parameter('readiness_probe_period');
    const spread = heterogeneous ? world.parameter('app_startup_spread') : 0;
    const profile = world.sim.random.stream('applications/profile');
    this.factors = new Float64Array(containers);
    for (let i = 0; i < containers; i++) this.factors[i] = spread > 0 ? profile.lognormal(1, spread) : 1;
    this.walkStream = world.sim.random.stream('applications/walks');
    this.pass = world.passNumber('applications');
  }

  /**
   * Container `index`'s application from its start to the first readiness
   * probe that passes; the launch thread waits off CPU meanwhile.
   */
  *untilReady(launch: KernelThread, index: number): ProcessBody {
    const world = this.world;
    const sim = world.sim;
    const startedNs = sim.now;
    world.cpus.leaveCpu(launch);
    if (world.mechanisms.applicationStartup) {
      const factor = this.factors[index];
      const cpuNs = this.cpuNs * factor;
      const durationNs = this.durationNs * factor;
      if (cpuNs > 0) {
        const threads = Math.max(1, Math.ceil(cpuNs / durationNs - 1e-9));
        const processes = [];
        for (let t = 0; t < threads; t++) {
          const thread = world.newThread(`app-${index}.${t}`, 0, launch.preferredCpu);
          thread.pass = this.pass;
          processes.push(sim.process(this.startUpThread(thread, cpuNs / threads, durationNs), thread.name));
        }
        yield sim.allOf(processes);
        world.background.appStartups++;
      }
    }
    // kubelet's prober: at the start, then every period; the first probe at or after readiness passes.
    const readyNs = sim.now;
    const period = this.probePeriodNs;
    const probeNs = period > 0 ? startedNs + Math.ceil((readyNs - startedNs) / period - 1e-9) * period : readyNs;
    if (probeNs > readyNs) yield sim.timeout(probeNs - readyNs);
    world.account(launch, world.categories.offCpuWork, sim.now - startedNs);
  }

  /** One start-up thread: `cpuNs` of work in slices, spread over `durationNs`, with its path walks. */
  private *startUpThread(thread: KernelThread, cpuNs: number, durationNs: number): ProcessBody {
    const world = this.world;
    const { sim, cpus, interpreter, categories } = world;
    const walkNs = interpreter.walkTimeNs;
    const duty = Math.min(1, cpuNs / durationNs);
    const offPerSliceNs = duty >= 1 ? 0 : this.sliceNs * (1 / duty - 1);
    // CPU time left until the next path lookup (a Poisson process in CPU time).
    let nextWalkNs = this.walksPerCpuNs > 0 ? this.walkStream.exponential(1 / this.walksPerCpuNs) : Infinity;
    let remaining = cpuNs;
    while (remaining > 0) {
      let runNs = Math.min(this.sliceNs, remaining);
      remaining -= runNs;
      yield* cpus.runOnCpu(thread);
      while (nextWalkNs < runNs) {
        if (nextWalkNs > 0) {
          yield sim.delay(nextWalkNs);
          world.account(thread, categories.userWork, nextWalkNs);
        }
        runNs -= nextWalkNs;
        yield* interpreter.walk(thread, 1);
        world.background.appWalks++;
        // The lookup itself is part of the slice's CPU.
        runNs = Math.max(0, runNs - walkNs);
        nextWalkNs = this.walkStream.exponential(1 / this.walksPerCpuNs);
      }
      nextWalkNs -= runNs;
      if (runNs > 0) {
        thread.awakeAtNs = sim.now + runNs;
        yield sim.delay(runNs);
        world.account(thread, categories.userWork, runNs);
      }
      cpus.leaveCpu(thread);
      if (remaining > 0 && offPerSliceNs > 0) yield sim.delay(offPerSliceNs);
    }
  }
}
