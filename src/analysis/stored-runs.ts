/**
 * The schema of one run's outputs as stored (checkpoint lines, partials,
 * results.json), for checkStored: every field the summaries and charts read.
 * Objects stay open, so a file with fields from a newer version still reads.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StoredNumber } from '../input/stored.js';
import { DISTANCE_CLASSES } from '../topology/index.js';
import type { RunOutput } from './summary.js';

const N = StoredNumber;
const Numbers = () => Type.Array(N());
const ByClass = () => Type.Object(Object.fromEntries(DISTANCE_CLASSES.map((c) => [c, N()])) as Record<(typeof DISTANCE_CLASSES)[number], ReturnType<typeof N>>);
const Quantiles = () => Type.Object({ p50: N(), p90: N(), p99: N() });

const ContainerSchema = Type.Object({
  index: N(),
  layers: N(),
  startNs: N(),
  latencyNs: N(),
  failed: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()]),
  mountOps: N(),
  syscalls: N(),
  syscallCounts: Type.Record(Type.String(), N()),
  timeNs: Numbers(),
});

const LockSchema = Type.Object({
  name: Type.String(),
  acquisitions: N(),
  contendedAcquisitions: N(),
  meanWaitNs: N(),
  maxWaitNs: N(),
  meanHoldNs: N(),
  maxHoldNs: N(),
  spinNs: N(),
  sleepNs: N(),
  handoffsByClass: ByClass(),
  waitQuantilesNs: Quantiles(),
  holdQuantilesNs: Quantiles(),
});

const LaunchResultSchema = Type.Object({
  seed: Type.String(),
  machine: Type.String(),
  runtime: Type.String(),
  containers: Type.Array(ContainerSchema, { minItems: 1 }),
  locks: Type.Array(LockSchema),
  pathInit: Type.Object({ reads: N(), spunReads: N(), spinNs: N(), retries: N() }),
  rcu: Type.Object({ gracePeriods: N(), meanGracePeriodNs: N(), maxGracePeriodNs: N(), heldOpen: N(), callers: N() }),
  background: Type.Record(Type.String(), N()),
  readerTimeNs: Numbers(),
  mountTable: Type.Object({
    maxHostMounts: N(),
    maxSystemMounts: N(),
    maxReceivers: N(),
    maxWindow: N(),
    samples: Type.Array(Type.Object({ timeNs: N(), hostMounts: N(), systemMounts: N(), receivers: N() })),
  }),
  scheduler: Type.Object({ runQueueWaitNs: N(), maxRunQueueLength: N() }),
  folded: Type.Array(Type.Object({ stack: Type.Array(Type.String()), weight: N() })),
  endNs: N(),
  events: N(),
});

const PauseBenchResultSchema = Type.Object({
  threads: N(),
  cpus: Numbers(),
  acquisitions: N(),
  meanLatencyNs: N(),
  p50LatencyNs: N(),
  p99LatencyNs: N(),
  throughputPerSec: N(),
  handoffsByClass: ByClass(),
});

const LockBenchResultSchema = Type.Object({
  lock: Type.String(),
  threads: N(),
  cpus: Numbers(),
  acquisitions: N(),
  reads: N(),
  writes: N(),
  measuredNs: N(),
  throughputPerSec: N(),
  meanLatencyNs: N(),
  p50LatencyNs: N(),
  p99LatencyNs: N(),
  meanWaitNs: N(),
  waitQuantilesNs: Type.Object({ p50: N(), p90: N(), p99: N(), p999: N() }),
  meanReadWaitNs: N(),
  meanWriteWaitNs: N(),
  meanHoldNs: N(),
  meanThinkNs: N(),
  meanBacklogNs: N(),
  perThreadAcquisitions: Numbers(),
  perThreadMeanWaitNs: Numbers(),
  lockUtilisation: N(),
  homeUtilisation: N(),
  littleRatio: N(),
  handoffsByClass: ByClass(),
  readRetries: N(),
  gracePeriods: N(),
  meanGracePeriodNs: N(),
});

const SyscallMixResultSchema = Type.Object({
  machine: Type.String(),
  groups: Type.Array(Type.Object({ name: Type.String(), threads: N(), operations: N(), opsPerSec: N(), meanLatencyNs: N(), p50LatencyNs: N(), p99LatencyNs: N() }), { minItems: 1 }),
  locks: Type.Array(LockSchema),
  pathInit: Type.Object({ reads: N(), spunReads: N(), spinNs: N(), retries: N() }),
  rcu: Type.Object({ gracePeriods: N(), meanGracePeriodNs: N(), maxGracePeriodNs: N() }),
  maxHostMounts: N(),
  endNs: N(),
  events: N(),
});

export const RunOutputSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('launch'), result: LaunchResultSchema }),
    Type.Object({ kind: Type.Literal('pause-bench'), result: PauseBenchResultSchema }),
    Type.Object({ kind: Type.Literal('lock-bench'), result: LockBenchResultSchema }),
    Type.Object({ kind: Type.Literal('syscall-mix'), result: SyscallMixResultSchema }),
  ],
  { expected: 'a run output {kind: launch, pause-bench, lock-bench or syscall-mix, result}' },
);

// The schema must describe (at least) what RunOutput promises; tsc checks it here.
const _sameShape = (stored: Static<typeof RunOutputSchema>): RunOutput => stored as RunOutput;
void _sameShape;
