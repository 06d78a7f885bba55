import { NORMAL, PENDING, SimEvent, TRIGGERED } from './event.js';
import { Process, type ProcessBody } from './process.js';
import { EventQueue, MAX_PRIORITY } from './queue.js';
import { RandomStreams } from './random.js';
import { formatTime, type SimTime } from './time.js';

/** Caps that stop a runaway run instead of letting it eat the machine. */
export interface RunLimits {
  /** Most events one run may process. */
  maxEvents: number;
  /** Latest simulated time an event may be scheduled at, in ns. */
  maxTimeNs: SimTime;
  /** Most heap one run may hold, in bytes (checked through `SimulationOptions.heapProbe`). */
  maxHeapBytes: number;
}

export const DEFAULT_LIMITS: RunLimits = { maxEvents: 200_000_000, maxTimeNs: 24 * 3600 * 1e9, maxHeapBytes: 4 * 2 ** 30 };

/**
 * Events between two looks at the heap: cheap enough to be invisible (a look
 * costs about a microsecond, the events between them milliseconds), frequent
 * enough that a run cannot allocate far past its cap in between.
 */
const HEAP_CHECK_EVERY = 1 << 12;

export class SimulationLimitError extends Error {
  constructor(
    readonly limit: keyof RunLimits,
    readonly value: number,
    detail: string,
  ) {
    super(detail);
    this.name = 'SimulationLimitError';
  }
}

export interface SimulationOptions {
  /** Root seed; every named random stream derives from it. */
  seed?: string | number;
  limits?: Partial<RunLimits>;
  /**
   * Bytes of heap in use, supplied by the caller (the engine reads no
   * process state itself); without it `maxHeapBytes` is not enforced.
   */
  heapProbe?: () => number;
}

/**
 * The clock and the event queue. Events are processed in (time, priority,
 * sequence) order, so a run is a pure function of its inputs and seed.
 */
export class Simulation {
  now: SimTime = 0;
  eventsProcessed = 0;
  readonly random: RandomStreams;
  readonly limits: RunLimits;
  private readonly queue = new EventQueue<SimEvent>();
  /** `delay` events whose callbacks have run, ready for reuse. */
  private readonly recycled: SimEvent[] = [];
  private readonly heapProbe: (() => number) | null;
  // The limits read on every event, as plain fields.
  private readonly maxEvents: number;
  private readonly maxTimeNs: number;

  constructor(options: SimulationOptions = {}) {
    this.random = new RandomStreams(options.seed ?? 0);
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
    this.heapProbe = options.heapProbe ?? null;
    this.maxEvents = this.limits.maxEvents;
    this.maxTimeNs = this.limits.maxTimeNs;
  }

  /** Queues a triggered event to run its callbacks `delayNs` from now. */
  schedule(event: SimEvent, priority: number = NORMAL, delayNs: SimTime = 0): void {
    if (!(delayNs >= 0)) throw new RangeError(`negative or invalid delay ${delayNs} ns`);
    if (priority < 0 || priority > MAX_PRIORITY) throw new RangeError(`priority ${priority} outside 0..${MAX_PRIORITY}`);
    const time = this.now + delayNs;
    if (time > this.maxTimeNs) {
      throw new SimulationLimitError(
        'maxTimeNs',
        this.limits.maxTimeNs,
        `an event was scheduled at ${formatTime(time)}, beyond the simulated-time limit of ${formatTime(this.limits.maxTimeNs)}`,
      );
    }
    this.queue.push(time, priority, event);
  }

  event<T = unknown>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that succeeds `delayNs` from now. */
  timeout<T = undefined>(delayNs: SimTime, value?: T): SimEvent<T> {
    // The hottest call of every model: trigger in place rather than through succeed().
    const event = new SimEvent<T>(this);
    event.state = TRIGGERED;
    event.value = value;
    this.schedule(event, NORMAL, delayNs);
    return event;
  }

  /**
   * As `timeout`, for the hottest waits: the event comes from a free list
   * and goes back to it once its callbacks have run, so the caller must
   * yield it at once and keep no reference to it.
   */
  delay(delayNs: SimTime): SimEvent<undefined> {
    const event = (this.recycled.pop() as SimEvent<undefined> | undefined) ?? new SimEvent<undefined>(this);
    event.state = TRIGGERED;
    event.recyclable = true;
    this.schedule(event, NORMAL, delayNs);
    return event;
  }

  process<R>(body: ProcessBody<R>, name = 'process'): Process<R> {
    return new Process(this, body, name);
  }

  /**
   * An event that succeeds once every one of `events` has succeeded (SimPy's
   * AllOf), or fails with the first failure among them.
   */
  allOf(events: readonly SimEvent[]): SimEvent<void> {
    const all = new SimEvent<void>(this);
    let left = events.length;
    const settle = (event: SimEvent): void => {
      if (all.isTriggered) return;
      if (!event.ok) {
        event.defused = true;
        all.fail(event.value as Error);
      } else if (--left === 0) all.succeed();
    };
    for (const event of events) {
      if (event.isProcessed) settle(event);
      else event.addCallback(settle);
    }
    if (events.length === 0) all.succeed();
    return all;
  }

  /** Time of the next event, or Infinity if none is scheduled. */
  peek(): SimTime {
    return this.queue.peekTime();
  }

  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Processes the next event. Returns false when there is none. */
  step(): boolean {
    const event = this.queue.pop();
    if (event === undefined) return false;
    this.now = this.queue.lastPoppedTime;
    if (++this.eventsProcessed > this.maxEvents) {
      throw new SimulationLimitError(
        'maxEvents',
        this.limits.maxEvents,
        `the run processed more than ${this.limits.maxEvents} events (simulated time ${formatTime(this.now)})`,
      );
    }
    if (this.heapProbe !== null && (this.eventsProcessed & (HEAP_CHECK_EVERY - 1)) === 0) this.checkHeap();
    event.runCallbacks();
    if (event.recyclable) {
      event.state = PENDING;
      this.recycled.push(event);
      return true;
    }
    if (!event.ok && !event.defused) throw event.value as Error;
    return true;
  }

  private checkHeap(): void {
    const heapBytes = this.heapProbe!();
    if (heapBytes > this.limits.maxHeapBytes) {
      throw new SimulationLimitError(
        'maxHeapBytes',
        this.limits.maxHeapBytes,
        `the run holds ${(heapBytes / 2 ** 20).toFixed(0)} MiB of heap, over its limit of ${(this.limits.maxHeapBytes / 2 ** 20).toFixed(0)} MiB (simulated time ${formatTime(this.now)})`,
      );
    }
  }

  /**
   * Runs until the queue is empty, until simulated time `until` (events
   * strictly before it are processed; the clock then reads `until`), or until
   * the given event has been processed.
   */
  run(until?: SimTime | SimEvent): void {
    if (until === undefined) {
      while (this.step());
      return;
    }
    if (typeof until === 'number') {
      if (until < this.now) throw new RangeError(`until (${until}) lies in the past (now ${this.now})`);
      while (this.queue.peekTime() < until) this.step();
      this.now = until;
      return;
    }
    while (!until.isProcessed) {
      if (!this.step()) throw new Error('the run ran out of events before the awaited event happened');
    }
  }
}
