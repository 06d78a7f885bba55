/**
 * The machine-readable documents a run leaves behind, each with its schema:
 * summary.json (also `locksim run --json`), runs.csv (tidy: one row per point
 * and seed) and the head every output starts with (schemaVersion and the
 * locksim version). The TypeBox schemas here are emitted to schemas/ by
 * `npx tsx src/schemas.ts`, like the input files' schemas; a test keeps the
 * emitted files current.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { MetricDeclaration } from '../analysis/metric.js';
import type { ScenarioSummary } from '../analysis/summary.js';
import { outputHead, OUTPUT_SCHEMA_VERSION } from '../input/package-info.js';
import { metricCatalogue } from '../workloads/catalogue.js';
import { toCsv } from './csv.js';

/** The fields every output document starts with. */
export const OutputHeadSchema = {
  schemaVersion: Type.Literal(OUTPUT_SCHEMA_VERSION, { description: 'Version of this document layout; raised when a field is renamed, removed or changes meaning.' }),
  locksim: Type.Object({ version: Type.String({ description: 'The locksim version that wrote the document.' }) }, { description: 'The program that wrote it.' }),
};

/** A number, or null where JSON cannot carry the value (NaN: a metric a point does not have). */
export const JsonNumber = Type.Union([Type.Number(), Type.Null()]);

export const CoordinatesSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
  description: 'The swept values that make the point, e.g. {"machine": "r5.metal", "containers": 100}.',
});

export const MetricDeclarationSchema = Type.Object(
  {
    name: Type.String({ description: 'Metric name, or a family pattern with <placeholders> (e.g. <lock>.meanWaitUs).' }),
    unit: Type.String({ description: 'Unit of the value: s, ms, us, ns, 1 (a ratio), count, /s.' }),
    kind: Type.String({ description: 'quantile, mean, rate, share, count, max or throughput.' }),
    better: Type.Union([Type.Literal('lower'), Type.Literal('higher'), Type.Literal('neither')], { description: 'Which way is an improvement (locksim diff verdicts).' }),
    description: Type.String(),
  },
  { additionalProperties: false },
);

export const EstimateSchema = Type.Object(
  {
    mean: Type.Union([Type.Number(), Type.Null()], { description: 'Mean over seeds.' }),
    ci95: Type.Union([Type.Number(), Type.Null()], { description: '95% confidence half-width over seeds (Student t); 0 with one seed.' }),
    perSeed: Type.Array(JsonNumber, { description: 'One value per seed, in the order of `seeds`.' }),
  },
  { additionalProperties: false },
);

