/**
 * The schema of a scenario file (scenarios/*.yaml): what to run, on which
 * machine, with which models, over which sweep, and what the results must
 * show. Two kinds share one file format: `launch` (a container-launch storm)
 * and `pause-bench` (N threads on one global spinlock).
 *
 * Every field carries a description, its unit and its default, so the
 * emitted JSON Schema (schemas/scenario.schema.json) completes and checks
 * files in an editor. The size caps in `SCENARIO_LIMITS` are also schema
 * maxima: a file asking for 10^9 containers is refused before anything runs.
 * Nothing in a scenario is evaluated: every value is a plain number, string,
 * boolean, or a duration parsed by src/input/units.ts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Duration, Size } from '../input/schema.js';
import { VariantSpecSchema } from '../topology/index.js';
import { MECHANISM_NAMES } from '../workload/mechanisms.js';

/** Sizes refused before running: past these a file is a mistake, not a plan. */
export const SCENARIO_LIMITS = {
  containers: 100_000,
  layers: 10_000,
  threads: 4096,
  /** Points of one sweep (the cartesian product of its value lists). */
  sweepPoints: 10_000,
  /** Points times seeds. */
  runs: 100_000,
  /** Replications. */
  seeds: 10_000,
} as const;

const closed = { additionalProperties: false } as const;

/** A file name-safe identifier: names become baseline file names and report folder names. */
const NameSchema = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  maxLength: 100,
  description: 'Scenario name: letters, digits, ".", "_" and "-" (it names the baseline file and the report folder).',
  expected: 'a name of letters, digits, ".", "_" and "-", such as "fig3-baseline"',
});

export const MachineSpecSchema = Type.Union(
  [
    Type.String({
      minLength: 1,
      description: 'Family name, optionally with variant suffixes: +ht-off, +one-socket, +socketN, +homeN, +cpuset=LIST (e.g. "m7i.metal-24xl+ht-off").',
    }),
    Type.Object(
      {
        family: Type.String({ minLength: 1, description: 'Family name as in models/machines (e.g. "r5.metal").' }),
        variant: Type.Optional(VariantSpecSchema),
      },
      { ...closed, description: 'A family and a variant written out.' },
    ),
  ],
  { description: 'The machine model: a family from models/machines, optionally a variant (HT off, some sockets, a cpuset).', expected: 'a machine such as "r5.metal" or "m7i.metal-24xl+ht-off", or {family, variant}' },
);

export const LayersSchema = Type.Union(
  [
    Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.layers, description: 'Every container has this many image layers.' }),
    Type.Object(
      {
        kind: Type.Union([Type.Literal('normal'), Type.Literal('uniform')], { description: 'normal: rounded normal draw clamped to [min, max]; uniform: integer uniform on [min, max].' }),
        mean: Type.Optional(Type.Number({ minimum: 1, maximum: SCENARIO_LIMITS.layers, description: 'Mean layer count (normal only).' })),
        sd: Type.Optional(Type.Number({ minimum: 0, description: 'Standard deviation of the layer count (normal only).' })),
        min: Type.Optional(Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.layers, description: 'Smallest layer count (normal: default 1).' })),
        max: Type.Optional(Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.layers, description: 'Largest layer count (normal: default mean + 4 sd).' })),
      },
      { ...closed, description: 'Layer counts drawn per container.' },
    ),
  ],
  { description: 'Image layers per container: a count, or a distribution.', expected: `a layer count 1-${SCENARIO_LIMITS.layers}, or {kind: normal|uniform, ...}` },
);

export const ArrivalSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('burst'), Type.Literal('ramp'), Type.Literal('poisson'), Type.Literal('staggered')], {
      description: 'burst: all at t = 0; ramp: evenly spaced over `over`; poisson: a Poisson stream of `perSecond`; staggered: the way kubelet starts pods, spread over `over`.',
    }),
    over: Type.Optional(Duration({ description: 'Span of a ramp or a staggered start (ramp and staggered only; staggered default 2 s).' })),
    perSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Launches per second of a Poisson stream (poisson only).' })),
  },
  // No schema default: TypeBox would merge a default object's fields into a written one ({kind: burst} would gain `over`).
  { ...closed, description: 'How container launches arrive (default {kind: staggered, over: 2 s}).' },
);

export const DeadlinesSchema = Type.Object(
  {
    launch: Type.Optional(Duration({ description: "A container's health check must pass within this time of its launch starting.", default: '30 s' })),
    runtimeRequest: Type.Optional(Duration({ description: "kubelet's runtime request timeout for each CRI request.", default: '2 min' })),
    nodeHealthCheck: Type.Optional(Duration({ description: 'A node health check slower than this fails the launches in progress.', default: '30 s' })),
  },
  { ...closed, description: 'Deadlines that decide which launches failed.', default: {} },
);

