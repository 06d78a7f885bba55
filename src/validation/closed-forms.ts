/**
 * Closed forms from queueing theory that the engine must reproduce.
 * Times in any consistent unit.
 */

/** Open M/M/1: mean wait in queue Wq = rho / (mu - lambda). */
export function mm1MeanWait(arrivalRate: number, serviceRate: number): number {
  if (arrivalRate >= serviceRate) throw new RangeError('M/M/1 is unstable for rho >= 1');
  const rho = arrivalRate / serviceRate;
  return rho / (serviceRate - arrivalRate);
}

/** Open M/D/1 (Pollaczek-Khinchine with zero service variance): Wq = rho / (2 mu (1 - rho)). */
export function md1MeanWait(arrivalRate: number, serviceRate: number): number {
  if (arrivalRate >= serviceRate) throw new RangeError('M/D/1 is unstable for rho >= 1');
  const rho = arrivalRate / serviceRate;
  return rho / (2 * serviceRate * (1 - rho));
}

export interface ClosedModelMetrics {
  /** Customers completed per unit time. */
  throughput: number;
  /** Mean time waiting for the server (excluding service). */
  meanWait: number;
  /** Fraction of time the server is busy. */
  utilisation: number;
}

/**
 * Exact mean value analysis of the machine-repairman model M/M/1//N: N
 * customers alternate think time Z (a delay station) and one FIFO server with
 * mean service S. Exact for exponential service; the think distribution does
 * not matter (BCMP insensitivity of the delay station).
 */
export function machineRepairmanMva(customers: number, thinkTime: number, serviceTime: number): ClosedModelMetrics {
  let queueLength = 0;
  let throughput = 0;
  let residence = 0;
  for (let n = 1; n <= customers; n++) {
    residence = serviceTime * (1 + queueLength);
    throughput = n / (thinkTime + residence);
    queueLength = throughput * residence;
  }
  return { throughput, meanWait: residence - serviceTime, utilisation: throughput * serviceTime };
}

/**
 * The finite-source queue M/G/1//N with deterministic service D (M/D/1//N):
 * N customers think for exponential times of mean Z, then queue FIFO for
 * one server. Exact, by the embedded Markov chain at departures that Takács
 * used for the finite-source M/G/1 (L. Takács, "Introduction to the Theory of
 * Queues", 1962, ch. 5): while one service of length D runs, each of the m
 * thinking customers arrives with probability p = 1 - exp(-D/Z), so the
 * arrivals are Binomial(m, p). The chain over "customers left behind"
 * (0..N-1) is solved directly; the mean time between departures is
 * D + pi0 x Z/N (an idle spell after an empty departure), and the response
 * time law gives the wait: W = N/X - Z - D (docs/validation.md).
 */
export function finiteSourceMd1(customers: number, thinkTime: number, serviceTime: number): ClosedModelMetrics {
  const n = customers;
  if (n < 1) throw new RangeError('M/D/1//N needs at least one customer');
  if (thinkTime <= 0) return { throughput: 1 / serviceTime, meanWait: (n - 1) * serviceTime, utilisation: 1 };
  const p = 1 - Math.exp(-serviceTime / thinkTime);
  const binomial = (m: number): number[] => {
    const row = new Array<number>(m + 1).fill(0);
    row[0] = (1 - p) ** m;
    for (let a = 1; a <= m; a++) row[a] = (row[a - 1] * (m - a + 1) * p) / (a * (1 - p));
    return row;
  };
  // Transition matrix over states 0..n-1 (customers left behind by a departure).
  const states = n;
  const matrix: number[][] = Array.from({ length: states }, () => new Array<number>(states).fill(0));
  for (let left = 0; left < states; left++) {
    const inService = Math.max(left, 1);
    const arrivals = binomial(n - inService);
    arrivals.forEach((probability, a) => {
      matrix[left][inService - 1 + a] += probability;
    });
  }
  const pi = stationary(matrix);
  const cycle = serviceTime + (pi[0] * thinkTime) / n;
  const throughput = 1 / cycle;
  return { throughput, meanWait: n / throughput - thinkTime - serviceTime, utilisation: throughput * serviceTime };
}

/** Stationary distribution of a finite Markov chain (rows sum to 1), by Gaussian elimination on pi (P - I) = 0, sum pi = 1. */
function stationary(matrix: readonly (readonly number[])[]): number[] {
  const size = matrix.length;
  // Rows of the system: columns of (P^T - I), the last equation replaced by sum = 1.
  const a: number[][] = Array.from({ length: size }, (_, i) => Array.from({ length: size + 1 }, (_, j) => (j === size ? 0 : matrix[j][i] - (i === j ? 1 : 0))));
  a[size - 1] = new Array<number>(size + 1).fill(1);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let row = 0; row < size; row++) {
      if (row === col || a[row][col] === 0) continue;
      const factor = a[row][col] / a[col][col];
      for (let j = col; j <= size; j++) a[row][j] -= factor * a[col][j];
    }
  }
  return a.map((row, i) => row[size] / row[i]);
}

/**
 * The Markov chain of a ticket spinlock from Boyd-Wickizer, Kaashoek, Morris
 * and Zeldovich, "Non-scalable locks are dangerous" (Linux Symposium 2012):
 * state k = cores waiting for or holding the lock; each of the n - k others
 * arrives at rate 1/Z (think time Z); the holder's section s and the
 * handoff to the next core, which waits on average behind half of the k
 * cores' re-reads of c each, leave state k at rate 1 / (s + c k / 2). A
 * birth-death chain: pi_k is proportional to prod_{i<k} (n - i)/Z x
 * prod_{i<=k} (s + c i / 2). Throughput: sum over k >= 1 of pi_k / (s + c k / 2).
 */
export function boydWickizerChain(cores: number, thinkTime: number, sectionTime: number, rereadTime: number): ClosedModelMetrics {
  const service = (k: number): number => sectionTime + (rereadTime * k) / 2;
  // Unnormalized weights in log space: the products grow fast.
  const logWeights = [0];
  for (let k = 1; k <= cores; k++) logWeights.push(logWeights[k - 1] + Math.log((cores - k + 1) / thinkTime) + Math.log(service(k)));
  const top = Math.max(...logWeights);
  const weights = logWeights.map((w) => Math.exp(w - top));
  const total = weights.reduce((sum, w) => sum + w, 0);
  let throughput = 0;
  for (let k = 1; k <= cores; k++) throughput += weights[k] / total / service(k);
  // Utilisation: the share of time a section runs (the handoffs are not held time).
  return { throughput, meanWait: cores / throughput - thinkTime - sectionTime, utilisation: throughput * sectionTime };
}
