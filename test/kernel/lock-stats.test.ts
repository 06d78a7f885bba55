import { describe, expect, it } from 'vitest';
import { LockStats, LogHistogram } from '../../src/kernel/index.js';

/** Nearest-rank quantile of sorted values, the histogram's definition. */
const exact = (sorted: readonly number[], q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];

/** A deterministic heavy-tailed sample: log-uniform over 50 ns .. 50 ms, from a fixed LCG. */
function waits(count: number): number[] {
  let state = 12345;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 50 * 10 ** ((state / 2 ** 31) * 6);
  });
}

describe('LogHistogram', () => {
  it('gives quantiles within 1% of the exact ones, at every scale', () => {
    const values = waits(20_000);
    const histogram = new LogHistogram();
    for (const value of values) histogram.add(value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1]) {
      expect(Math.abs(histogram.quantile(q) / exact(sorted, q) - 1), `q = ${q}`).toBeLessThan(0.01);
    }
  });

  it('is within 1% on an evenly spread sample, and exact at the extremes', () => {
    const histogram = new LogHistogram();
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) * 100);
    for (const value of values) histogram.add(value);
    for (const q of [0.5, 0.9, 0.99]) expect(Math.abs(histogram.quantile(q) / exact(values, q) - 1)).toBeLessThan(0.01);
    expect(histogram.quantile(1)).toBe(100_000);
    expect(histogram.quantile(0.0001)).toBe(100);
  });

  it('puts every value in a bucket whose middle is within 0.4% (0.5 ns below 128 ns)', () => {
    for (const ns of [1, 1.5, 127.9, 128, 129, 255.5, 256, 1e3, 4096, 4097, 1e6, 2 ** 40 + 3, 7.3e12]) {
      const middle = LogHistogram.middleOf(LogHistogram.bucketOf(ns));
      expect(Math.abs(middle - ns), String(ns)).toBeLessThanOrEqual(Math.max(0.5, ns * 0.004));
    }
    // Octave edges land in the first sub-bucket of their octave.
    expect(LogHistogram.bucketOf(2 ** 20)).toBe(LogHistogram.bucketOf(2 ** 20 + 1));
    expect(LogHistogram.bucketOf(2 ** 20 - 1)).toBeLessThan(LogHistogram.bucketOf(2 ** 20));
  });

  it('is empty-safe and keeps zero-length waits in the first bucket', () => {
    const histogram = new LogHistogram();
    expect(histogram.quantile(0.5)).toBe(0);
    histogram.add(0);
    histogram.add(0);
    histogram.add(1e6);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(1)).toBe(1e6);
  });
});

describe('LockStats', () => {
  it('records every wait and hold in its distributions', () => {
    const stats = new LockStats();
    stats.acquired(0, 0, 'exclusive', 0, false);
    stats.acquired(1, 5000, 'exclusive', 5000, true);
    stats.released(1, 7000, 'exclusive', 2000);
    expect(stats.waitHistogram.total).toBe(2);
    expect(stats.holdHistogram.total).toBe(1);
    expect(stats.waitHistogram.quantile(1)).toBe(5000);
  });
});

describe('LogHistogram.bucketOf', () => {
  /** The octave by log2 and the offset by division, as for values past 2^31. */
  function reference(ns: number): number {
    const sub = LogHistogram.SUB_BUCKETS;
    if (!(ns >= sub)) return ns > 0 ? Math.floor(ns) : 0;
    let exponent = Math.floor(Math.log2(ns));
    let offset = Math.floor(ns / 2 ** (exponent - LogHistogram.SUB_BITS));
    if (offset >= 2 * sub) offset = Math.floor(ns / 2 ** (++exponent - LogHistogram.SUB_BITS));
    else if (offset < sub) offset = Math.floor(ns / 2 ** (--exponent - LogHistogram.SUB_BITS));
    return (exponent - LogHistogram.SUB_BITS + 1) * sub + (offset - sub);
  }

  it('gives the same bucket in integer arithmetic as by log2, at octave edges and between', () => {
    const values: number[] = [];
    for (let e = 7; e < 31; e++) for (const d of [-1, 0, 0.5, 1]) values.push(2 ** e + d);
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      values.push(128 + x * 1.000173);
    }
    for (const v of values.filter((n) => n >= 128 && n < 2 ** 31)) expect(LogHistogram.bucketOf(v)).toBe(reference(v));
  });
});
