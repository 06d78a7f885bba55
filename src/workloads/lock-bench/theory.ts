/**
 * Which closed form a lock-bench point has, if any, and its values: the
 * `theory.*` metrics an `expect:` compares the simulation with
 * (scenarios/validation/, docs/validation.md).
 *
 *   ideal FIFO lock, closed, think 0          saturated lock: X = 1/(S + h), W = N/X - S
 *   ideal FIFO lock, closed, exponential hold  M/M/1//N by mean value analysis
 *   ideal FIFO lock, closed, fixed hold,
 *     exponential think                       M/D/1//N (Takács' embedded chain)
 *   ideal FIFO lock, open, exponential hold    M/M/1: Wq = rho / (mu - lambda)
 *   ideal FIFO lock, open, fixed hold          M/D/1: Wq = rho / (2 mu (1 - rho))
 *   ticket lock, handoff chain, closed,
 *     exponential think, one socket           the Boyd-Wickizer chain
 *
 * Each needs the lock's handoff free (h = 0), except the saturated lock,
 * and the threads free of SMT siblings that would stretch a hold.
 */
import { distributionMean, type Distribution } from '../../engine/index.js';
import type { MachineModel } from '../../topology/index.js';
import { boydWickizerChain, finiteSourceMd1, machineRepairmanMva, md1MeanWait, mm1MeanWait } from '../../validation/closed-forms.js';
import type { LockBenchPointSpec } from './resolve.js';

export interface LockBenchTheory {
  /** Which closed form, for reports. */
  readonly model: string;
  readonly throughputPerS: number;
  readonly meanWaitNs: number;
  readonly utilisation: number;
}

const is = (distribution: Distribution, kind: Distribution['kind']): boolean => distribution.kind === kind;

export function lockBenchTheory(spec: LockBenchPointSpec, machine: MachineModel): LockBenchTheory | null {
  const n = spec.threads;
  const holdNs = distributionMean(spec.hold);
  const thinkNs = distributionMean(spec.think);
  const perNs = (metrics: { throughput: number; meanWait: number; utilisation: number }, model: string): LockBenchTheory => ({
    model,
    throughputPerS: metrics.throughput * 1e9,
    meanWaitNs: metrics.meanWait,
    utilisation: metrics.utilisation,
  });
  if (spec.lock === 'fifo' && spec.extraLines === 0) {
    if (spec.arrival.kind === 'closed') {
      if (is(spec.think, 'deterministic') && thinkNs === 0) {
        const cycleNs = holdNs + spec.fifoHandoffNs;
        return { model: 'saturated lock', throughputPerS: 1e9 / cycleNs, meanWaitNs: n * cycleNs - holdNs, utilisation: holdNs / cycleNs };
      }
      if (spec.fifoHandoffNs !== 0) return null;
      if (is(spec.hold, 'exponential')) return perNs(machineRepairmanMva(n, thinkNs, holdNs), 'M/M/1//N (MVA)');
      if (is(spec.hold, 'deterministic') && is(spec.think, 'exponential')) return perNs(finiteSourceMd1(n, thinkNs, holdNs), 'M/D/1//N (Takács)');
      return null;
    }
    if (spec.fifoHandoffNs !== 0) return null;
    const lambda = 1 / spec.arrival.meanInterarrivalNs;
    const mu = 1 / holdNs;
    if (lambda >= mu) return null;
    const rho = lambda / mu;
    if (is(spec.hold, 'exponential')) return { model: 'M/M/1', throughputPerS: lambda * 1e9, meanWaitNs: mm1MeanWait(lambda, mu), utilisation: rho };
    if (is(spec.hold, 'deterministic')) return { model: 'M/D/1', throughputPerS: lambda * 1e9, meanWaitNs: md1MeanWait(lambda, mu), utilisation: rho };
    return null;
  }
  if (spec.lock === 'ticket' && spec.handoff === 'chain' && spec.arrival.kind === 'closed' && is(spec.think, 'exponential') && machine.sockets === 1 && spec.extraLines === 0) {
    return perNs(boydWickizerChain(n, thinkNs, holdNs, machine.parameters.fanOutRead.value), 'Boyd-Wickizer chain');
  }
  return null;
}
