import { describe, expect, it } from 'vitest';
import { RandomStreams, sample, distributionMean, type Distribution } from '../../src/engine/index.js';

describe('random streams', () => {
  it('gives the same draws for the same seed and name', () => {
    const a = new RandomStreams(7).stream('arrivals');
    const b = new RandomStreams(7).stream('arrivals');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('keeps a stream independent of streams created before it', () => {
    const plain = new RandomStreams(7);
    const crowded = new RandomStreams(7);
    crowded.stream('extra').next();
    crowded.stream('another').next();
    expect(crowded.stream('service').next()).toBe(plain.stream('service').next());
  });

  it('gives different draws for different seeds', () => {
    expect(new RandomStreams(1).stream('x').next()).not.toBe(new RandomStreams(2).stream('x').next());
  });

  it('samples each distribution around its mean', () => {
    const distributions: Distribution[] = [
      { kind: 'deterministic', value: 3 },
      { kind: 'exponential', mean: 2 },
      { kind: 'uniform', min: 1, max: 5 },
      { kind: 'normal', mean: 10, sd: 2 },
      { kind: 'lognormal', median: 1, sigma: 0.5 },
      { kind: 'empirical', values: [1, 2, 3, 10] },
    ];
    const streams = new RandomStreams('dist');
    for (const distribution of distributions) {
      const stream = streams.stream(distribution.kind);
      let sum = 0;
      const n = 40_000;
      for (let i = 0; i < n; i++) sum += sample(distribution, stream);
      expect(sum / n).toBeCloseTo(distributionMean(distribution), 1);
    }
  });
});
