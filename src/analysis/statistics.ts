/**
 * Statistics over observations and across replications: moments, the
 * Student t quantile (by bisection on the regularized incomplete beta) and
 * the Welch interval of a difference of means. Plain code: these run in
 * every sweep worker, where a library's load time would cost more than the
 * arithmetic (mathjs took ~1.2 s of CPU per worker for mean and std).
 */
import type { Estimate } from './summary.js';

/** Nearest-rank percentile (p in [0, 1]) of values; +Infinity entries sort last. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank];
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample variance (n - 1 in the denominator), by two passes around the mean; 0 for fewer than two values. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - m) * (value - m);
  return squares / (values.length - 1);
}

export function sampleStd(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

/** Two-sided Student t quantile t_{1-alpha/2, df} by bisection on the regularized incomplete beta. */
export function studentTQuantile(confidence: number, degreesOfFreedom: number): number {
  const target = 1 - (1 - confidence) / 2;
  let low = 0;
  let high = 1000;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, degreesOfFreedom) < target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * regularizedBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

function logGamma(z: number): number {
  // Lanczos approximation, g = 7.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** Mean over replications with the 95% confidence half-width. */
export function estimate(perSeed: readonly number[]): Estimate {
  const m = mean(perSeed);
  const ci95 = perSeed.length < 2 ? 0 : (studentTQuantile(0.95, perSeed.length - 1) * sampleStd(perSeed)) / Math.sqrt(perSeed.length);
  return { mean: m, ci95, perSeed: [...perSeed] };
}

/** A difference of means b - a with its two-sided confidence interval. */
export interface DifferenceInterval {
  readonly difference: number;
  /** Bounds of the interval; null when either side has fewer than two values (no estimate of the noise). */
  readonly low: number | null;
  readonly high: number | null;
  /** Welch-Satterthwaite degrees of freedom (Infinity when both sides have no spread). */
  readonly degreesOfFreedom: number | null;
}

/**
 * Welch's t interval for mean(b) - mean(a): unequal variances, no pairing
 * (seeds of two runs are independent replications). With no spread on
 * either side the interval is the point itself: the values did not vary.
 */
export function welchInterval(a: readonly number[], b: readonly number[], confidence = 0.95): DifferenceInterval {
  const difference = mean(b) - mean(a);
  if (a.length < 2 || b.length < 2) return { difference, low: null, high: null, degreesOfFreedom: null };
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, low: difference, high: difference, degreesOfFreedom: Infinity };
  const df = (va + vb) ** 2 / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  const half = studentTQuantile(confidence, df) * se;
  return { difference, low: difference - half, high: difference + half, degreesOfFreedom: df };
}
