/**
 * One lock-bench point's document -> its spec: defaults, times in ns,
 * distributions resolved, the placement checked against the machine, and
 * the fields that apply to one lock only refused on the others.
 */
import type { Distribution, RunLimits } from '../../engine/index.js';
import { parseCpuList } from '../../input/cpulist.js';
import { InputError } from '../../input/errors.js';
import { READ_WRITE_LOCKS, describePlacement, placeThreads, type BenchArrival, type BenchLockKind, type BenchPlacement, type BenchStop } from '../../lock-bench/index.js';
import type { PointContext } from '../../scenario/kind.js';
import type { PointSpecBase } from '../../scenario/types.js';
import type { TicketHandoffModel } from '../../kernel/index.js';
import type { MachineSpec } from '../../topology/index.js';
import { resolveTimeDistribution } from '../distribution.js';
import { LOCK_BENCH_DEFAULTS, type LockBenchScenarioFile } from './schema.js';

export interface LockBenchPointSpec extends PointSpecBase {
  readonly kind: 'lock-bench';
  readonly machine: MachineSpec;
  readonly threads: number;
  readonly placement: BenchPlacement;
  readonly lock: BenchLockKind;
  readonly think: Distribution;
  readonly hold: Distribution;
  readonly readHold: Distribution | null;
  readonly readShare: number;
  readonly arrival: BenchArrival;
  readonly extraLines: number;
  readonly handoff: TicketHandoffModel;
  readonly fifoHandoffNs: number;
  /** maxSpinNs null: a writer spins until the owner changes (JSON has no Infinity). */
  readonly rwsem: { readonly wakeupNs: number; readonly maxSpinNs: number | null };
  readonly gracePeriod: { readonly baseNs: number; readonly perCpuNs: number };
  readonly stop: BenchStop;
  readonly warmupFraction: number;
  readonly limits: RunLimits;
}

export function resolveLockBenchPoint(document: Record<string, unknown>, context: PointContext): LockBenchPointSpec {
  const file = document as unknown as LockBenchScenarioFile;
  const at = context.at;
  const machine = file.machine as MachineSpec;
  const { topology, model } = context.machine(machine, file.machineParameters, file.machineOverrides);
  const lock = file.lock ?? LOCK_BENCH_DEFAULTS.lock;
  const onlyFor = (field: keyof LockBenchScenarioFile, locks: readonly BenchLockKind[], applies: boolean): void => {
    if (applies && !locks.includes(lock)) {
      throw at.error([field], `\`${field}\` does not apply to a ${lock} lock`, { expected: `lock: ${locks.join(' or ')} (or no ${field})`, found: `lock: ${lock}` }, 'key');
    }
  };
  onlyFor('readShare', READ_WRITE_LOCKS, (file.readShare ?? 0) > 0);
  onlyFor('readHold', READ_WRITE_LOCKS, file.readHold !== undefined);
  onlyFor('handoff', ['ticket'], file.handoff !== undefined && file.handoff !== 'home-queue');
  onlyFor('fifoHandoff', ['fifo'], file.fifoHandoff !== undefined);
  onlyFor('rwsem', ['rwsem'], file.rwsem !== undefined);
  onlyFor('gracePeriod', ['rcu'], file.gracePeriod !== undefined);

  let placement: BenchPlacement;
  const written = file.placement ?? LOCK_BENCH_DEFAULTS.placement;
  if (typeof written === 'string') placement = written;
  else {
    let cpus: number[];
    try {
      cpus = parseCpuList(written.cpuset, { path: 'placement.cpuset' });
    } catch (error) {
      if (error instanceof InputError) throw at.error(['placement', 'cpuset'], error.message, { expected: error.detail.expected, found: error.detail.found });
      throw error;
    }
    placement = { cpus };
  }
  try {
    placeThreads(topology, file.threads, placement);
  } catch (error) {
    if (error instanceof RangeError) {
      const path = typeof written === 'string' ? ['threads'] : ['placement', 'cpuset'];
      throw at.error(path, `${file.threads} threads do not fit ${topology.name} with placement ${describePlacement(placement)}`, {
        expected: `at most the workload CPUs that placement ${describePlacement(placement)} may use`,
        found: `${file.threads} threads`,
        hint: error.message,
      });
    }
    throw error;
  }

  let arrival: BenchArrival = { kind: 'closed' };
  if (file.arrival !== undefined && file.arrival.kind === 'open') {
    if (file.arrival.perSecond === undefined) throw at.error(['arrival'], 'missing required field `perSecond` of an open arrival', { expected: 'requests per second, e.g. perSecond: 1000000', found: 'nothing' });
    arrival = { kind: 'open', meanInterarrivalNs: 1e9 / file.arrival.perSecond };
  } else if (file.arrival?.perSecond !== undefined) {
    throw at.error(['arrival', 'perSecond'], '`perSecond` does not apply to closed arrivals', { expected: 'kind: open, or no perSecond', found: '`perSecond`' }, 'key');
  }

  if (file.duration !== undefined && file.acquisitions !== undefined) {
    throw at.error(['acquisitions'], 'a run ends at a duration or at a count of acquisitions, not both', { expected: 'one of duration and acquisitions', found: 'both' }, 'key');
  }
  const stop: BenchStop = file.acquisitions !== undefined ? { acquisitions: file.acquisitions } : { durationNs: at.duration(file.duration ?? LOCK_BENCH_DEFAULTS.duration, ['duration'], { positive: true }) };

  return {
    kind: 'lock-bench',
    machine,
    machineModel: model,
    threads: file.threads,
    placement,
    lock,
    think: resolveTimeDistribution(at, file.think ?? LOCK_BENCH_DEFAULTS.think, ['think']),
    hold: resolveTimeDistribution(at, file.hold ?? LOCK_BENCH_DEFAULTS.hold, ['hold']),
    readHold: file.readHold === undefined ? null : resolveTimeDistribution(at, file.readHold, ['readHold']),
    readShare: file.readShare ?? 0,
    arrival,
    extraLines: file.extraLines ?? 0,
    handoff: file.handoff ?? LOCK_BENCH_DEFAULTS.handoff,
    fifoHandoffNs: at.duration(file.fifoHandoff ?? LOCK_BENCH_DEFAULTS.fifoHandoff, ['fifoHandoff']),
    rwsem: {
      wakeupNs: at.duration(file.rwsem?.wakeup ?? LOCK_BENCH_DEFAULTS.rwsem.wakeup, ['rwsem', 'wakeup']),
      maxSpinNs: file.rwsem?.maxSpin === undefined ? null : at.duration(file.rwsem.maxSpin, ['rwsem', 'maxSpin']),
    },
    gracePeriod: {
      baseNs: at.duration(file.gracePeriod?.base ?? LOCK_BENCH_DEFAULTS.gracePeriod.base, ['gracePeriod', 'base']),
      perCpuNs: at.duration(file.gracePeriod?.perCpu ?? LOCK_BENCH_DEFAULTS.gracePeriod.perCpu, ['gracePeriod', 'perCpu']),
    },
    stop,
    warmupFraction: file.warmup ?? LOCK_BENCH_DEFAULTS.warmup,
    limits: at.limits(file.limits),
  };
}
