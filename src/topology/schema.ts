/**
 * The schema of a machine model file (models/machines/*.yaml), and the
 * resolved `MachineModel` the loader hands to `buildTopology`.
 *
 * A file is either a full family (topology, latencies, coherence costs, price)
 * or a variant of another family (`variantOf` + `variant`), so "r5.metal with
 * one socket" needs no copied numbers. Every number that comes from outside
 * carries `basis` (measured / proxy / published / estimate / calibrated) and a
 * free-text `source`, so a reader can tell measured data from guesses.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Duration } from '../input/schema.js';
import { MAX_CPUS } from '../input/cpulist.js';
import type { CoherenceKind } from './topology.js';

const closed = { additionalProperties: false } as const;

/**
 * Machine sizes refused before anything is built: the CPU count bounds every
 * per-CPU and per-pair table (a c2c matrix is CPUs squared), so it is checked
 * against these before a single one is allocated.
 */
export const MACHINE_LIMITS = {
  /** Logical CPUs of one machine (sockets x coresPerSocket x threadsPerCore). */
  cpus: MAX_CPUS,
  /** More than any shipping socket (288 cores). */
  coresPerSocket: 512,
  sockets: 8,
} as const;

export const BasisSchema = Type.Union(
  [Type.Literal('measured'), Type.Literal('proxy'), Type.Literal('published'), Type.Literal('estimate'), Type.Literal('calibrated')],
  {
    description:
      'How the number was obtained: measured on the CPU this family ships, measured on a proxy CPU, taken from a published figure, estimated, or calibrated (fitted to a target).',
  },
);
export type Basis = Static<typeof BasisSchema>;

const SourceText = Type.String({ minLength: 1, description: 'Where the number comes from: file and row, paper, or "calibrated: fitted to ...".' });

export const SourcedDurationSchema = Type.Object(
  {
    value: Duration({ description: 'The time, with a unit (e.g. "7.6 ns").' }),
    basis: BasisSchema,
    source: SourceText,
  },
  { ...closed, description: 'A time with its provenance.' },
);

export const SourcedFactorSchema = Type.Object(
  {
    value: Type.Number({ minimum: 1, description: 'Dimensionless factor, >= 1.' }),
    basis: BasisSchema,
    source: SourceText,
  },
  { ...closed, description: 'A dimensionless factor with its provenance.' },
);

export const AdditiveCostSchema = Type.Object(
  {
    base: Duration({ description: 'Constant c of the additive fit L(i,j) = c + a_i + a_j (ns unit required).' }),
    offsetMax: Type.Optional(
      Duration({
        description:
          'Upper end A of the per-core offset a_i ~ Uniform[0, A], drawn once per physical core from a fixed seed; the class median is then about c + A.',
        default: '0 ns',
      }),
    ),
    basis: BasisSchema,
    source: SourceText,
  },
  { ...closed, description: 'One-way cache-line transfer cost of a distance class, as the additive mesh fit c + a_i + a_j.' },
);

export const CrossDomainCostSchema = Type.Object(
  {
    sameGroup: Duration({ description: 'Transfer between two L3 domains of the same group (quadrant) of one socket, line homed on that socket.' }),
    otherGroup: Duration({ description: 'Transfer between L3 domains in different groups of one socket, line homed on that socket.' }),
    groupSize: Type.Optional(Type.Integer({ minimum: 1, description: 'L3 domains per group (quadrant); consecutive domains form a group.', default: 1 })),
    basis: BasisSchema,
    source: SourceText,
  },
  { ...closed, description: 'Chiplet transfer between two L3 domains (CCDs) of one socket through the IO die.' },
);

/** A machine parameter's range: the values a sensitivity sweep and `low`/`high` overrides use. */
function rangeOf(item: TSchema, description: string): TSchema {
  return Type.Array(item, { minItems: 2, maxItems: 2, description, expected: 'a list [low, high]' });
}

const UNCERTAIN_DESCRIPTION = 'The plausible range [low, high] (the sources\' spread, or the estimate\'s bounds): `machineParameters` overrides and `locksim sensitivity` use it.';

/** An uncertain machine value: the value, its range (each bound of `bound`'s type), its basis and source. */
function uncertain<V extends TSchema>(value: V, bound: TSchema, description: string) {
  return Type.Object({ value, range: rangeOf(bound, UNCERTAIN_DESCRIPTION), basis: BasisSchema, source: SourceText }, { ...closed, description });
}

export const UncertainDurationSchema = uncertain(Duration({ description: 'The time, with a unit (e.g. "15 ns").' }), Duration({ description: 'A bound, with a unit.' }), 'A time with its range and provenance.');

export const UncertainFactorSchema = uncertain(Type.Number({ minimum: 1, description: 'Dimensionless factor, >= 1.' }), Type.Number({ minimum: 1 }), 'A dimensionless factor with its range and provenance.');

