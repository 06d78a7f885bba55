/**
 * Fits the additive mesh model to a measured core-to-core latency matrix:
 * latency(i, j) = c + a_i + a_j for every pair of distinct CPUs in a block
 * (one socket's mesh), by least squares. c is the base cost of a transfer,
 * a_i what CPU i's position on the mesh adds. This is the fit behind the
 * machine files' `sameDomain: {base, offsetMax}` (data/c2c/derived_additive_fit.csv),
 * for `locksim models fit`, so a user can model their own machine from a
 * core-to-core-latency CSV.
 *
 * mathjs solves the normal equations (an (n+1) x (n+1) system): matrix work
 * is what it is for. It is loaded here, on first use, and nowhere on the
 * simulation path, so no sweep worker pays for loading it.
 */
import type { C2cMatrix } from '../topology/index.js';

export interface MeshFit {
  /** The CPUs fitted, as given. */
  readonly cpus: readonly number[];
  /** Base cost c, in ns: what a transfer between the two best-placed CPUs costs. */
  readonly baseNs: number;
  /** Per-CPU offsets a_i, in ns, shifted so the smallest is 0. */
  readonly offsetsNs: readonly number[];
  readonly offsetMaxNs: number;
  readonly offsetMedianNs: number;
  /** Goodness of fit over the pairs used. */
  readonly r2: number;
  readonly rmseNs: number;
  /** Pairs with a measured value that entered the fit. */
  readonly pairs: number;
  /** Median of the measured pairs, in ns (the class median the tests compare against). */
  readonly medianNs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Least-squares fit of c + a_i + a_j over the distinct pairs of `cpus` (default: every CPU of the matrix). */
export async function fitMeshModel(matrix: C2cMatrix, cpus: readonly number[] = Array.from({ length: matrix.cpus }, (_, i) => i)): Promise<MeshFit> {
  const n = cpus.length;
  if (n < 3) throw new RangeError(`the additive fit needs at least 3 CPUs, got ${n}`);
  for (const cpu of cpus) if (!Number.isInteger(cpu) || cpu < 0 || cpu >= matrix.cpus) throw new RangeError(`CPU ${cpu} is not in the ${matrix.cpus}-CPU matrix`);
  // Normal equations N x = b for x = [c, a_0 .. a_{n-1}], one row per measured pair (i < j):
  // the pair's design row is 1 at c, a_i and a_j.
  const size = n + 1;
  const normal = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const rhs = new Array<number>(size).fill(0);
  const measured: { i: number; j: number; ns: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const ns = matrix.latencyNs[cpus[i]][cpus[j]];
      if (!Number.isFinite(ns)) continue;
      measured.push({ i, j, ns });
      const columns = [0, i + 1, j + 1];
      for (const r of columns) {
        rhs[r] += ns;
        for (const c of columns) normal[r][c] += 1;
      }
    }
  }
  if (measured.length < size) throw new RangeError(`the matrix has ${measured.length} measured pairs among these CPUs; the fit needs at least ${size}`);
  // The offsets are defined up to a shift (c - 2d, a_i + d fit alike): pin their sum to 0, then move the smallest to 0.
  // (A penalty row [0, 1, ..., 1] with target 0: the residual is the same along the shift, so only the shift is chosen.)
  for (let k = 1; k < size; k++) for (let l = 1; l < size; l++) normal[k][l] += 1;
  const { lusolve } = await import('mathjs');
  const solution = (lusolve(normal, rhs) as number[][]).map((row) => row[0]);
  const offsets = solution.slice(1);
  const shift = Math.min(...offsets);
  const offsetsNs = offsets.map((a) => a - shift);
  const baseNs = solution[0] + 2 * shift;
  const mean = measured.reduce((sum, m) => sum + m.ns, 0) / measured.length;
  let residual = 0;
  let total = 0;
  for (const m of measured) {
    const predicted = baseNs + offsetsNs[m.i] + offsetsNs[m.j];
    residual += (m.ns - predicted) ** 2;
    total += (m.ns - mean) ** 2;
  }
  return {
    cpus: [...cpus],
    baseNs,
    offsetsNs,
    offsetMaxNs: Math.max(...offsetsNs),
    offsetMedianNs: median(offsetsNs),
    r2: total === 0 ? 1 : 1 - residual / total,
    rmseNs: Math.sqrt(residual / measured.length),
    pairs: measured.length,
    medianNs: median(measured.map((m) => m.ns)),
  };
}