export const SummaryDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    scenario: Type.String({ description: 'Scenario name.' }),
    kind: Type.String({ description: 'Workload kind (launch, pause-bench).' }),
    seeds: Type.Array(Type.String(), { description: 'Seed names, in run order (whole numbers unless given as text).' }),
    metrics: Type.Array(MetricDeclarationSchema, { description: 'The metric catalogue of the kind: unit, kind and better direction of every metric below.' }),
    points: Type.Array(
      Type.Object(
        {
          index: Type.Integer({ description: 'Point index in sweep order.' }),
          coordinates: CoordinatesSchema,
          machine: Type.String({ description: 'Machine as resolved (family plus variant).' }),
          metrics: Type.Record(Type.String(), EstimateSchema, { description: 'Every metric of the point by name.' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'summary.json and `locksim run --json`: per sweep point, every metric over seeds.' },
);

export type SummaryDocument = Static<typeof SummaryDocumentSchema>;

/** The metric declarations of one workload kind. */
export function kindMetrics(kind: string): MetricDeclaration[] {
  return [...(metricCatalogue().find((entry) => entry.kind === kind)?.metrics ?? [])];
}

/** summary.json: the summary with its head and the kind's metric catalogue. */
export function summaryDocument(summary: ScenarioSummary, kind: string): SummaryDocument {
  return {
    ...outputHead(),
    scenario: summary.scenario,
    kind,
    seeds: [...summary.seeds],
    metrics: kindMetrics(kind),
    points: summary.points.map((p) => ({ index: p.index, coordinates: { ...p.coordinates }, machine: p.machine, metrics: p.metrics as SummaryDocument['points'][number]['metrics'] })),
  };
}

/** The unit of a metric name under a kind's declarations (families matched by their pattern). */
export function unitOf(name: string, declarations: readonly MetricDeclaration[]): string | undefined {
  return declarationOf(name, declarations)?.unit;
}

/** A metric's declaration: by name, else the family whose pattern matches (`<lock>` stands for any text). */
export function declarationOf(name: string, declarations: readonly MetricDeclaration[]): MetricDeclaration | undefined {
  const exact = declarations.find((d) => d.name === name);
  if (exact !== undefined) return exact;
  return declarations.find((d) => d.name.includes('<') && familyPattern(d.name).test(name));
}

function familyPattern(pattern: string): RegExp {
  const parts = pattern.split(/<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

/** Units a column name already ends in (p50LatencyS, meanWaitUs, throughputPerS). */
const UNIT_SUFFIXES: Readonly<Record<string, RegExp>> = { s: /S$/, ms: /Ms$/, us: /Us$/, ns: /Ns$/, '/s': /PerS$/ };

/** A CSV column for a metric: its name, with the unit appended when the name does not say it (time.spin:mount_lock -> time.spin:mount_lock_s). */
export function columnWithUnit(name: string, unit: string | undefined): string {
  if (unit === undefined || unit === '1' || unit === 'count') return name;
  if (UNIT_SUFFIXES[unit]?.test(name) === true) return name;
  return `${name}_${unit === '/s' ? 'per_s' : unit}`;
}

/**
 * runs.csv: tidy, one row per point and seed. Coordinates first (a swept
 * machine as `sweep.machine`), then the resolved machine, the seed, and
 * every metric as a number, units in the column names.
 */
export function runsCsv(summary: ScenarioSummary, kind: string): string {
  const declarations = kindMetrics(kind);
  const keys = [...new Set(summary.points.flatMap((p) => Object.keys(p.coordinates)))];
  const coordinateColumn = (key: string): string => (key === 'machine' ? 'sweep.machine' : key);
  const metricNames = [...new Set(summary.points.flatMap((p) => Object.keys(p.metrics)))].sort();
  const columns = ['point', ...keys.map(coordinateColumn), 'machine', 'seed', ...metricNames.map((m) => columnWithUnit(m, unitOf(m, declarations)))];
  const rows = summary.points.flatMap((p) =>
    summary.seeds.map((seed, seedIndex) => {
      const row: Record<string, string | number | boolean> = { point: p.index };
      for (const key of keys) row[coordinateColumn(key)] = p.coordinates[key] ?? '';
      row.machine = p.machine;
      row.seed = seed;
      for (const metric of metricNames) row[columnWithUnit(metric, unitOf(metric, declarations))] = p.metrics[metric]?.perSeed[seedIndex] ?? Number.NaN;
      return row;
    }),
  );
  return toCsv(rows, columns);
}


/** results.json: every run's outputs. The runs' `result` objects are the workload kind's (open here; see src/launch/result.ts). */
export const ResultsDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    scenario: Type.String(),
    kind: Type.String(),
    seeds: Type.Array(Type.String()),
    points: Type.Array(
      Type.Object({
        index: Type.Integer(),
        coordinates: CoordinatesSchema,
        machine: Type.String(),
        runs: Type.Array(Type.Object({ kind: Type.String(), result: Type.Object({}, { additionalProperties: true }) }), { description: 'One per seed, in seed order.' }),
      }),
    ),
    folded: Type.Array(
      Type.Object({
        machine: Type.String(),
        stacks: Type.Array(Type.Object({ stack: Type.Array(Type.String()), weight: Type.Number({ description: 'Simulated time in ns.' }) })),
      }),
      { description: 'Simulated time by stack, summed over every point and seed of each machine.' },
    ),
    omitted: Type.Array(Type.String(), { description: 'What was left out to keep the file under 50 MB.' }),
    onsets: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'Failure onsets found by bisection between sweep points (src/study/onset.ts).' })),
  },
  { description: 'results.json: every run of a report, enough to recompute the summary and redraw every chart.' },
);

/** `locksim metrics --json`. */
export const MetricsDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    kinds: Type.Array(Type.Object({ kind: Type.String(), metrics: Type.Array(MetricDeclarationSchema) }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: '`locksim metrics --json`: the metric catalogue of every workload kind.' },
);