export const UncertainShareSchema = uncertain(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'A share in (0, 1].' }), Type.Number({ exclusiveMinimum: 0, maximum: 1 }), 'A share in (0, 1] with its range and provenance.');

export const UncertainCountSchema = uncertain(Type.Integer({ minimum: 1, maximum: 1024, description: 'A count, >= 1.' }), Type.Integer({ minimum: 1, maximum: 1024 }), 'A count with its range and provenance.');

export const ProxyLayoutSchema = Type.Object(
  {
    c2c: Type.String({ minLength: 1, description: 'Path of a core-to-core-latency CSV, relative to the repository root (e.g. "data/c2c/AWS Graviton3.csv").' }),
    sockets: Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.sockets, description: 'Sockets of the measured machine.' }),
    coresPerSocket: Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.coresPerSocket, description: 'Physical cores per socket of the measured machine.' }),
    threadsPerCore: Type.Integer({ minimum: 1, maximum: 2, description: 'Hardware threads per core present in the CSV.' }),
    l3DomainsPerSocket: Type.Optional(Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.coresPerSocket, description: 'L3 domains per socket of the measured machine.', default: 1 })),
    note: Type.Optional(Type.String({ description: 'Why this file stands for the family (proxy reasoning).' })),
  },
  { ...closed, description: 'A measured matrix the model is checked against, with the layout of the machine it was measured on.' },
);
export type ProxyLayout = Static<typeof ProxyLayoutSchema>;

export const PriceSchema = Type.Object(
  {
    usdPerHour: Type.Number({ exclusiveMinimum: 0, description: 'On-demand list price in US dollars per hour (us-east-1, Linux).' }),
    date: Type.String({ pattern: '^\\d{4}-\\d{2}(-\\d{2})?$', description: 'When the price was read (YYYY-MM or YYYY-MM-DD).', expected: 'a date such as "2025-06" or "2025-06-01"' }),
    source: SourceText,
  },
  { ...closed, description: 'Price for planning.' },
);

export const VariantSpecSchema = Type.Object(
  {
    smt: Type.Optional(
      Type.Boolean({
        description: 'false: hyper-threading off in firmware or with EC2 CPU options (only thread 0 of each core exists: the possible CPUs halve). Suffix +ht-off.',
        default: true,
      }),
    ),
    nosmt: Type.Optional(
      Type.Boolean({
        description:
          'true: hyper-threading off in the kernel (boot parameter nosmt, or /sys/devices/system/cpu/smt/control): second threads stay possible, so for_each_possible_cpu still walks them, but are offline. Suffix +nosmt. Absent: false.',
      }),
    ),
    sockets: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, description: 'Sockets whose CPUs are online for the workload (all CPUs stay possible).' })),
    cpuset: Type.Optional(Type.String({ description: 'Linux CPU list of the CPUs the workload may use, e.g. "0-23,48-71".' })),
    globalsHomeNode: Type.Optional(Type.Integer({ minimum: 0, description: 'NUMA node whose memory holds kernel globals (overrides the family default).' })),
  },
  { ...closed, description: 'A variant of a family: HT off, some sockets only, a cpuset, a different home node.' },
);
export type VariantSpec = Static<typeof VariantSpecSchema>;

const Name = Type.String({
  pattern: '^[a-z0-9][a-z0-9.-]*$',
  description: 'Family name as AWS spells it (e.g. "m7i.metal-24xl").',
  expected: 'a lower-case family name such as "m7i.metal-24xl"',
});

