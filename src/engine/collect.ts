/**
 * Collectors turn probe payloads into statistics. Two kinds, as in salabim's
 * Monitor: a tally weighs every observation equally (wait time per
 * acquisition); a level is weighted by how long it held (queue length).
 */
export class Tally {
  count = 0;
  sum = 0;
  sumOfSquares = 0;
  min = Infinity;
  max = -Infinity;
  private readonly values: number[] | null;

  /** `keepValues` retains every observation for exact quantiles. */
  constructor(keepValues = false) {
    this.values = keepValues ? [] : null;
  }

  add(value: number): void {
    this.count++;
    this.sum += value;
    this.sumOfSquares += value * value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.values !== null) this.values.push(value);
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** Sample variance (n - 1 denominator). */
  get variance(): number {
    if (this.count < 2) return NaN;
    return Math.max(0, (this.sumOfSquares - (this.sum * this.sum) / this.count) / (this.count - 1));
  }

  observations(): readonly number[] {
    if (this.values === null) throw new Error('this tally was created without keepValues');
    return this.values;
  }
}

export class TimeWeightedLevel {
  private level: number;
  private lastChange: number;
  private area = 0;
  private readonly start: number;
  max: number;

  constructor(startTime: number, initialLevel = 0) {
    this.start = startTime;
    this.lastChange = startTime;
    this.level = initialLevel;
    this.max = initialLevel;
  }

  get current(): number {
    return this.level;
  }

  set(time: number, level: number): void {
    this.area += this.level * (time - this.lastChange);
    this.lastChange = time;
    this.level = level;
    if (level > this.max) this.max = level;
  }

  add(time: number, delta: number): void {
    this.set(time, this.level + delta);
  }

  /** Time-average of the level over [start, time]. */
  mean(time: number): number {
    const span = time - this.start;
    if (span <= 0) return this.level;
    return (this.area + this.level * (time - this.lastChange)) / span;
  }
}