export const MechanismsSchema = Type.Object(
  Object.fromEntries(MECHANISM_NAMES.map((name) => [name, Type.Optional(Type.Boolean({ description: `Mechanism \`${name}\` (see src/workload/mechanisms.ts).`, default: true }))])),
  { ...closed, description: 'Switches for the mechanisms beyond the naive model, for ablations. All on by default.', default: {} },
);

export const ParametersSchema = Type.Record(
  Type.String(),
  Type.Union([Duration({ description: 'A duration parameter.' }), Type.Number({ minimum: 0, description: 'A dimensionless parameter (a count or a factor), never negative, as in the model files.' })], {
    expected: 'a duration such as "4 us" (for a time parameter) or a number >= 0',
  }),
  { description: 'Overrides of kernel or node model parameters by name: a duration for a time parameter, a number otherwise.', default: {} },
);

export const SeedsSchema = Type.Union(
  [
    Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.seeds, description: 'Replications, with seeds "1".."N".' }),
    Type.Array(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' })]), {
      minItems: 1,
      maxItems: SCENARIO_LIMITS.seeds,
      uniqueItems: true,
      description: 'Explicit seeds, one replication each.',
    }),
  ],
  { description: 'Replications: a count (seeds "1".."N") or a list of seeds.', default: 3, expected: `a count 1-${SCENARIO_LIMITS.seeds} or a list of distinct seeds` },
);

export const SweepValueSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const SweepSchema = Type.Record(
  Type.String(),
  Type.Array(SweepValueSchema, { minItems: 1, description: 'Values of this field, in run order.' }),
  {
    description:
      'Fields to vary: each key is a field path of this file (e.g. "containers", "machine", "deadlines.launch", "mechanisms.propagation"), each value a list. Points are the cartesian product, keys in the order written, the first key varying slowest.',
    default: {},
  },
);

const ScalarOrList = Type.Union([SweepValueSchema, Type.Array(SweepValueSchema, { minItems: 1 })]);

export const WhereSchema = Type.Record(Type.String(), ScalarOrList, {
  description: 'Selects points by sweep coordinate (or any field path): a value, or a list of accepted values. Empty: every point.',
  default: {},
});

export const MetricRefSchema = Type.Object(
  {
    metric: Type.Optional(Type.String({ minLength: 1, description: 'Metric at the other point (default: the same metric).' })),
    where: Type.Optional(WhereSchema),
    factor: Type.Optional(Type.Number({ description: 'Multiplies the other point\'s value (e.g. 0.9 for "10% below").', default: 1 })),
  },
  { ...closed, description: 'The same (or another) metric at other coordinates; coordinates not named here are those of the point being checked.' },
);

function target(description: string): TSchema {
  return Type.Union([Type.Number(), MetricRefSchema], { description: `${description}: a number, or {metric, where, factor} for a value at other points.`, expected: 'a number or {metric, where, factor}' });
}

export const ExpectationSchema = Type.Object(
  {
    metric: Type.String({ minLength: 1, description: 'Metric name as in the summary (e.g. failureRate, p50LatencyS, mountOpsPerContainer).' }),
    where: Type.Optional(WhereSchema),
    below: Type.Optional(target('The metric is below (<)')),
    atMost: Type.Optional(target('The metric is at most (<=)')),
    above: Type.Optional(target('The metric is above (>)')),
    atLeast: Type.Optional(target('The metric is at least (>=)')),
    equals: Type.Optional(target('The metric equals (within tolerance)')),
    between: Type.Optional(Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: 'Inclusive range [low, high].' })),
    tolerance: Type.Optional(Type.Number({ minimum: 0, description: 'Absolute slack: for equals the allowed difference, for the others a margin in the lenient direction.', default: 0 })),
    over: Type.Optional(Type.Union([Type.Literal('mean'), Type.Literal('every-seed')], { description: 'Check the mean over seeds, or each seed on its own.', default: 'mean' })),
    knownGap: Type.Optional(Type.String({ minLength: 1, description: 'A known gap, with the reason: evaluated and reported, never fails the check.' })),
  },
  { ...closed, description: 'One assertion on the results: a metric, the points it applies to, and exactly one comparator.' },
);

export const ExpectSchema = Type.Array(ExpectationSchema, { description: 'Assertions checked by `locksim check`.', default: [] });