export const MachineFamilySchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
    name: Name,
    description: Type.String({ minLength: 1, description: 'One paragraph: what machine this is and how the numbers were chosen.' }),
    cpuModel: Type.String({ minLength: 1, description: 'CPU model AWS ships in this family.' }),
    derivedFrom: Type.Optional(Type.String({ minLength: 1, description: 'The family this file started as a copy of: locksim warns when it keeps that family\'s cpuModel or price.' })),
    price: PriceSchema,
    topology: Type.Object(
      {
        coherence: Type.Union([Type.Literal('mesh'), Type.Literal('chiplet')], {
          description: 'mesh: one L3 and home agent per socket (Intel, Graviton); chiplet: L3 per CCD, homes on the IO die (AMD).',
        }),
        sockets: Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.sockets, description: 'Sockets.' }),
        coresPerSocket: Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.coresPerSocket, description: `Physical cores per socket (sockets x coresPerSocket x threadsPerCore at most ${MACHINE_LIMITS.cpus}).` }),
        threadsPerCore: Type.Integer({ minimum: 1, maximum: 2, description: 'Hardware threads per core as shipped.' }),
        l3DomainsPerSocket: Type.Optional(Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.coresPerSocket, description: 'L3 domains per socket: 1 on a mesh, the CCD count on a chiplet part.', default: 1 })),
        numaNodesPerSocket: Type.Optional(Type.Integer({ minimum: 1, maximum: MACHINE_LIMITS.coresPerSocket, description: 'NUMA nodes per socket (more than 1 with sub-NUMA clustering / NPS).', default: 1 })),
        numbering: Type.Optional(Type.Union([Type.Literal('threads-last'), Type.Literal('siblings-adjacent')], {
          description:
            'Linux CPU numbering. threads-last: all first threads socket by socket, then the second threads (cpu i and i + sockets*cores are siblings). siblings-adjacent: 2k and 2k+1 are siblings.',
          default: 'threads-last',
        })),
        globalsHomeNode: Type.Optional(Type.Integer({ minimum: 0, description: 'NUMA node holding kernel globals such as mount_lock (usually 0).', default: 0 })),
        l3Domains: Type.Optional(
          Type.Array(Type.String(), {
            description: 'Explicit CPU lists, one per L3 domain, socket by socket; overrides the generated layout.',
          }),
        ),
        siblings: Type.Optional(
          Type.Array(Type.String(), {
            description: 'Explicit CPU lists, one per physical core, naming its hardware threads (e.g. "0,48"); overrides the generated numbering.',
          }),
        ),
        socketHops: Type.Optional(
          Type.Array(Type.Array(Type.Integer({ minimum: 0, maximum: 8 })), {
            description:
              'Machines of more than two sockets: the interconnect hops between each pair of sockets, one row per socket (0 on the diagonal, 1 for neighbours). Each hop past the first adds latency.extraHop to a cross-socket move. Absent: one hop between any two sockets.',
          }),
        ),
      },
      { ...closed, description: 'Sockets, L3 domains, NUMA nodes, cores, threads, numbering.' },
    ),
    latency: Type.Object(
      {
        smt: Type.Optional(SourcedDurationSchema),
        sameDomain: AdditiveCostSchema,
        crossDomain: Type.Optional(CrossDomainCostSchema),
        remoteHomeCrossDomain: Type.Optional(SourcedDurationSchema),
        crossSocket: Type.Optional(AdditiveCostSchema),
        extraHop: Type.Optional(SourcedDurationSchema),
        offsetSeed: Type.Optional(Type.String({ description: 'Seed for the per-core offsets a_i (fixed, so every run sees the same machine).', default: 'locksim' })),
        costTable: Type.Optional(
          Type.Object(
            {
              c2c: Type.String({ minLength: 1, description: 'Path of a core-to-core-latency CSV (repository-relative) whose pair values replace the class model.' }),
              source: SourceText,
            },
            { ...closed, description: 'A measured matrix used as the cost table; must have one row per possible CPU.' },
          ),
        ),
        calibration: Type.Optional(Type.Array(ProxyLayoutSchema, { description: 'Measured matrices the class medians must match within 10% (a test).', default: [] })),
      },
      { ...closed, description: 'One-way cache-line transfer cost by distance class (nviennot core-to-core-latency semantics).' },
    ),
    coherence: Type.Object(
      {
        homeOccupancy: UncertainShareSchema,
        fanOutRead: UncertainDurationSchema,
        socketHopFactor: SourcedFactorSchema,
        smtSlowdown: UncertainFactorSchema,
        smtSpinSlowdown: UncertainFactorSchema,
      },
      {
        ...closed,
        description:
          'The line home and the SMT siblings as the lock models use them: how long a handoff holds the line\'s home (a share of its measured latency), the home time per spinner re-read, the socket hop, and the slowdown of a section next to a busy sibling.',
      },
    ),
    memory: Type.Object(
      {
        missesInFlight: UncertainCountSchema,
        dramLocal: UncertainDurationSchema,
        dramRemote: Type.Optional(UncertainDurationSchema),
      },
      {
        ...closed,
        description:
          'What a for_each_possible_cpu() sum needs: the core\'s limit of outstanding L1D misses (Intel line fill buffers, AMD miss address buffers, Arm\'s equivalent) and the load-to-use latency of a line no cache holds, on the reader\'s own NUMA node and on another (required with more than one node).',
      },
    ),
  },
  { ...closed, description: 'A machine family: topology, measured cache-line costs, coherence costs and price.' },
);
export type MachineFamilyFile = Static<typeof MachineFamilySchema>;

export const MachineVariantFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
    name: Name,
    description: Type.String({ minLength: 1, description: 'What this variant models and why.' }),
    variantOf: Type.String({ minLength: 1, description: 'Name of the family this is a variant of.' }),
    variant: VariantSpecSchema,
    price: Type.Optional(PriceSchema),
  },
  { ...closed, description: 'A named variant of another family, without copying its numbers.' },
);
export type MachineVariantFile = Static<typeof MachineVariantFileSchema>;

