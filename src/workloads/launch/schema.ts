/**
 * The fields of a launch scenario (kind: launch, the default): the storm
 * (containers, layers, arrival, placement), the models it runs on (kernel,
 * node, runtime, parameter overrides), the deadlines that decide failure,
 * and the mechanism switches. Every default lives in LAUNCH_DEFAULTS, which
 * the schema shows to editors and the resolver applies.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Duration } from '../../input/schema.js';
import { MECHANISM_NAMES } from '../../launch/index.js';
import { COMMON_SCENARIO_FIELDS, SCENARIO_LIMITS, closed } from '../../scenario/schema.js';

/** The defaults of a launch scenario, in one place. */
export const LAUNCH_DEFAULTS = {
  kernel: 'linux-6.12',
  node: 'k8s-node',
  runtime: 'containerd-idmap',
  deadlines: { launch: '30 s', runtimeRequest: '2 min', nodeHealthCheck: '30 s' },
  arrival: { kind: 'staggered', over: '2 s' },
  placement: 'spread',
  sampleEvery: '1 s',
  /** The horizon is this many launch deadlines. */
  horizonDeadlines: 4,
} as const;

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
    over: Type.Optional(Duration({ description: `Span of a ramp or a staggered start (ramp and staggered only; staggered default ${LAUNCH_DEFAULTS.arrival.over}).` })),
    perSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Launches per second of a Poisson stream (poisson only).' })),
  },
  // No schema default: TypeBox would merge a default object's fields into a written one ({kind: burst} would gain `over`).
  { ...closed, description: `How container launches arrive (default {kind: ${LAUNCH_DEFAULTS.arrival.kind}, over: ${LAUNCH_DEFAULTS.arrival.over}}).` },
);

export const DeadlinesSchema = Type.Object(
  {
    launch: Type.Optional(Duration({ description: "A container's health check must pass within this time of its launch starting.", default: LAUNCH_DEFAULTS.deadlines.launch })),
    runtimeRequest: Type.Optional(Duration({ description: "kubelet's runtime request timeout for each CRI request.", default: LAUNCH_DEFAULTS.deadlines.runtimeRequest })),
    nodeHealthCheck: Type.Optional(Duration({ description: 'A node health check slower than this fails the launches in progress.', default: LAUNCH_DEFAULTS.deadlines.nodeHealthCheck })),
  },
  { ...closed, description: 'Deadlines that decide which launches failed.', default: {} },
);

export const MechanismsSchema = Type.Object(
  Object.fromEntries(MECHANISM_NAMES.map((name) => [name, Type.Optional(Type.Boolean({ description: `Mechanism \`${name}\` (see src/launch/mechanisms.ts).`, default: true }))])),
  { ...closed, description: 'Switches for the mechanisms beyond the naive model, for ablations. All on by default.', default: {} },
);

export const ParametersSchema = Type.Record(
  Type.String(),
  Type.Union([Duration({ description: 'A duration parameter.' }), Type.Number({ minimum: 0, description: 'A dimensionless parameter (a count or a factor), never negative, as in the model files.' })], {
    expected: 'a duration such as "4 us" (for a time parameter) or a number >= 0',
  }),
  { description: 'Overrides of kernel or node model parameters by name: a duration for a time parameter, a number otherwise.', default: {} },
);


export const LaunchScenarioSchema = Type.Object(
  {
    ...COMMON_SCENARIO_FIELDS,
    kind: Type.Optional(Type.Literal('launch', { description: 'A container-launch storm (the default).', default: 'launch' })),
    kernel: Type.Optional(Type.String({ minLength: 1, description: 'Kernel model in models/kernel.', default: LAUNCH_DEFAULTS.kernel })),
    node: Type.Optional(Type.String({ minLength: 1, description: 'Node model in models/nodes (background load, systemd, kubelet).', default: LAUNCH_DEFAULTS.node })),
    runtime: Type.Optional(Type.String({ minLength: 1, description: 'Container runtime model in models/runtimes.', default: LAUNCH_DEFAULTS.runtime })),
    containers: Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.containers, description: 'Containers launched in the storm.' }),
    layers: LayersSchema,
    arrival: Type.Optional(ArrivalSchema),
    placement: Type.Optional(
      Type.Union([Type.Literal('spread'), Type.Literal('random'), Type.Literal('compact')], { description: 'Which CPU each launch thread prefers.', default: LAUNCH_DEFAULTS.placement }),
    ),
    deadlines: Type.Optional(DeadlinesSchema),
    horizon: Type.Optional(Duration({ description: `Simulated time after which unfinished launches count as failed (default ${LAUNCH_DEFAULTS.horizonDeadlines} x the launch deadline).` })),
    sampleEvery: Type.Optional(Duration({ description: 'Interval of the mount-table samples.', default: LAUNCH_DEFAULTS.sampleEvery })),
    mechanisms: Type.Optional(MechanismsSchema),
    parameters: Type.Optional(ParametersSchema),
  },
  { ...closed, title: 'launch scenario', description: 'A container-launch storm on one node.' },
);

export type LaunchScenarioFile = Static<typeof LaunchScenarioSchema>;
