import { machineRepairmanMva, md1MeanWait, mm1MeanWait } from './closed-forms.js';
import { simulateMachineRepairman, simulateOpenQueue } from './models.js';

/** One line of the validation table: a simulated figure against its closed form. */
export interface ValidationRow {
  model: string;
  metric: string;
  simulated: number;
  closedForm: number;
  relativeError: number;
  /** Tolerance on the relative error this row must meet. */
  tolerance: number;
  /** Standard error of the simulated value, when the run gives one. */
  standardError?: number;
  passed: boolean;
}

export interface ValidationOptions {
  seed: string | number;
  /** Customers per open-queue run (the tolerance is derived from the run's own standard error). */
  openCustomers: number;
  /** Simulated duration of each closed run, ns. */
  closedDurationNs: number;
}

export const DEFAULT_VALIDATION: ValidationOptions = { seed: 1, openCustomers: 200_000, closedDurationNs: 2e9 };

function row(model: string, metric: string, simulated: number, closedForm: number, tolerance: number, standardError?: number): ValidationRow {
  // A closed form of exactly zero (no waiting with one thread) is compared absolutely.
  const relativeError = closedForm === 0 ? Math.abs(simulated) : Math.abs(simulated - closedForm) / Math.abs(closedForm);
  return { model, metric, simulated, closedForm, relativeError, tolerance, standardError, passed: relativeError <= tolerance };
}

/**
 * Runs the engine against queueing theory: open M/M/1 and M/D/1 at rho = 0.7
 * (tolerance: four standard errors of the run's own batch-means estimate, so
 * a correct engine fails with probability < 1e-4), and the closed
 * machine-repairman model against exact MVA (tolerance 1%, plus Little's law
 * N = X (Z + W + S) to 0.1% in every closed run).
 */
export function runValidation(options: ValidationOptions = DEFAULT_VALIDATION): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const meanServiceNs = 700;
  const meanInterarrivalNs = 1000;
  for (const service of ['exponential', 'deterministic'] as const) {
    const result = simulateOpenQueue({ customers: options.openCustomers, meanInterarrivalNs, meanServiceNs, service, seed: options.seed });
    const exact = service === 'exponential' ? mm1MeanWait(1 / meanInterarrivalNs, 1 / meanServiceNs) : md1MeanWait(1 / meanInterarrivalNs, 1 / meanServiceNs);
    const tolerance = (4 * result.standardError) / exact;
    rows.push(row(service === 'exponential' ? 'M/M/1 rho=0.7' : 'M/D/1 rho=0.7', 'mean wait (ns)', result.meanWait, exact, tolerance, result.standardError));
  }
  const thinkNs = 4_000;
  const holdNs = 1_000;
  for (const threads of [1, 2, 8, 64]) {
    const sim = simulateMachineRepairman({ threads, meanThinkNs: thinkNs, meanHoldNs: holdNs, durationNs: options.closedDurationNs, seed: options.seed });
    const exact = machineRepairmanMva(threads, thinkNs, holdNs);
    const model = `repairman N=${threads}`;
    rows.push(row(model, 'throughput (/us)', sim.throughputPerNs * 1e3, exact.throughput * 1e3, 0.01));
    rows.push(row(model, 'mean wait (ns)', sim.meanWaitNs, exact.meanWait, 0.01));
    rows.push(row(model, 'utilisation', sim.utilisation, exact.utilisation, 0.01));
    rows.push(row(model, "Little's law N/(X(Z+W+S))", sim.littleRatio, 1, 0.001));
  }
  return rows;
}
