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
