import { SimEvent } from './event.js';
import type { Simulation } from './simulation.js';

/** Double-ended ring buffer: O(1) push/shift without array re-indexing. */
export class Deque<T> {
  private buffer: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 16) {
    this.buffer = new Array<T | undefined>(initialCapacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.buffer.length) this.grow();
    this.buffer[(this.head + this.count) % this.buffer.length] = item;
    this.count++;
  }

  unshift(item: T): void {
    if (this.count === this.buffer.length) this.grow();
    this.head = (this.head - 1 + this.buffer.length) % this.buffer.length;
    this.buffer[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.buffer[this.head];
    this.buffer[this.head] = undefined;
    this.head = (this.head + 1) % this.buffer.length;
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.buffer[this.head];
  }

  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.buffer[(this.head + index) % this.buffer.length];
  }

  /** Removes the first element equal to `item`; O(n). */
  remove(item: T): boolean {
    for (let i = 0; i < this.count; i++) {
      if (this.at(i) === item) {
        for (let j = i; j < this.count - 1; j++) {
          this.buffer[(this.head + j) % this.buffer.length] = this.buffer[(this.head + j + 1) % this.buffer.length];
        }
        this.buffer[(this.head + this.count - 1) % this.buffer.length] = undefined;
        this.count--;
        return true;
      }
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.buffer[(this.head + i) % this.buffer.length] as T;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buffer.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) % this.buffer.length];
    this.buffer = next;
    this.head = 0;
  }
}

/** A waiter: what it asked for, and the event that fires when it is served. */
export interface Waiter<T, V = unknown> {
  readonly token: T;
  readonly event: SimEvent<V>;
  readonly enqueuedAt: number;
}

/**
 * First-in first-out queue of waiting processes. The base every FIFO lock and
 * contended hardware point is built on: `enqueue` returns the event a process
 * yields on; `wakeNext` serves the oldest waiter.
 */
export class FifoWaitQueue<T, V = unknown> {
  private readonly waiters = new Deque<Waiter<T, V>>();

  constructor(private readonly sim: Simulation) {}

  get length(): number {
    return this.waiters.length;
  }

  enqueue(token: T): Waiter<T, V> {
    const waiter: Waiter<T, V> = { token, event: new SimEvent<V>(this.sim), enqueuedAt: this.sim.now };
    this.waiters.push(waiter);
    return waiter;
  }

  peek(): Waiter<T, V> | undefined {
    return this.waiters.peek();
  }

  /** Removes the oldest waiter and succeeds its event with `value` after `delayNs`. */
  wakeNext(value?: V, delayNs = 0): Waiter<T, V> | undefined {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.event.succeed(value, undefined, delayNs);
    return waiter;
  }

  /** Removes the oldest waiter without waking it (the caller decides when). */
  dequeue(): Waiter<T, V> | undefined {
    return this.waiters.shift();
  }

  /** Withdraws a waiter that gave up (timeout, interrupt). */
  cancel(waiter: Waiter<T, V>): boolean {
    return this.waiters.remove(waiter);
  }

  [Symbol.iterator](): IterableIterator<Waiter<T, V>> {
    return this.waiters[Symbol.iterator]();
  }
}
