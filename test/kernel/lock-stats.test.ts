import { describe, expect, it } from 'vitest';
import { LockStats, LogHistogram } from '../../src/kernel/index.js';

describe('LogHistogram', () => {
  it('gives quantiles within a bucket (~19%) of the exact ones', () => {
    const histogram = new LogHistogram();
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) * 100);
    for (const value of values) histogram.add(value);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1];
      expect(Math.abs(histogram.quantile(q) / exact - 1)).toBeLessThan(0.19);
    }
  });

  it('is empty-safe and keeps zero-length waits in the first bucket', () => {
    const histogram = new LogHistogram();
    expect(histogram.quantile(0.5)).toBe(0);
    histogram.add(0);
    histogram.add(0);
    histogram.add(1e6);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(1)).toBeGreaterThan(0.8e6);
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
    expect(stats.waitHistogram.quantile(1)).toBeGreaterThan(4000);
  });
});
