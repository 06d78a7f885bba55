/**
 * The node's own software during a storm: systemd re-parsing the mount table
 * on mount events (at most `rateLimitBurst` times per interval), kubelet
 * re-reading it for filesystem stats, and the node health check, a D-Bus
 * call that systemd answers between parses. Each read of
 * /proc/self/mountinfo goes through the kernel the way show_mountinfo does:
 * per read() chunk the mountinfo rwsem for read (m_start), per line
 * prepend_path's lockless window on the mountinfo seqlock, retried under its
 * spinlock when a write moved the count.
 */
import { Deque, type ProcessBody, type SimEvent } from '../engine/index.js';
import type { Procedure } from '../models/types.js';
import type { KernelThread } from './thread.js';
import type { LaunchWorld } from './world.js';

/** What the background readers did. */
export class BackgroundStats {
  systemdParses = 0;
  systemdMaxParseNs = 0;
  systemdBusyNs = 0;
  kubeletReads = 0;
  mountinfoLines = 0;
  prependPathRetries = 0;
  /** Other processes' path walks that found mount_lock's count odd and spun (expected), and their spinning time. */
  backgroundSpinners = 0;
  backgroundSpinNs = 0;
  /** CPU time of other processes' path lookups over the run (not spinning), their completed walks and those redone in ref-walk mode. */
  backgroundWalkNs = 0;
  backgroundWalks = 0;
  backgroundRedoneWalks = 0;
  healthChecks = 0;
  healthCheckFailures = 0;
  healthCheckMaxNs = 0;
  /** Seqlock critical sections: how many, their length without SMT stretch, and the time SMT siblings added. */
  sections = 0;
  sectionBaseNs = 0;
  sectionStretchNs = 0;
  /** On-CPU time of the background readers (systemd, kubelet) per category. */
  readonly readerTimeNs: Float64Array;

  constructor(categories: number) {
    this.readerTimeNs = new Float64Array(categories);
  }
}

const LINES_PARAMETER = 'mountinfo_lines_per_read';

/** The marker procedure that mountinfo reads are accounted to. */
export const MOUNTINFO_PROCEDURE: Procedure = { name: 'read /proc/self/mountinfo', models: 'fs/proc_namespace.c show_mountinfo', isSyscall: true, steps: [] };
export const MOUNTINFO_KEY = 'node/(read /proc/self/mountinfo)';

export class NodeServices {
  private readonly prependPathWindowNs: number;
  /** The time categories of a mountinfo read: the rwsem's spin and sleep, the seqlock's spin and section, and the flamegraph number. */
  private readonly semSpin: number;
  private readonly semSleep: number;
  private readonly seqlockSpin: number;
  private readonly seqlockSection: number;
  private procedureNumber = -1;
  private readonly mountinfoLineNs: number;
  private readonly linesPerRead: number;
  private readonly mountEventSignal: SimEvent[] = [];
  private systemdPending = false;
  private systemdParsing = false;
  private readonly systemdIdleWaiters = new Deque<SimEvent>();

  constructor(private readonly world: LaunchWorld) {
    this.prependPathWindowNs = world.parameter('prepend_path_window');
    this.mountinfoLineNs = world.parameter('mountinfo_line');
    this.linesPerRead = Math.max(1, Math.round(world.parameter(LINES_PARAMETER)));
    const { categories } = world;
    const { rwsem, seqlock } = world.models.kernel.mountinfo;
    this.semSpin = categories.spin(rwsem);
    this.semSleep = categories.sleep(rwsem);
    this.seqlockSpin = categories.spin(seqlock);
    this.seqlockSection = categories.section(seqlock);
  }

  /** touch_mnt_namespace woke /proc/<pid>/mountinfo pollers: systemd's mount event source. */
  mountEvent(): void {
    this.systemdPending = true;
    const waiting = this.mountEventSignal.pop();
    if (waiting !== undefined) waiting.succeed();
  }

