/**
 * Binary min-heap of scheduled entries, ordered by (time, priority, sequence).
 *
 * Keys live in two parallel Float64Arrays so that sift operations compare
 * numbers without touching the entries. The secondary key packs priority and
 * sequence into one exact integer: priority * 2^40 + sequence. Sequence numbers
 * are unique and increasing, so equal (time, priority) pairs pop in insertion
 * order and the order of the whole run is fully determined.
 */
const SEQUENCE_SPAN = 2 ** 40;
export const MAX_PRIORITY = 255;

export class EventQueue<T> {
  private times: Float64Array;
  private keys: Float64Array;
  private items: (T | undefined)[];
  private count = 0;
  private nextSequence = 0;
  /** Time of the entry most recently popped. */
  lastPoppedTime = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.keys = new Float64Array(initialCapacity);
    this.items = new Array<T | undefined>(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0] : Infinity;
  }

  push(time: number, priority: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    const key = priority * SEQUENCE_SPAN + this.nextSequence++;
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent];
      if (parentTime < time || (parentTime === time && keys[parent] < key)) break;
      times[index] = parentTime;
      keys[index] = keys[parent];
      items[index] = items[parent];
      index = parent;
    }
    times[index] = time;
    keys[index] = key;
    items[index] = item;
  }

  /** Removes and returns the earliest entry; `undefined` when empty. */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    const top = items[0];
    this.lastPoppedTime = times[0];
    const last = --this.count;
    const time = times[last];
    const key = keys[last];
    const item = items[last];
    items[last] = undefined;
    let index = 0;
    const half = last >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (right < last && (times[right] < times[child] || (times[right] === times[child] && keys[right] < keys[child]))) {
        child = right;
      }
      if (time < times[child] || (time === times[child] && key < keys[child])) break;
      times[index] = times[child];
      keys[index] = keys[child];
      items[index] = items[child];
      index = child;
    }
    if (last > 0) {
      times[index] = time;
      keys[index] = key;
      items[index] = item;
    }
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const keys = new Float64Array(capacity);
    times.set(this.times);
    keys.set(this.keys);
    this.times = times;
    this.keys = keys;
    this.items.length = capacity;
  }
}
