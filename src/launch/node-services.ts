/**
 * The node's own software during a storm: systemd re-parsing the mount table
 * on mount events (at most `rateLimitBurst` times per interval), kubelet
 * re-reading it for filesystem stats, and the node health check, a D-Bus
 * call to systemd. Each read of /proc/self/mountinfo goes through the kernel
 * the way show_mountinfo does: per read() the mountinfo rwsem for read
 * (m_start), per line prepend_path's lockless window on the mountinfo
 * seqlock, retried under its spinlock when a write moved the count. How many
 * lines one read() renders follows the reader's buffer: libmount reads
 * through stdio, whose buffer is procfs's 1 KiB block (~7 lines), Go's
 * bufio 4 KiB.
 *
 * systemd's event loop (sd-event) dispatches one pending source per
 * iteration, the highest priority first. The mount event source runs at a
 * higher priority than the D-Bus connection, so while mount events keep
 * arriving and the source is not rate-limited, a D-Bus call (the health
 * check) waits for the parses to drain (mechanism `systemdEventPriorities`;
 * off: a call is answered as soon as the current parse ends).
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
  /** D-Bus calls that waited for pending mount events (the mount source outranks D-Bus). */
  dbusWaitsBehindMounts = 0;
  /** Windows in which systemd's mount source used its burst and was rate-limited. */
  systemdRateLimited = 0;
  /** read() calls of /proc/self/mountinfo, each one namespace_sem acquisition. */
  mountinfoReads = 0;
  /** Helpers forked by the runtime (GetUsernsFD), umount calls that returned EBUSY, and the retries they caused. */
  helperForks = 0;
  ebusyReturns = 0;
  ebusyRetries = 0;
  /** Applications that ran their start-up, and their path lookups. */
  appStartups = 0;
  appWalks = 0;
  /** kubelet: CRI requests that timed out and the retries after them, PLEG relists and the slowest, NotReady episodes and time. */
  criTimeouts = 0;
  criRetries = 0;
  plegRelists = 0;
  plegMaxRelistNs = 0;
  plegUnhealthy = 0;
  runtimeDown = 0;
  notReadyNs = 0;
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

const LINE_BYTES_PARAMETER = 'mountinfo_line_bytes';

/** The marker procedure that mountinfo reads are accounted to. */
export const MOUNTINFO_PROCEDURE: Procedure = { name: 'read /proc/self/mountinfo', models: 'fs/proc_namespace.c show_mountinfo', isSyscall: true, steps: [] };
export const MOUNTINFO_KEY = 'node/(read /proc/self/mountinfo)';

type SystemdState = 'idle' | 'parsing' | 'rate-limited';

export class NodeServices {
  private readonly prependPathWindowNs: number;
  /** The time categories of a mountinfo read: the rwsem's spin and sleep, the seqlock's spin and section, and the flamegraph number. */
  private readonly semSpin: number;
  private readonly semSleep: number;
  private readonly seqlockSpin: number;
  private readonly seqlockSection: number;
  private procedureNumber = -1;
  private readonly mountinfoLineNs: number;
  private readonly lineBytes: number;
  /** The mount event source outranks D-Bus (sd-event priorities, with the mechanism on). */
  private readonly mountsFirst: boolean;
  private wakeSystemd: SimEvent | null = null;
  private systemdRunning = false;
  private systemdPending = false;
  private systemdState: SystemdState = 'idle';
  private readonly dbusQueue = new Deque<SimEvent>();

  constructor(private readonly world: LaunchWorld) {
    this.prependPathWindowNs = world.parameter('prepend_path_window');
    this.mountinfoLineNs = world.parameter('mountinfo_line');
    this.lineBytes = Math.max(1, world.parameter(LINE_BYTES_PARAMETER));
    const systemd = world.models.node.environment.systemd;
    this.mountsFirst = world.mechanisms.systemdEventPriorities && systemd.mountEventPriority < systemd.dbusPriority;
    const { categories } = world;
    const { rwsem, seqlock } = world.models.kernel.mountinfo;
    this.semSpin = categories.spin(rwsem);
    this.semSleep = categories.sleep(rwsem);
    this.seqlockSpin = categories.spin(seqlock);
    this.seqlockSection = categories.section(seqlock);
  }

  /** touch_mnt_namespace woke /proc/<pid>/mountinfo pollers: systemd's mount event source is pending. */
  mountEvent(): void {
    this.systemdPending = true;
    // A parse or a rate-limited source does not look at new events until it is done.
    if (this.systemdState === 'idle') this.wake();
  }

  private wake(): void {
    const waiting = this.wakeSystemd;
    if (waiting === null) return;
    this.wakeSystemd = null;
    waiting.succeed();
  }

  /** Lines one read() of `readBytes` renders: seq_file fills the reader's buffer, at least one record. */
  linesPerRead(readBytes: number): number {
    return Math.max(1, readBytes / this.lineBytes);
  }

