import seedrandom from 'seedrandom';

/**
 * One named pseudo-random stream (Alea generator). Streams are seeded from the
 * root seed and their own name, so adding a stream never changes the draws of
 * another.
 */
export class RandomStream {
  private readonly prng: () => number;

  constructor(readonly name: string, rootSeed: string | number) {
    this.prng = seedrandom.alea(`${String(rootSeed)}/${name}`);
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.prng();
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.prng();
  }

  exponential(mean: number): number {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    return -mean * Math.log(1 - this.prng());
  }

  normal(mean: number, sd: number): number {
    // Box-Muller; the second variate is dropped so every draw costs exactly two uniforms.
    const u1 = 1 - this.prng();
    const u2 = this.prng();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  lognormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.prng() * n);
  }

  pick<T>(values: readonly T[]): T {
    return values[this.integer(values.length)];
  }
}

export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: string | number) {}

  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new RandomStream(name, this.seed);
      this.streams.set(name, stream);
    }
    return stream;
  }
}

/** A distribution of a non-negative quantity, as written in model and scenario files. */
export type Distribution =
  | { kind: 'deterministic'; value: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; median: number; sigma: number }
  | { kind: 'empirical'; values: readonly number[] };

export function sample(distribution: Distribution, stream: RandomStream): number {
  switch (distribution.kind) {
    case 'deterministic':
      return distribution.value;
    case 'exponential':
      return stream.exponential(distribution.mean);
    case 'uniform':
      return stream.uniform(distribution.min, distribution.max);
    case 'normal':
      return stream.normal(distribution.mean, distribution.sd);
    case 'lognormal':
      return stream.lognormal(distribution.median, distribution.sigma);
    case 'empirical':
      return stream.pick(distribution.values);
  }
}

export function distributionMean(distribution: Distribution): number {
  switch (distribution.kind) {
    case 'deterministic':
      return distribution.value;
    case 'exponential':
      return distribution.mean;
    case 'uniform':
      return (distribution.min + distribution.max) / 2;
    case 'normal':
      return distribution.mean;
    case 'lognormal':
      return distribution.median * Math.exp((distribution.sigma * distribution.sigma) / 2);
    case 'empirical':
      return distribution.values.reduce((a, b) => a + b, 0) / distribution.values.length;
  }
}