  /**
   * One full read of /proc/self/mountinfo: per read() chunk, the mountinfo
   * rwsem for read (m_start); per line, prepend_path's lockless window,
   * retried under the seqlock's spinlock when a write moved the count during
   * it; then the reader's own parse of the chunk.
   */
  *readMountinfo(thread: KernelThread, userPerLineNs: number): ProcessBody<number> {
    const world = this.world;
    const { sim, cpus, categories, interpreter } = world;
    const startNs = sim.now;
    const lock = world.locks.mountinfoSeqlock;
    const sem = world.locks.mountinfoSem;
    if (this.procedureNumber < 0) this.procedureNumber = world.procedureNumber(MOUNTINFO_KEY);
    const lines = world.mounts.hostMounts;
    world.background.mountinfoLines += lines;
    const previous = thread.procedure;
    for (let done = 0; done < lines; done += this.linesPerRead) {
      const chunk = Math.min(this.linesPerRead, lines - done);
      yield* cpus.runOnCpu(thread);
      thread.procedure = this.procedureNumber;
      const lockCpu = thread.cpu;
      const requested = sim.now;
      thread.sleptInLock = false;
      yield* sem.downRead(lockCpu);
      world.account(thread, thread.sleptInLock ? this.semSleep : this.semSpin, sim.now - requested);
      if (thread.sleptInLock) {
        thread.sleptInLock = false;
        yield* cpus.runOnCpu(thread);
      }
      const spinStart = sim.now;
      const sequence = yield* lock.readBegin(thread.cpu);
      world.account(thread, categories.readerSpin, sim.now - spinStart);
      const kernelNs = chunk * this.mountinfoLineNs + lock.readDelayNs;
      yield sim.timeout(kernelNs);
      world.account(thread, categories.kernelWork, kernelNs);
      // Each write section that began during the chunk caught at most one line inside its
      // prepend_path window; that line retries holding the seqlock's spinlock (read_seqbegin_or_lock).
      const writes = Math.ceil((lock.visibleSequence - sequence) / 2);
      const retries = world.mechanisms.mountinfoReaders ? Math.min(chunk, writes) : 0;
      // Each retried line takes the spinlock on its own and queues behind the writers every time:
      // this per-line queue wait is what makes a read of a large table slow under churn.
      world.background.prependPathRetries += retries;
      for (let r = 0; r < retries; r++) {
        const retryRequested = sim.now;
        yield* lock.lockExclusive(thread.cpu);
        world.account(thread, this.seqlockSpin, sim.now - retryRequested);
        const holdNs = world.cpuState.stretchNs(thread.cpu, this.prependPathWindowNs);
        yield sim.timeout(holdNs);
        world.account(thread, this.seqlockSection, holdNs);
        lock.unlockExclusive(thread.cpu);
      }
      sem.upRead(lockCpu);
      thread.procedure = previous;
      const parseNs = chunk * userPerLineNs;
      if (parseNs > 0) yield* interpreter.work(thread, parseNs, categories.userWork);
    }
    cpus.leaveCpu(thread);
    return sim.now - startNs;
  }

  /**
   * systemd's mount event source: after mount events it re-parses the whole
   * table, at most `rateLimitBurst` times per `rateLimitInterval`
   * (sd_event_source_set_ratelimit; the source is disabled for the rest of
   * the window once the burst is used).
   */
  *systemdLoop(): ProcessBody {
    const world = this.world;
    const sim = world.sim;
    const systemd = world.models.node.environment.systemd;
    const thread = world.newThread('systemd', 0, 0);
    thread.pass = world.passNumber('systemd');
    let windowStartNs = 0;
    let dispatchesInWindow = 0;
    for (;;) {
      if (!this.systemdPending) {
        const signal = sim.event();
        this.mountEventSignal.push(signal);
        yield signal;
      }
      if (sim.now - windowStartNs >= systemd.rateLimitIntervalNs) {
        windowStartNs = sim.now;
        dispatchesInWindow = 0;
      }
      if (dispatchesInWindow >= systemd.rateLimitBurst) {
        const waitNs = windowStartNs + systemd.rateLimitIntervalNs - sim.now;
        yield sim.timeout(waitNs);
        windowStartNs = sim.now;
        dispatchesInWindow = 0;
      }
      dispatchesInWindow++;
      this.systemdPending = false;
      this.systemdParsing = true;
      const parseNs = yield* this.readMountinfo(thread, systemd.parsePerLineNs);
      this.systemdParsing = false;
      world.background.systemdParses++;
      world.background.systemdBusyNs += parseNs;
      if (parseNs > world.background.systemdMaxParseNs) world.background.systemdMaxParseNs = parseNs;
      // D-Bus requests queued behind the parse are answered now.
      while (this.systemdIdleWaiters.length > 0) this.systemdIdleWaiters.shift()!.succeed();
    }
  }

  /** kubelet/cAdvisor re-reading the table for filesystem stats. */
  *kubeletLoop(parsePerLineNs: number): ProcessBody {
    const world = this.world;
    const thread = world.newThread('kubelet', 0, 0);
    thread.pass = world.passNumber('kubelet');
    const everyNs = world.models.node.environment.kubelet.mountinfoEveryNs;
    for (;;) {
      yield world.sim.timeout(everyNs);
      yield* this.readMountinfo(thread, parsePerLineNs);
      world.background.kubeletReads++;
    }
  }

  /** Resolves when systemd is between parses (a D-Bus method call gets answered). */
  systemdIdle(): SimEvent | null {
    if (!this.systemdParsing) return null;
    const event = this.world.sim.event();
    this.systemdIdleWaiters.push(event);
    return event;
  }
}
