/**
 * A tally: every observation weighs equally (wait time per acquisition), as
 * salabim's Monitor without `level`. The validation models use it to compare
 * simulated means with closed forms.
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
