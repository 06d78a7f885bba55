import { describe, expect, it } from 'vitest';
import { runValidation } from '../../src/validation/table.js';
import { machineRepairmanMva } from '../../src/validation/closed-forms.js';
import { simulateMachineRepairman, simulateOpenQueue } from '../../src/validation/models.js';

describe('engine against queueing theory', () => {
  const rows = runValidation({ seed: 3, openCustomers: 100_000, closedDurationNs: 1e9 });
  for (const row of rows) {
    it(`${row.model}: ${row.metric} within ${(row.tolerance * 100).toFixed(2)}%`, () => {
      expect(row.relativeError).toBeLessThanOrEqual(row.tolerance);
    });
  }

  it("mean value analysis matches known machine-repairman values", () => {
    // One customer never waits; with Z = 0 the server is always busy.
    expect(machineRepairmanMva(1, 4, 1)).toEqual({ throughput: 0.2, meanWait: 0, utilisation: 0.2 });
    expect(machineRepairmanMva(5, 0, 2).utilisation).toBeCloseTo(1, 12);
    expect(machineRepairmanMva(5, 0, 2).meanWait).toBeCloseTo(8, 12);
  });

  it('gives byte-identical results for the same seed and different ones for another', () => {
    const a = JSON.stringify(simulateOpenQueue({ customers: 20_000, meanInterarrivalNs: 1000, meanServiceNs: 600, service: 'exponential', seed: 9 }));
    const b = JSON.stringify(simulateOpenQueue({ customers: 20_000, meanInterarrivalNs: 1000, meanServiceNs: 600, service: 'exponential', seed: 9 }));
    const c = JSON.stringify(simulateOpenQueue({ customers: 20_000, meanInterarrivalNs: 1000, meanServiceNs: 600, service: 'exponential', seed: 10 }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const closed = (seed: number): string => JSON.stringify(simulateMachineRepairman({ threads: 4, meanThinkNs: 3000, meanHoldNs: 1000, durationNs: 1e8, seed }));
    expect(closed(4)).toBe(closed(4));
  });
});