  /**
   * One full read of /proc/self/mountinfo in reads of `readBytes`: per
   * read() the mountinfo rwsem for read (m_start); per line, prepend_path's
   * lockless window, retried under the seqlock's spinlock when a write moved
   * the count during it; then the reader's own parse of what it read.
   */
  *readMountinfo(thread: KernelThread, userPerLineNs: number, readBytes: number): ProcessBody<number> {
    const world = this.world;
    const { sim, cpus, categories, interpreter } = world;
    const startNs = sim.now;
    const lock = world.locks.mountinfoSeqlock;
    const sem = world.locks.mountinfoSem;
    if (this.procedureNumber < 0) this.procedureNumber = world.procedureNumber(MOUNTINFO_KEY);
    const lines = world.mounts.hostMounts;
    world.background.mountinfoLines += lines;
    const perRead = this.linesPerRead(readBytes);
    const previous = thread.procedure;
    // Lines rendered so far, fractional: a read ends mid-line and the next one starts from the rest.
    let rendered = 0;
    for (let done = 0; done < lines; ) {
      rendered += perRead;
      const end = Math.min(lines, Math.max(done + 1, Math.floor(rendered)));
      const chunk = end - done;
      done = end;
      world.background.mountinfoReads++;
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
   * systemd's event loop as far as the storm reaches it: the mount event
   * source (re-parse the whole table after mount events, at most
   * `rateLimitBurst` dispatches per `rateLimitInterval`, then off until the
   * window ends: sd_event_source_set_ratelimit) and the D-Bus connection.
   * One source per iteration, the higher priority first.
   */
  *systemdLoop(): ProcessBody {
    const world = this.world;
    const sim = world.sim;
    const systemd = world.models.node.environment.systemd;
    const thread = world.newThread('systemd', 0, 0);
    thread.pass = world.passNumber('systemd');
    this.systemdRunning = true;
    // The window ends at one instant (its start + the interval), compared as such: no rounding can leave a zero wait.
    let windowEndNs = -Infinity;
    let dispatchesInWindow = 0;
    for (;;) {
      if (!this.systemdPending && this.dbusQueue.length === 0) {
        this.systemdState = 'idle';
        const signal = sim.event();
        this.wakeSystemd = signal;
        yield signal;
      }
      if (sim.now >= windowEndNs) {
        windowEndNs = sim.now + systemd.rateLimitIntervalNs;
        dispatchesInWindow = 0;
      }
      const rateLimited = dispatchesInWindow >= systemd.rateLimitBurst;
      if (!rateLimited && this.systemdState === 'rate-limited') this.systemdState = 'idle';
      const mountReady = this.systemdPending && !rateLimited;
      if (this.dbusQueue.length > 0 && !(mountReady && this.mountsFirst)) {
        // The bus source: every queued method call is answered in this dispatch.
        while (this.dbusQueue.length > 0) this.dbusQueue.shift()!.succeed();
        continue;
      }
      if (mountReady) {
        dispatchesInWindow++;
        this.systemdPending = false;
        this.systemdState = 'parsing';
        const parseNs = yield* this.readMountinfo(thread, systemd.parsePerLineNs, systemd.readBytes);
        world.background.systemdParses++;
        world.background.systemdBusyNs += parseNs;
        if (parseNs > world.background.systemdMaxParseNs) world.background.systemdMaxParseNs = parseNs;
        continue;
      }
      // Pending but rate-limited: the source is off until its window ends; D-Bus calls are answered meanwhile.
      if (this.systemdState !== 'rate-limited') world.background.systemdRateLimited++;
      this.systemdState = 'rate-limited';
      const signal = sim.event();
      this.wakeSystemd = signal;
      const windowEnd = sim.timeout(windowEndNs - sim.now);
      windowEnd.addCallback(() => this.wake());
      yield signal;
    }
  }

  /**
   * A D-Bus method call to PID 1 (the node health check): null when systemd
   * answers at once, else an event that succeeds when it is answered.
   */
  dbusCall(): SimEvent | null {
    if (!this.systemdRunning) return null;
    // Answered in the next iteration unless a parse runs, or a mount event outranks it.
    const behindMounts = this.mountsFirst && this.systemdPending && this.systemdState !== 'rate-limited';
    if (this.systemdState !== 'parsing' && !behindMounts) return null;
    if (behindMounts) this.world.background.dbusWaitsBehindMounts++;
    const event = this.world.sim.event();
    this.dbusQueue.push(event);
    this.wake();
    return event;
  }

  /** kubelet/cAdvisor re-reading the table for filesystem stats. */
  *kubeletLoop(parsePerLineNs: number): ProcessBody {
    const world = this.world;
    const thread = world.newThread('kubelet', 0, 0);
    thread.pass = world.passNumber('kubelet');
    const kubelet = world.models.node.environment.kubelet;
    for (;;) {
      yield world.sim.timeout(kubelet.mountinfoEveryNs);
      yield* this.readMountinfo(thread, parsePerLineNs, kubelet.readBytes);
      world.background.kubeletReads++;
    }
  }

  /**
   * The node health check: every `every`, a D-Bus call to systemd. One not
   * answered within `deadlineNs` fails, at its deadline, every launch in
   * progress then (`onFailure`); its latency counts when it is answered.
   */
  *healthCheckLoop(deadlineNs: number, done: () => boolean, onFailure: () => void): ProcessBody {
    const world = this.world;
    const sim = world.sim;
    const everyNs = world.models.node.environment.nodeHealthCheck.everyNs;
    for (;;) {
      yield sim.timeout(everyNs);
      if (done()) return;
      const askedNs = sim.now;
      world.background.healthChecks++;
      const answer = this.dbusCall();
      if (answer === null) continue;
      const deadline = sim.timeout(deadlineNs);
      deadline.addCallback(() => {
        if (answer.isTriggered) return;
        world.background.healthCheckFailures++;
        onFailure();
      });
      answer.addCallback(() => {
        const tookNs = sim.now - askedNs;
        if (tookNs > world.background.healthCheckMaxNs) world.background.healthCheckMaxNs = tookNs;
      });
    }
  }
}
