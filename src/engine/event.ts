import type { Simulation } from './simulation.js';

/** Scheduling priorities: URGENT entries at a given time run before NORMAL ones. */
export const URGENT = 0;
export const NORMAL = 1;

export const PENDING = 0;
export const TRIGGERED = 1;
export const PROCESSED = 2;
export type EventState = typeof PENDING | typeof TRIGGERED | typeof PROCESSED;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventCallback = (event: SimEvent<any>) => void;

/**
 * Something that happens at one instant of simulated time.
 *
 * Life cycle: pending -> triggered (succeed/fail set the outcome and schedule it)
 * -> processed (its callbacks have run). A failed event whose failure nobody
 * handled (no process received it, nothing set `defused`) stops the run: a
 * failure is never silent.
 */
export class SimEvent<T = unknown> {
  state: EventState = PENDING;
  ok = true;
  value: T | undefined = undefined;
  /** Set when someone took responsibility for this event's failure. */
  defused = false;
  /** A `Simulation.delay` event: reused once its callbacks have run. */
  recyclable = false;
  // The common case has one callback; the array exists only when a second arrives.
  private firstCallback: EventCallback | null = null;
  private moreCallbacks: EventCallback[] | null = null;

  constructor(readonly sim: Simulation) {}

  get isTriggered(): boolean {
    return this.state !== PENDING;
  }

  get isProcessed(): boolean {
    return this.state === PROCESSED;
  }

  /** Triggers the event with a value; callbacks run `delayNs` from now. */
  succeed(value?: T, priority: number = NORMAL, delayNs = 0): this {
    if (this.state !== PENDING) throw new Error('event has already been triggered');
    this.ok = true;
    this.value = value;
    this.state = TRIGGERED;
    this.sim.schedule(this, priority, delayNs);
    return this;
  }

  /** Triggers the event as failed; waiting processes receive `error` as a throw. */
  fail(error: Error, priority: number = NORMAL): this {
    if (this.state !== PENDING) throw new Error('event has already been triggered');
    this.ok = false;
    this.value = error as unknown as T;
    this.state = TRIGGERED;
    this.sim.schedule(this, priority, 0);
    return this;
  }

  addCallback(callback: EventCallback): void {
    if (this.state === PROCESSED) throw new Error('cannot add a callback to a processed event');
    if (this.firstCallback === null) this.firstCallback = callback;
    else (this.moreCallbacks ??= []).push(callback);
  }

  removeCallback(callback: EventCallback): void {
    if (this.firstCallback === callback) {
      this.firstCallback = this.moreCallbacks !== null && this.moreCallbacks.length > 0 ? this.moreCallbacks.shift()! : null;
      return;
    }
    if (this.moreCallbacks === null) return;
    const index = this.moreCallbacks.indexOf(callback);
    if (index >= 0) this.moreCallbacks.splice(index, 1);
  }

  /** Runs the callbacks; called by the simulation when the event is popped. */
  runCallbacks(): void {
    this.state = PROCESSED;
    const first = this.firstCallback;
    if (first === null) return;
    this.firstCallback = null;
    first(this);
    const more = this.moreCallbacks;
    if (more !== null) {
      this.moreCallbacks = null;
      for (let i = 0; i < more.length; i++) more[i](this);
    }
  }

  /** True if at least one callback is registered (someone is waiting). */
  get hasCallbacks(): boolean {
    return this.firstCallback !== null;
  }
}

/** Thrown into a process by `Process.interrupt`. */
export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    super(`interrupted: ${String(cause)}`);
    this.name = 'Interrupt';
  }
}
