/**
 * A measurement file for `locksim calibrate`: launch storms a user measured
 * on their own nodes, each point with what was measured (median and 99th
 * percentile launch latency, failure rate), each with its uncertainty (one
 * standard deviation: seed-to-seed or run-to-run spread, or how well a
 * second-hand figure is known). Two forms:
 *
 * YAML (schemas/measurements.schema.json):
 *
 *   name: my-node
 *   scenario: {machine: r5.metal, layers: 50, runtime: containerd-idmap}   # fields every point shares
 *   parameters: [ml_section, sandboxedServices]                             # what to fit (default: every calibrated parameter)
 *   seeds: 2
 *   points:
 *     - containers: 100
 *       p50: {value: 10 s, sd: 1 s}
 *       p99: {value: 14 s, sd: 2 s}
 *       failureRate: {value: 0.02, sd: 0.01}
 *
 * CSV: one row per point; the columns p50_s, p50_sd_s, p99_s, p99_sd_s,
 * failure_rate and failure_rate_sd are measurements (a value with its sd;
 * empty: not measured), every other column is a scenario field of the point
 * (machine, containers, layers, runtime, ...). The shared fields, the
 * parameters and the seeds then come from the command line.
 *
 * A point's scenario fields are those of a launch scenario file (its name,
 * seeds, sweep and expectations aside); they are checked when the point is
 * resolved, and an error names the measurement file and the point.
 */
import { Type, type Static } from '@sinclair/typebox';
import { extname } from 'node:path';
import { InputError } from '../input/errors.js';
import { loadDocument } from '../input/load.js';
import { readTextBounded } from '../input/read.js';
import { validateField } from '../input/fields.js';
import { parseDurationNs } from '../input/units.js';

/** What a point may have measured, by the metric it is compared with. */
export const MEASURED_METRICS = {
  p50: { metric: 'p50LatencyS', unit: 's', csv: ['p50_s', 'p50_sd_s'], description: 'median launch latency' },
  p99: { metric: 'p99LatencyS', unit: 's', csv: ['p99_s', 'p99_sd_s'], description: '99th percentile launch latency' },
  failureRate: { metric: 'failureRate', unit: '1', csv: ['failure_rate', 'failure_rate_sd'], description: 'share of launches that failed' },
} as const;

export type MeasuredName = keyof typeof MEASURED_METRICS;
export const MEASURED_NAMES = Object.keys(MEASURED_METRICS) as MeasuredName[];

const Latency = Type.Object(
  {
    value: Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })], { description: 'A duration ("10 s") or seconds.', expected: 'a duration such as "10 s", or seconds' }),
    sd: Type.Union([Type.String({ minLength: 1 }), Type.Number({ exclusiveMinimum: 0 })], { description: 'One standard deviation: a duration or seconds, above 0.', expected: 'a duration such as "1 s", or seconds, above 0' }),
  },
  { additionalProperties: false, description: 'A measured latency with its uncertainty.' },
);

const Rate = Type.Object(
  {
    value: Type.Number({ minimum: 0, maximum: 1, description: 'Share of launches, 0 to 1.' }),
    sd: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'One standard deviation, above 0 (a measured 0% still has one: about 1 / launches measured).' }),
  },
  { additionalProperties: false, description: 'A measured failure rate with its uncertainty.' },
);

export const MeasurementPointSchema = Type.Object(
  {
    p50: Type.Optional(Latency),
    p99: Type.Optional(Latency),
    failureRate: Type.Optional(Rate),
  },
  { additionalProperties: true, description: 'One measured storm: its scenario fields (containers, machine, layers, ...) and what was measured.' },
);

export const MeasurementFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100, description: 'Names the calibration (and its report folder).' }),
    description: Type.Optional(Type.String({ description: 'Where the measurements come from.' })),
    scenario: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Launch scenario fields every point shares (machine, layers, runtime, arrival, deadlines, mechanisms, parameters).', default: {} })),
    parameters: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description: 'The kernel or node model parameters to fit (default: every calibrated one).' })),
    seeds: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Replications per point of every evaluation, the same seeds each time (common random numbers).', default: 2 })),
    points: Type.Array(MeasurementPointSchema, { minItems: 1, description: 'The measured storms.' }),
  },
  { additionalProperties: false, title: 'measurement file', description: 'Launch storms measured on real nodes, for `locksim calibrate`.' },
);

type MeasurementFile = Static<typeof MeasurementFileSchema>;

/** One measured value, in the metric's unit (s or share). */
export interface MeasuredValue {
  readonly name: MeasuredName;
  readonly metric: string;
  readonly value: number;
  readonly sd: number;
}

export interface MeasurementPoint {
  /** Scenario fields of this point (the shared ones not included). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly measured: readonly MeasuredValue[];
  /** "point 3 (containers=100)", for messages and tables. */
  readonly label: string;
  /** Where the point is written in the file (its CSV row, or its YAML entry), when known. */
  readonly line?: number;
}

export interface Measurements {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly scenario: Readonly<Record<string, unknown>>;
  readonly parameters?: readonly string[];
  readonly seeds?: number;
  readonly points: readonly MeasurementPoint[];
}

function label(index: number, fields: Readonly<Record<string, unknown>>): string {
  const coordinates = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return `point ${index + 1}${coordinates.length > 0 ? ` (${coordinates.join(', ')})` : ''}`;
}

function seconds(value: string | number, at: { file: string; path: string }): number {
  return typeof value === 'number' ? value : parseDurationNs(value, at) / 1e9;
}

/** Reads a measurement file (.csv, or YAML/JSON); every problem is an InputError naming the file, and the line or field. */
export function readMeasurements(file: string): Measurements {
  return extname(file).toLowerCase() === '.csv' ? readCsv(file) : readYaml(file);
}

