/**
 * The schema of what every scenario file (scenarios/*.yaml) has, whatever
 * its workload kind: a name, a machine, seeds, a sweep, run limits and an
 * `expect:` block. Each kind adds its own fields (src/workloads/<kind>/schema.ts)
 * to COMMON_SCENARIO_FIELDS.
 *
 * Every field carries a description, its unit and its default, so the
 * emitted JSON Schema (schemas/scenario.schema.json) completes and checks
 * files in an editor. The size caps in `SCENARIO_LIMITS` are also schema
 * maxima: a file asking for 10^9 containers is refused before anything runs.
 * Nothing in a scenario is evaluated: every value is a plain number, string,
 * boolean, or a duration parsed by src/input/units.ts.
 */
import { Kind, Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Duration, Size } from '../input/schema.js';
import { MachineFamilySchema, VariantSpecSchema } from '../topology/index.js';

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

export const closed = { additionalProperties: false } as const;

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
      description: 'Family name, optionally with variant suffixes: +ht-off (CPU options: possible CPUs halve), +nosmt (kernel: second threads stay possible, offline), +one-socket, +socketN, +homeN, +cpuset=LIST (e.g. "m7i.metal-24xl+ht-off").',
    }),
    Type.Object(
      {
        family: Type.String({ minLength: 1, description: 'Family name as in models/machines (e.g. "r5.metal").' }),
        variant: Type.Optional(VariantSpecSchema),
      },
      { ...closed, description: 'A family and a variant written out.' },
    ),
  ],
  {
    description:
      'The machine model: a family on the model search path (--models DIR, LOCKSIM_MODELS_PATH, then models/machines), or a machine file given by its path (starting with ./, ../ or /, relative to the scenario file), optionally a variant (HT off, some sockets, a cpuset).',
    expected: 'a machine such as "r5.metal", "m7i.metal-24xl+ht-off" or "./my-machine.yaml", or {family, variant}',
  },
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

export const MachineParametersSchema = Type.Record(
  Type.String(),
  Type.Union([
    Type.Number({ description: 'A factor, share or count (or a time in ns is refused: write times with a unit).' }),
    Type.Union([Type.Literal('low'), Type.Literal('mid'), Type.Literal('high')], { description: "A point of the machine file's own range for the parameter." }),
    Duration({ description: 'A time, with a unit.' }),
    Type.Object(
      { at: Type.Number({ minimum: 0, maximum: 1, description: '0 = the low end, 1 = the high end; geometric for a range spanning a decade or more, as `mid`.' }) },
      { additionalProperties: false, description: "A fraction of the way through each machine file's own range (what `locksim uncertainty` samples)." },
    ),
  ], { expected: 'a duration such as "25 ns", a number, one of low, mid, high, or {at: 0..1}' }),
  {
    description:
      'Overrides of the machine file\'s uncertain values by name (homeOccupancy, fanOutRead, smtSlowdown, smtSpinSlowdown, missesInFlight, dramLocal, dramRemote): a value, low/mid/high of the range the file states for that machine, or {at: q} in it.',
    default: {},
  },
);

/** `schema` with every field of every mapping optional, to the leaves: what overrides of a file may name. */
function deepPartial(schema: TSchema): TSchema {
  if (schema[Kind] !== 'Object') return schema;
  const object = schema as TObject;
  const fields = Object.fromEntries(Object.entries(object.properties).map(([key, child]) => [key, Type.Optional(deepPartial(child))]));
  return Type.Object(fields, { ...closed, description: object.description });
}

const { $schema: _schemaRef, name: _name, derivedFrom: _derivedFrom, ...MACHINE_FIELDS } = (MachineFamilySchema as TObject).properties;

export const MachineOverridesSchema = deepPartial(
  Type.Object(MACHINE_FIELDS, {
    description:
      "Overrides of any field of the machine's file, as if written there (nested like the file: topology.coresPerSocket, latency.crossSocket.base, price.usdPerHour, ...): checked like the file, sweepable, and --set-able (--set machineOverrides.topology.coresPerSocket=32). A change of the hardware that keeps the CPU model or price is warned about.",
  }),
);

/** The fields every scenario file has, whatever its kind. */
export const COMMON_SCENARIO_FIELDS = {
  limits: Type.Optional(LimitsSchema),
  $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
  name: NameSchema,
  description: Type.Optional(Type.String({ description: 'What the scenario shows (one sentence; the report title).', default: '' })),
  machine: MachineSpecSchema,
  machineParameters: Type.Optional(MachineParametersSchema),
  machineOverrides: Type.Optional(MachineOverridesSchema),
  seeds: Type.Optional(SeedsSchema),
  sweep: Type.Optional(SweepSchema),
  expect: Type.Optional(ExpectSchema),
};

export type ExpectationFile = Static<typeof ExpectationSchema>;
export type MetricRefFile = Static<typeof MetricRefSchema>;

/** Fields that describe the scenario rather than a run: they cannot be swept. */
export const UNSWEEPABLE_FIELDS: readonly string[] = ['$schema', 'name', 'description', 'kind', 'seeds', 'sweep', 'expect'];
