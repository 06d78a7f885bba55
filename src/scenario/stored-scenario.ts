/**
 * The schema of a resolved scenario as stored (resolved.json, a shard's
 * partial), for checkStored: the points with their specs, the seeds and the
 * fields a report prints. Objects stay open (see analysis/stored-runs.ts).
 */
import { Type } from '@sinclair/typebox';
import { StoredNumber } from '../input/stored.js';

const N = StoredNumber;
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const Coordinates = Type.Record(Type.String(), Scalar);
const Limits = Type.Object({ maxEvents: N(), maxTimeNs: N(), maxHeapBytes: N() });
const Machine = Type.Union([Type.String(), Type.Object({ family: Type.String(), variant: Type.Optional(Type.Object({})) })], { expected: 'a machine name or {family, variant}' });

const LaunchSpec = Type.Object({
  kind: Type.Literal('launch'),
  machine: Machine,
  machineModel: Type.String(),
  launchModels: Type.String(),
  kernel: Type.String(),
  node: Type.String(),
  runtime: Type.String(),
  containers: N(),
  layers: Type.Union(
    [
      Type.Object({ kind: Type.Literal('fixed'), value: N() }),
      Type.Object({ kind: Type.Literal('normal'), mean: N(), sd: N(), min: N(), max: N() }),
      Type.Object({ kind: Type.Literal('uniform'), min: N(), max: N() }),
    ],
    { expected: 'a layer spec {kind: fixed, normal or uniform, ...}' },
  ),
  arrival: Type.Object({ kind: Type.String() }),
  placement: Type.String(),
  deadlines: Type.Object({ launchNs: N(), runtimeRequestNs: N(), nodeHealthCheckNs: N() }),
  horizonNs: N(),
  mechanisms: Type.Record(Type.String(), Type.Boolean()),
  parameters: Type.Record(Type.String(), N()),
  sampleEveryNs: N(),
  limits: Limits,
});

const PauseBenchSpec = Type.Object({
  kind: Type.Literal('pause-bench'),
  machine: Machine,
  machineModel: Type.String(),
  threads: N(),
  placement: Type.String(),
  lock: Type.String(),
  holdNs: N(),
  thinkNs: N(),
  durationNs: N(),
  limits: Limits,
});

const Distribution = Type.Object({ kind: Type.String() });

const LockBenchSpec = Type.Object({
  kind: Type.Literal('lock-bench'),
  machine: Machine,
  machineModel: Type.String(),
  threads: N(),
  placement: Type.Union([Type.String(), Type.Object({ cpus: Type.Array(N()) })], { expected: 'a placement name or {cpus}' }),
  lock: Type.String(),
  think: Distribution,
  hold: Distribution,
  readHold: Type.Union([Distribution, Type.Null()]),
  readShare: N(),
  arrival: Type.Object({ kind: Type.String() }),
  extraLines: N(),
  handoff: Type.String(),
  fifoHandoffNs: N(),
  rwsem: Type.Object({ wakeupNs: N(), maxSpinNs: Type.Union([N(), Type.Null()]) }),
  gracePeriod: Type.Object({ baseNs: N(), perCpuNs: N() }),
  stop: Type.Object({}),
  warmupFraction: N(),
  limits: Limits,
});

const SyscallMixSpec = Type.Object({
  kind: Type.Literal('syscall-mix'),
  machine: Machine,
  machineModel: Type.String(),
  kernel: Type.String(),
  node: Type.String(),
  launchModels: Type.String(),
  parameters: Type.Record(Type.String(), N()),
  groups: Type.Array(Type.Object({ name: Type.String(), threads: N(), steps: Type.Array(Type.Object({ kind: Type.String() })), pacing: Type.Object({ kind: Type.String() }), layers: N(), propagates: Type.Boolean() }), { minItems: 1 }),
  cpus: Type.Array(N()),
  durationNs: N(),
  warmupNs: N(),
  background: Type.Boolean(),
  mechanisms: Type.Record(Type.String(), Type.Boolean()),
  limits: Limits,
});

export const RunPointSchema = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  coordinates: Coordinates,
  spec: Type.Union([LaunchSpec, PauseBenchSpec, LockBenchSpec, SyscallMixSpec], { expected: 'a point spec {kind: launch, pause-bench, lock-bench or syscall-mix, ...}' }),
});

export const ExpectationSchema = Type.Object({
  text: Type.String(),
  metric: Type.String(),
  where: Coordinates,
  op: Type.Union(['<', '<=', '>', '>=', '==', 'between'].map((op) => Type.Literal(op))),
  target: Type.Union([N(), Type.Object({ metric: Type.String(), where: Coordinates, factor: N() }), Type.Tuple([N(), N()])], { expected: 'a number, {metric, where, factor} or [low, high]' }),
  tolerance: N(),
  over: Type.Union([Type.Literal('mean'), Type.Literal('every-seed')]),
  knownGap: Type.Optional(Type.String()),
  points: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }))),
  targetPoints: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }))),
  line: Type.Optional(N()),
});

export const ScenarioKindSchema = Type.Union([Type.Literal('launch'), Type.Literal('pause-bench'), Type.Literal('lock-bench'), Type.Literal('syscall-mix')]);

/** A ResolvedScenario (partials keep the whole of it). */
export const ResolvedScenarioSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  file: Type.String(),
  kind: ScenarioKindSchema,
  seeds: Type.Array(Type.String(), { minItems: 1 }),
  points: Type.Array(RunPointSchema, { minItems: 1 }),
  expectations: Type.Array(ExpectationSchema),
  source: Type.Unknown(),
  /** Every model the points run on, by content hash (their shapes are the model loaders'; checked by hash on use). */
  models: Type.Object({ machines: Type.Record(Type.String(), Type.Object({})), launch: Type.Record(Type.String(), Type.Object({})) }),
});