function readYaml(file: string): Measurements {
  const doc = loadDocument(file);
  const value = validateField<MeasurementFile>(MeasurementFileSchema, doc.value ?? {}, doc);
  const points = value.points.map((point, index): MeasurementPoint => {
    const fields: Record<string, unknown> = {};
    const measured: MeasuredValue[] = [];
    for (const [key, entry] of Object.entries(point)) {
      if (!(MEASURED_NAMES as string[]).includes(key)) {
        fields[key] = entry;
        continue;
      }
      const name = key as MeasuredName;
      const at = (field: string) => ({ file, path: `points[${index}].${name}.${field}` });
      const written = entry as { value: string | number; sd: string | number };
      const isRate = name === 'failureRate';
      const v = isRate ? (written.value as number) : seconds(written.value, at('value'));
      const sd = isRate ? (written.sd as number) : seconds(written.sd, at('sd'));
      if (!(sd > 0)) {
        const position = doc.locate(['points', index, name, 'sd']);
        throw new InputError('a measurement needs an uncertainty above 0', { file, line: position?.line, column: position?.column, path: `points[${index}].${name}.sd`, expected: 'a standard deviation above 0', found: String(written.sd) });
      }
      measured.push({ name, metric: MEASURED_METRICS[name].metric, value: v, sd });
    }
    if (measured.length === 0) {
      const position = doc.locate(['points', index]);
      throw new InputError('a point measures nothing', { file, line: position?.line, column: position?.column, path: `points[${index}]`, expected: `at least one of ${MEASURED_NAMES.join(', ')}`, found: 'none' });
    }
    return { fields, measured, label: label(index, fields), line: doc.locate(['points', index])?.line };
  });
  return { file, name: value.name, description: value.description ?? '', scenario: value.scenario ?? {}, parameters: value.parameters, seeds: value.seeds, points };
}

/** RFC 4180 fields of one line (quotes with doubled quotes inside; no line breaks within a field). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

function readCsv(file: string): Measurements {
  const text = readTextBounded(file, { maxBytes: 4 * 1024 * 1024, expected: 'a CSV measurement file' });
  const lines = text.split(/\r?\n/);
  const rows = lines.map((line, index) => ({ line: index + 1, text: line })).filter((row) => row.text.trim() !== '' && !row.text.trimStart().startsWith('#'));
  if (rows.length < 2) throw new InputError('no measurements', { file, expected: 'a header line and at least one row', found: `${rows.length} line(s)` });
  const header = csvFields(rows[0].text);
  const measurementColumns = new Set<string>(MEASURED_NAMES.flatMap((name) => [...MEASURED_METRICS[name].csv]));
  const seen = new Set<string>();
  for (const column of header) {
    if (column === '') throw new InputError('an empty column name', { file, line: rows[0].line, expected: 'a name for every column', found: 'an empty one' });
    if (seen.has(column)) throw new InputError(`column \`${column}\` appears twice`, { file, line: rows[0].line, expected: 'distinct column names', found: `\`${column}\`` });
    seen.add(column);
  }
  for (const name of MEASURED_NAMES) {
    const [valueColumn, sdColumn] = MEASURED_METRICS[name].csv;
    if (seen.has(valueColumn) !== seen.has(sdColumn)) {
      throw new InputError(`\`${valueColumn}\` needs \`${sdColumn}\` beside it`, { file, line: rows[0].line, expected: `both ${valueColumn} and ${sdColumn}`, found: seen.has(valueColumn) ? valueColumn : sdColumn });
    }
  }
  const points = rows.slice(1).map((row, index): MeasurementPoint => {
    const cells = csvFields(row.text);
    if (cells.length !== header.length) throw new InputError(`row has ${cells.length} fields`, { file, line: row.line, expected: `${header.length} fields, as the header`, found: `${cells.length}` });
    const fields: Record<string, unknown> = {};
    const cell = (column: string): string | undefined => {
      const at = header.indexOf(column);
      return at < 0 || cells[at] === '' ? undefined : cells[at];
    };
    header.forEach((column, at) => {
      if (measurementColumns.has(column) || cells[at] === '') return;
      const text = cells[at];
      fields[column] = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text === 'true' ? true : text === 'false' ? false : text;
    });
    const measured: MeasuredValue[] = [];
    for (const name of MEASURED_NAMES) {
      const [valueColumn, sdColumn] = MEASURED_METRICS[name].csv;
      const valueText = cell(valueColumn);
      const sdText = cell(sdColumn);
      if (valueText === undefined && sdText === undefined) continue;
      const number = (text: string | undefined, column: string, positive: boolean): number => {
        const parsed = text === undefined ? Number.NaN : Number(text);
        const ok = Number.isFinite(parsed) && (positive ? parsed > 0 : parsed >= 0) && (name !== 'failureRate' || parsed <= 1);
        if (!ok) {
          throw new InputError(`invalid \`${column}\``, { file, line: row.line, path: column, expected: `${name === 'failureRate' ? 'a share from 0 to 1' : 'seconds'}${positive ? ', above 0' : ''}`, found: text === undefined ? 'nothing' : JSON.stringify(text) });
        }
        return parsed;
      };
      measured.push({ name, metric: MEASURED_METRICS[name].metric, value: number(valueText, valueColumn, false), sd: number(sdText, sdColumn, true) });
    }
    if (measured.length === 0) throw new InputError('a row measures nothing', { file, line: row.line, expected: `values in ${[...measurementColumns].join(', ')}`, found: 'none' });
    return { fields, measured, label: label(index, fields), line: row.line };
  });
  const name = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'measurements';
  return { file, name, description: '', scenario: {}, points };
}