export const LimitsSchema = Type.Object(
  {
    maxEvents: Type.Optional(Type.Integer({ minimum: 1000, maximum: 1e10, description: 'Most events one run may process; a run past it stops with exit code 3.', default: 200_000_000 })),
    maxSimulatedTime: Type.Optional(Duration({ description: 'Latest simulated time a run may reach.', default: '24 h' })),
    maxMemory: Type.Optional(Size({ description: 'Most heap one run may hold.', default: '4 GiB' })),
  },
  { ...closed, description: 'Caps that stop a runaway run with a message naming the limit; raise them here or with --set limits.NAME=VALUE.' },
);

const common = {
  limits: Type.Optional(LimitsSchema),
  $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
  name: NameSchema,
  description: Type.Optional(Type.String({ description: 'What the scenario shows (one sentence; the report title).', default: '' })),
  machine: MachineSpecSchema,
  seeds: Type.Optional(SeedsSchema),
  sweep: Type.Optional(SweepSchema),
  expect: Type.Optional(ExpectSchema),
};

export const LaunchScenarioSchema = Type.Object(
  {
    ...common,
    kind: Type.Optional(Type.Literal('launch', { description: 'A container-launch storm (the default).', default: 'launch' })),
    kernel: Type.Optional(Type.String({ minLength: 1, description: 'Kernel model in models/kernel.', default: 'linux-6.12' })),
    node: Type.Optional(Type.String({ minLength: 1, description: 'Node model in models/nodes (background load, systemd, kubelet).', default: 'k8s-node' })),
    runtime: Type.Optional(Type.String({ minLength: 1, description: 'Container runtime model in models/runtimes.', default: 'containerd-idmap' })),
    containers: Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.containers, description: 'Containers launched in the storm.' }),
    layers: LayersSchema,
    arrival: Type.Optional(ArrivalSchema),
    placement: Type.Optional(
      Type.Union([Type.Literal('spread'), Type.Literal('random'), Type.Literal('compact')], { description: 'Which CPU each launch thread prefers.', default: 'spread' }),
    ),
    deadlines: Type.Optional(DeadlinesSchema),
    horizon: Type.Optional(Duration({ description: 'Simulated time after which unfinished launches count as failed (default 4 x the launch deadline).' })),
    sampleEvery: Type.Optional(Duration({ description: 'Interval of the mount-table samples.', default: '1 s' })),
    mechanisms: Type.Optional(MechanismsSchema),
    parameters: Type.Optional(ParametersSchema),
  },
  { ...closed, title: 'launch scenario', description: 'A container-launch storm on one node.' },
);

export const PauseBenchScenarioSchema = Type.Object(
  {
    ...common,
    kind: Type.Literal('pause-bench', { description: 'pause_bench: N threads on one global spinlock.' }),
    threads: Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.threads, description: 'Benchmark threads, one per CPU.' }),
    placement: Type.Optional(
      Type.Union([Type.Literal('compact'), Type.Literal('spread'), Type.Literal('one-socket')], {
        description: 'compact: CPUs in Linux order; spread: round-robin over L3 domains; one-socket: socket 0 only.',
        default: 'compact',
      }),
    ),
    lock: Type.Optional(Type.Union([Type.Literal('ttas'), Type.Literal('ticket'), Type.Literal('qspinlock')], { description: 'The global lock.', default: 'ttas' })),
    hold: Type.Optional(Duration({ description: 'Critical section per acquisition.', default: '100 ns' })),
    think: Type.Optional(Duration({ description: 'Work between a release and the next request.', default: '100 ns' })),
    duration: Type.Optional(Duration({ description: 'Simulated run length (the first 10% is warm-up).', default: '2 ms' })),
  },
  { ...closed, title: 'pause-bench scenario', description: 'The global-lock microbenchmark.' },
);

/** The file format as a whole, for editors: either kind. */
export const ScenarioFileSchema = Type.Union([LaunchScenarioSchema, PauseBenchScenarioSchema], {
  title: 'locksim scenario',
  description: 'What to run (a launch storm or pause_bench), over which sweep, and what the results must show.',
});

export type LaunchScenarioFile = Static<typeof LaunchScenarioSchema>;
export type PauseBenchScenarioFile = Static<typeof PauseBenchScenarioSchema>;
export type ExpectationFile = Static<typeof ExpectationSchema>;
export type MetricRefFile = Static<typeof MetricRefSchema>;

/** Fields that describe the scenario rather than a run: they cannot be swept. */
export const UNSWEEPABLE_FIELDS: readonly string[] = ['$schema', 'name', 'description', 'kind', 'seeds', 'sweep', 'expect'];

/** The schema of a kind's file. */
export function schemaForKind(kind: 'launch' | 'pause-bench'): TSchema {
  return kind === 'launch' ? LaunchScenarioSchema : PauseBenchScenarioSchema;
}