/** What editors see: either shape. The loader picks the shape by the presence of `variantOf`. */
export const MachineFileSchema = Type.Union([MachineFamilySchema, MachineVariantFileSchema], {
  title: 'locksim machine model',
  description: 'A machine family (topology, latencies, price) or a named variant of one.',
});

/** A time with its provenance, resolved to ns. */
export interface Sourced {
  readonly value: number;
  readonly basis: Basis;
  readonly source: string;
}

export interface AdditiveCost {
  readonly baseNs: number;
  readonly offsetMaxNs: number;
  readonly basis: Basis;
  readonly source: string;
}

export interface CrossDomainCost {
  readonly sameGroupNs: number;
  readonly otherGroupNs: number;
  readonly groupSize: number;
  readonly basis: Basis;
  readonly source: string;
}

export interface C2cMatrix {
  /** Number of logical CPUs (rows) in the file. */
  readonly cpus: number;
  /** Symmetric, diagonal 0, NaN where the file has no value. */
  readonly latencyNs: readonly (readonly number[])[];
}

/** A machine model file, validated and resolved (durations in ns, paths absolute). */
export interface MachineModel {
  readonly name: string;
  readonly description: string;
  readonly cpuModel: string;
  /** The file it was loaded from. */
  readonly file: string;
  readonly kind: CoherenceKind;
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: number;
  readonly domainsPerSocket: number;
  readonly coresPerDomain: number;
  readonly nodesPerSocket: number;
  readonly numaNodes: number;
  readonly numbering: 'threads-last' | 'siblings-adjacent';
  readonly globalsHomeNode: number;
  /** sockets × coresPerSocket × threadsPerCore. */
  readonly vcpus: number;
  /** Explicit layout from the file (CPU ids per L3 domain and per core), when given. */
  readonly explicitLayout?: { readonly domains?: readonly (readonly number[])[]; readonly siblings?: readonly (readonly number[])[] };
  readonly priceUsdPerHour: number;
  readonly priceDate: string;
  readonly priceSource: string;
  readonly latency: {
    readonly smt?: Sourced;
    readonly sameDomain: AdditiveCost;
    readonly crossDomain?: CrossDomainCost;
    readonly remoteHomeCrossDomain?: Sourced;
    readonly crossSocket?: AdditiveCost;
    readonly offsetSeed: string;
  };
  readonly costTable?: { readonly file: string; readonly source: string; readonly matrix: C2cMatrix };
  readonly calibration: readonly (ProxyLayout & { readonly file: string })[];
  /** The uncertain values of `coherence` and `memory`, by name, in ns for times (see MACHINE_PARAMETERS). */
  readonly parameters: MachineParameters;
  readonly socketHopFactor: Sourced;
  /** Set when the file is a variant of another family. */
  readonly variantOf?: string;
  readonly variant?: VariantSpec;
  /** Things a reader of results should know about this machine (a derived machine that keeps its parent's CPU model or price); absent when none. */
  readonly warnings?: readonly string[];
  /** Hops between each pair of sockets (machines of more than two sockets); absent: one hop between any two. */
  readonly socketHops?: readonly (readonly number[])[];
  /** One-way cost of each hop past the first between sockets, ns. */
  readonly extraHopNs?: number;
}

/** How a machine parameter is written: a time, a factor >= 1, a share in (0, 1], or a count. */
export type MachineParameterUnit = 'duration' | 'factor' | 'share' | 'count';

/** The machine values a scenario may override (`machineParameters`) and `locksim sensitivity` sweeps, with where they live in a file. */
export const MACHINE_PARAMETERS = {
  homeOccupancy: { block: 'coherence', unit: 'share' },
  fanOutRead: { block: 'coherence', unit: 'duration' },
  smtSlowdown: { block: 'coherence', unit: 'factor' },
  smtSpinSlowdown: { block: 'coherence', unit: 'factor' },
  missesInFlight: { block: 'memory', unit: 'count' },
  dramLocal: { block: 'memory', unit: 'duration' },
  dramRemote: { block: 'memory', unit: 'duration' },
} as const satisfies Record<string, { block: 'coherence' | 'memory'; unit: MachineParameterUnit }>;

export type MachineParameterName = keyof typeof MACHINE_PARAMETERS;

export const MACHINE_PARAMETER_NAMES = Object.keys(MACHINE_PARAMETERS) as MachineParameterName[];

/** One uncertain machine value, resolved (times in ns). */
export interface MachineParameter {
  readonly value: number;
  readonly range: readonly [number, number];
  readonly basis: Basis;
  readonly source: string;
  readonly unit: MachineParameterUnit;
}

/** dramRemote is absent on a machine with one NUMA node. */
export type MachineParameters = Readonly<Record<Exclude<MachineParameterName, 'dramRemote'>, MachineParameter>> & { readonly dramRemote?: MachineParameter };
