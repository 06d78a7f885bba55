/**
 * Scenario file -> ResolvedScenario: parse, apply `--set` overrides,
 * validate, check every name against the models, expand the sweep, resolve
 * defaults and units, and bind each `expect:` entry to the points it reads.
 *
 * Everything that can be wrong with a file is found here, before anything
 * runs, and reported as one InputError naming the file, line, column and
 * field path (a value that came from `--set` names `--set` instead). Sizes
 * past SCENARIO_LIMITS are refused with the limit and how to split the work.
 * Nothing from a file is evaluated: values are data, durations go through
 * the one unit parser.
 */
import type { TSchema } from '@sinclair/typebox';
import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseDocument } from 'yaml';
import { InputError, type InputErrorDetail } from '../input/errors.js';
import { formatFieldPath, loadDocument, parseDocumentText, type FieldPath, type LoadedDocument } from '../input/load.js';
import { didYouMean } from '../input/did-you-mean.js';
import { describeUnsafeNode, findUnsafeNode } from '../input/plain-data.js';
import { parseDurationNs, parseSizeBytes } from '../input/units.js';
import { ModelCatalog } from '../input/catalog.js';
import { getPath, isPlainObject, namedFieldPaths, parseFieldPath, schemaAt, setPath, validateField } from '../input/fields.js';
import { DEFAULT_LIMITS, type RunLimits } from '../engine/index.js';
import { MACHINE_PARAMETERS, buildTopology, loadMachineModel, parseMachineSpec, withMachineParameters, type MachineModel, type MachineParameter, type MachineParameterValue, type MachineSpec, type Topology } from '../topology/index.js';
import type { PointContext, PointLocator, ScenarioKind, ScenarioKinds } from './kind.js';
import { ModelTable } from './models.js';
import { RENAMED_METRICS } from './metrics.js';
import { SCENARIO_LIMITS, UNSWEEPABLE_FIELDS, type ExpectationFile, type MetricRefFile } from './schema.js';
import type { Expectation, PointSpecBase, ResolvedScenario, RunPoint } from './types.js';

export interface LoadScenarioOptions {
  /** `path=value` overrides, value written as YAML flow (`containers=200`, `sweep.containers=[10,20]`). */
  readonly set?: readonly string[];
  /** Replaces the file's `seeds` with seeds "1".."N" (the CLI's `--seeds`). */
  readonly seeds?: number;
  /** Where models are found by name (default: the repository's models/); share one across loads to read each file once. */
  readonly catalog?: ModelCatalog;
}

type Scalar = string | number | boolean;
type Coordinates = Readonly<Record<string, Scalar>>;

/** Reads, checks and expands one scenario file of one of `kinds`. Every problem is an InputError (exit 2). */
export function loadScenarioFile(file: string, kinds: ScenarioKinds, options: LoadScenarioOptions = {}): ResolvedScenario {
  return resolveScenario(loadDocument(file), kinds, options);
}

/** The same from text in memory; `file` names it in errors. */
export function loadScenarioFileText(text: string, file: string, kinds: ScenarioKinds, options: LoadScenarioOptions = {}): ResolvedScenario {
  return resolveScenario(parseDocumentText(text, file), kinds, options);
}

interface SetOverride {
  readonly text: string;
  readonly path: (string | number)[];
  readonly value: unknown;
}

interface SweepAxis {
  readonly key: string;
  readonly path: (string | number)[];
  readonly values: readonly Scalar[];
}

const SWEEP_HINT = 'Split the sweep into several scenario files (e.g. one per machine), or sweep fewer values.';

function resolveScenario(document: LoadedDocument, kinds: ScenarioKinds, options: LoadScenarioOptions): ResolvedScenario {
  const catalog = options.catalog ?? new ModelCatalog();
  const file = document.file;
  if (!isPlainObject(document.value)) {
    throw new InputError('a scenario file is a mapping of fields', {
      file,
      line: document.locate([])?.line,
      expected: 'fields such as name, machine, containers, layers',
      found: document.value === null || document.value === undefined ? 'an empty document' : Array.isArray(document.value) ? 'a list' : JSON.stringify(document.value),
    });
  }
  const source = structuredClone(document.value);
  const overrides = parseOverrides(options.set ?? []);

  // `kind` picks the schema, so it is settled first (from --set or the file).
  for (const override of overrides) if (override.path.length === 1 && override.path[0] === 'kind') source.kind = override.value;
  const kind = readKind(document, source, overrides, kinds);
  const schema = kind.schema;
  const setPaths = applyOverrides(source, overrides, schema);
  if (options.seeds !== undefined) {
    if (!Number.isInteger(options.seeds) || options.seeds < 1 || options.seeds > SCENARIO_LIMITS.seeds) {
      throw new InputError('invalid seed count', { file: '--seeds', expected: `an integer 1-${SCENARIO_LIMITS.seeds}`, found: String(options.seeds) });
    }
    source.seeds = options.seeds;
    setPaths.push(['seeds']);
  }

  const at = new Locator(document, setPaths);
  const validated = at.validate<{ name: string; description?: string; seeds?: number | (number | string)[]; sweep?: Record<string, Scalar[]>; expect?: ExpectationFile[] }>(schema, source);

  const seeds = resolveSeeds(validated.seeds ?? 3);
  const axes = readSweep(validated.sweep ?? {}, schema, at);
  const pointCount = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (pointCount > SCENARIO_LIMITS.sweepPoints) {
    throw at.error(['sweep'], `the sweep expands to ${pointCount} points (${axes.map((a) => `${a.values.length} ${a.key}`).join(' x ')}), over the limit of ${SCENARIO_LIMITS.sweepPoints} points`, {
      expected: `at most ${SCENARIO_LIMITS.sweepPoints} points`,
      found: `${pointCount} points`,
      hint: SWEEP_HINT,
    });
  }
  if (pointCount * seeds.length > SCENARIO_LIMITS.runs) {
    throw at.error(['seeds'], `${pointCount} points x ${seeds.length} seeds = ${pointCount * seeds.length} runs, over the limit of ${SCENARIO_LIMITS.runs} runs`, {
      expected: `at most ${SCENARIO_LIMITS.runs} runs`,
      found: `${pointCount * seeds.length} runs`,
      hint: `Use fewer seeds, or ${SWEEP_HINT.charAt(0).toLowerCase()}${SWEEP_HINT.slice(1)}`,
    });
  }

  const base = structuredClone(validated) as Record<string, unknown>;
  for (const field of ['sweep', 'expect', 'seeds', '$schema']) delete base[field];
  const models = new ModelTable();
  const context = pointContext(catalog, models, at, file);
  const points: RunPoint[] = [];
  const pointDocuments: Record<string, unknown>[] = [];
  forEachCombination(axes, (valueIndices) => {
    const pointDocument = structuredClone(base);
    const coordinates: Record<string, Scalar> = {};
    axes.forEach((axis, axisIndex) => {
      const value = axis.values[valueIndices[axisIndex]];
      coordinates[axis.key] = value;
      if (!setPath(pointDocument, axis.path, value)) {
        throw at.error(['sweep', axis.key], `cannot sweep \`${axis.key}\` here: a field on its path is not a mapping`, { expected: 'a path through mappings', found: axis.key });
      }
    });
    at.enterPoint(axes, valueIndices);
    const spec: PointSpecBase = kind.resolvePoint(pointDocument, context);
    points.push({ index: points.length, coordinates, spec });
    pointDocuments.push(pointDocument);
  });
  at.leavePoint();

  const resolvedModels = models.models();
  const expectationContext: ExpectationContext = {
    kind: kind.name,
    schema,
    axes,
    points,
    pointDocuments,
    metrics: kind.metricNames(points, resolvedModels),
    dropUnmatched: overrides.length > 0 || options.seeds !== undefined,
    at,
  };
  const expectations: Expectation[] = [];
  (validated.expect ?? []).forEach((entry, index) => {
    const expectation = resolveExpectation(entry, index, expectationContext);
    if (expectation !== undefined) expectations.push(expectation);
  });

  return {
    name: validated.name,
    description: validated.description ?? '',
    file,
    kind: kind.name,
    seeds,
    points,
    expectations,
    source,
    models: resolvedModels,
  };
}

// ---------------------------------------------------------------- overrides

function parseOverrides(entries: readonly string[]): SetOverride[] {
  return entries.map((text) => {
    const equals = text.indexOf('=');
    if (equals <= 0) {
      throw new InputError('an override is written path=value', { file: '--set', expected: 'path=value, e.g. containers=200 or deadlines.launch=45 s', found: JSON.stringify(text) });
    }
    const pathText = text.slice(0, equals).trim();
    const path = parseFieldPath(pathText);
    if (path === undefined) {
      throw new InputError(`cannot read \`${pathText}\` as a field path`, { file: '--set', path: pathText, expected: 'a field path such as containers, deadlines.launch or sweep.containers', found: JSON.stringify(pathText) });
    }
    const valueText = text.slice(equals + 1).trim();
    const parsed = parseDocument(valueText, { uniqueKeys: true });
    if (parsed.errors.length > 0) {
      throw new InputError(`cannot read the value: ${parsed.errors[0].message.split('\n')[0]}`, {
        file: '--set',
        path: pathText,
        expected: 'a YAML flow value such as 200, "45 s", false or [10, 20]',
        found: JSON.stringify(valueText),
      });
    }
    let value: unknown;
    try {
      value = parsed.toJS({ maxAliasCount: 10 });
    } catch (error) {
      throw new InputError('cannot expand the value', { file: '--set', path: pathText, expected: 'a plain YAML value', found: error instanceof Error ? error.message : String(error) });
    }
    const unsafe = findUnsafeNode(value);
    if (unsafe !== undefined) {
      const { message, expected, found } = describeUnsafeNode(unsafe);
      throw new InputError(message, { file: '--set', path: formatFieldPath([...path, ...unsafe.path]), expected, found });
    }
    return { text, path, value: value === undefined ? null : value };
  });
}

function readKind(document: LoadedDocument, source: Record<string, unknown>, overrides: readonly SetOverride[], kinds: ScenarioKinds): ScenarioKind {
  const names = [...kinds.keys()];
  const kind = source.kind ?? names[0];
  const known = typeof kind === 'string' && Object.hasOwn(Object.fromEntries(kinds), kind) ? kinds.get(kind) : undefined;
  if (known !== undefined) return known;
  const fromSet = overrides.some((o) => o.path.length === 1 && o.path[0] === 'kind');
  const detail: InputErrorDetail = {
    path: 'kind',
    expected: names.map((n) => JSON.stringify(n)).join(' or '),
    found: JSON.stringify(kind) ?? String(kind),
    hint: typeof kind === 'string' ? didYouMean(kind, names) : undefined,
  };
  if (fromSet) throw new InputError('unknown scenario kind', { file: '--set', ...detail });
  const position = document.locate(['kind']);
  throw new InputError('unknown scenario kind', { file: document.file, line: position?.line, column: position?.column, ...detail });
}

/** Applies overrides in order; returns the overridden paths (their errors name `--set`). */
function applyOverrides(source: Record<string, unknown>, overrides: readonly SetOverride[], schema: TSchema): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const override of overrides) {
    const { path, value } = override;
    const pathText = formatFieldPath(path);
    const fieldSchema = schemaAt(schema, path);
    if (fieldSchema === undefined || (typeof path[0] === 'string' && path[0] === '$schema')) {
      const known = namedFieldPaths(schema).filter((p) => p !== '$schema');
      throw new InputError(`unknown field path \`${pathText}\``, {
        file: '--set',
        path: pathText,
        expected: 'a field of this scenario, e.g. containers, machine, deadlines.launch, mechanisms.propagation, sweep.containers',
        found: `\`${pathText}\``,
        hint: didYouMean(pathText, known),
      });
    }
    validateField(fieldSchema, value, { file: '--set' }, path);
    if (!setPath(source, path, structuredClone(value))) {
      throw new InputError(`cannot set \`${pathText}\`: a field on its path is not a mapping`, {
        file: '--set',
        path: pathText,
        expected: 'a path through mappings',
        found: JSON.stringify(getPath(source, path.slice(0, 1))) ?? 'nothing',
      });
    }
    // A field fixed on the command line is no longer swept.
    const sweep = source.sweep;
    if (path[0] !== 'sweep' && isPlainObject(sweep)) {
      for (const key of Object.keys(sweep)) {
        const keyPath = parseFieldPath(key);
        if (keyPath !== undefined && (startsWith(keyPath, path) || startsWith(path, keyPath))) delete sweep[key];
      }
    }
    paths.push(path);
  }
  return paths;
}

// ---------------------------------------------------------------- locations

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/**
 * Maps a field of a resolved point back to where its value was written: the
 * field itself, the sweep entry that supplied it, or `--set`.
 */
class Locator implements PointLocator {
  private pointAxes: { path: FieldPath; key: string; index: number }[] = [];

  constructor(
    private readonly document: LoadedDocument,
    private readonly setPaths: readonly FieldPath[],
  ) {}

  enterPoint(axes: readonly SweepAxis[], valueIndices: readonly number[]): void {
    this.pointAxes = axes.map((axis, i) => ({ path: axis.path, key: axis.key, index: valueIndices[i] }));
  }

  leavePoint(): void {
    this.pointAxes = [];
  }

  /** Where the value of `path` was written, as a path of the file. */
  written(path: FieldPath): FieldPath {
    for (const axis of this.pointAxes) if (startsWith(path, axis.path)) return ['sweep', axis.key, axis.index];
    return path;
  }

  /**
   * validateField against this file; a problem in a value that came from
   * `--set` is reported against `--set`.
   */
  validate<T>(schema: TSchema, value: unknown, root: FieldPath = []): T {
    try {
      return validateField<T>(schema, value, { file: this.document.file, locate: (path, target) => this.position(path, target) }, root);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const path = error.detail.path === undefined ? undefined : parseFieldPath(error.detail.path);
      const moved = path !== undefined && this.fromSet(path) ? new InputError(error.message, { ...error.detail, file: '--set', line: undefined, column: undefined }) : error;
      throw withLimitHint(moved);
    }
  }

  private fromSet(path: FieldPath): boolean {
    return this.setPaths.some((setPath) => startsWith(path, setPath));
  }

  position(path: FieldPath, target: 'value' | 'key' = 'value'): { line: number; column: number } | undefined {
    return this.fromSet(path) ? undefined : this.document.locate(path, target);
  }

  error(path: FieldPath, message: string, detail: InputErrorDetail = {}, target: 'value' | 'key' = 'value'): InputError {
    const written = this.written(path);
    if (this.fromSet(written)) return new InputError(message, { file: '--set', path: formatFieldPath(written), ...detail });
    const position = this.document.locate(written, target);
    return new InputError(message, { file: this.document.file, line: position?.line, column: position?.column, path: formatFieldPath(written), ...detail });
  }

  /** An error raised elsewhere (names, topology), moved to `path` of this file; its message and hint are kept. */
  relocate(error: InputError | RangeError, path: FieldPath): InputError {
    if (error instanceof RangeError) return this.error(path, error.message, { expected: 'a value that fits the machine' });
    const { expected, found, hint } = error.detail;
    return this.error(path, error.message, { expected, found, hint });
  }

  /** The run caps: defaults from the engine, each overridable in `limits:`. */
  limits(limits: { maxEvents?: number; maxSimulatedTime?: string; maxMemory?: string } | undefined): RunLimits {
    let maxHeapBytes = DEFAULT_LIMITS.maxHeapBytes;
    if (limits?.maxMemory !== undefined) {
      try {
        maxHeapBytes = parseSizeBytes(limits.maxMemory);
      } catch (error) {
        if (error instanceof InputError) throw this.relocate(error, ['limits', 'maxMemory']);
        throw error;
      }
    }
    return {
      maxEvents: limits?.maxEvents ?? DEFAULT_LIMITS.maxEvents,
      maxTimeNs: limits?.maxSimulatedTime === undefined ? DEFAULT_LIMITS.maxTimeNs : this.duration(limits.maxSimulatedTime, ['limits', 'maxSimulatedTime'], { positive: true }),
      maxHeapBytes,
    };
  }

  duration(value: unknown, path: FieldPath, options: { positive?: boolean } = {}): number {
    let ns: number;
    try {
      ns = parseDurationNs(value);
    } catch (error) {
      if (error instanceof InputError) throw this.relocate(error, path);
      throw error;
    }
    if (options.positive === true && !(ns > 0)) throw this.error(path, 'the duration must be longer than zero', { expected: 'a positive duration', found: JSON.stringify(value) });
    return ns;
  }
}

const LIMIT_HINTS: Record<string, string> = {
  containers: `locksim runs at most ${SCENARIO_LIMITS.containers} containers per point (a node, not a fleet); sweep smaller storms or split them over several files.`,
  layers: `Images have at most ${SCENARIO_LIMITS.layers} layers here (overlayfs itself stops at 500 lowerdirs).`,
  threads: `pause_bench runs at most ${SCENARIO_LIMITS.threads} threads, one per CPU.`,
  mean: `Images have at most ${SCENARIO_LIMITS.layers} layers here.`,
  min: `Images have at most ${SCENARIO_LIMITS.layers} layers here.`,
  max: `Images have at most ${SCENARIO_LIMITS.layers} layers here.`,
  seeds: `Use at most ${SCENARIO_LIMITS.seeds} replications; confidence intervals shrink slowly past a few dozen.`,
};

function withLimitHint(error: unknown): unknown {
  if (!(error instanceof InputError) || error.detail.hint !== undefined) return error;
  if (error.message !== 'value too large' && error.message !== 'wrong number of items') return error;
  const field = (error.detail.path ?? '').replace(/\[\d+\]$/, '').split('.').pop() ?? '';
  const hint = LIMIT_HINTS[field];
  return hint === undefined ? error : new InputError(error.message, { ...error.detail, hint });
}

// ---------------------------------------------------------------- seeds and sweep

function resolveSeeds(seeds: number | readonly (number | string)[]): string[] {
  if (typeof seeds === 'number') return Array.from({ length: seeds }, (_, i) => String(i + 1));
  return seeds.map(String);
}

function readSweep(sweep: Record<string, Scalar[]>, schema: TSchema, at: Locator): SweepAxis[] {
  checkSweepSize(sweep, at);
  const axes: SweepAxis[] = [];
  const sweepable = namedFieldPaths(schema).filter((p) => !UNSWEEPABLE_FIELDS.includes(p.split('.')[0]));
  for (const [key, values] of Object.entries(sweep)) {
    const path = parseFieldPath(key);
    const fieldSchema = path === undefined ? undefined : schemaAt(schema, path);
    if (path === undefined || fieldSchema === undefined || UNSWEEPABLE_FIELDS.includes(String(path[0]))) {
      const reason = path !== undefined && UNSWEEPABLE_FIELDS.includes(String(path[0])) ? `\`${key}\` describes the scenario and cannot be swept` : `unknown field path \`${key}\` in sweep`;
      throw at.error(['sweep', key], reason, { expected: 'a field path of this file, e.g. containers, machine, deadlines.launch', found: `\`${key}\``, hint: didYouMean(key, sweepable) }, 'key');
    }
    for (const other of axes) {
      if (startsWith(path, other.path) || startsWith(other.path, path)) {
        throw at.error(['sweep', key], `\`${key}\` overlaps the sweep of \`${other.key}\``, { expected: 'sweep keys that do not contain one another', found: `\`${other.key}\` and \`${key}\`` }, 'key');
      }
    }
    const firstIndex = new Map<Scalar, number>();
    values.forEach((value, index) => {
      at.validate(fieldSchema, value, ['sweep', key, index]);
      const first = firstIndex.get(value) ?? index;
      firstIndex.set(value, first);
      if (first !== index) {
        throw at.error(['sweep', key, index], `\`${String(value)}\` appears twice in the sweep of \`${key}\``, { expected: 'distinct values', found: `a repeat of item ${first}` });
      }
    });
    axes.push({ key, path, values });
  }
  return axes;
}

/**
 * The point limit, checked on the lengths of the value lists before any value
 * is read: a sweep past it is refused at once, however long its lists.
 */
function checkSweepSize(sweep: Record<string, readonly Scalar[]>, at: Locator): void {
  const lengths = Object.entries(sweep).map(([key, values]) => [key, values.length] as const);
  const pointCount = lengths.reduce((product, [, length]) => product * length, 1);
  if (pointCount <= SCENARIO_LIMITS.sweepPoints) return;
  throw at.error(['sweep'], `the sweep expands to ${pointCount} points (${lengths.map(([key, length]) => `${length} ${key}`).join(' x ')}), over the limit of ${SCENARIO_LIMITS.sweepPoints} points`, {
    expected: `at most ${SCENARIO_LIMITS.sweepPoints} points`,
    found: `${pointCount} points`,
    hint: SWEEP_HINT,
  });
}

/** Cartesian product in written order: the first key varies slowest. */
function forEachCombination(axes: readonly SweepAxis[], visit: (valueIndices: readonly number[]) => void): void {
  const indices = axes.map(() => 0);
  for (;;) {
    visit(indices);
    let axis = axes.length - 1;
    while (axis >= 0) {
      indices[axis] += 1;
      if (indices[axis] < axes[axis].values.length) break;
      indices[axis] = 0;
      axis -= 1;
    }
    if (axis < 0) return;
  }
}

// ---------------------------------------------------------------- points

/** The value `at` (0..1) of the way through a machine parameter's range: geometric over a decade or more (as `mid`), whole for counts. */
export function machineRangeFraction(parameter: Pick<MachineParameter, 'range' | 'unit'>, at: number): number {
  const [low, high] = parameter.range;
  const value = low > 0 && high / low >= 10 ? low * (high / low) ** at : low + at * (high - low);
  return parameter.unit === 'count' ? Math.round(value) : value;
}

/**
 * What a kind's resolvePoint may use: located errors, the catalog, the model
 * table, and machines resolved once per load (a sweep repeats few of them).
 */
function pointContext(catalog: ModelCatalog, models: ModelTable, at: Locator, scenarioFile: string): PointContext {
  const machines = new Map<string, { topology: Topology; model: string }>();
  return {
    at,
    catalog,
    models,
    machine(spec: MachineSpec, overrides?: unknown, fieldOverrides?: unknown) {
      const values = (overrides ?? {}) as Record<string, MachineParameterValue>;
      const fields = (fieldOverrides ?? {}) as Record<string, unknown>;
      const key = JSON.stringify([spec, values, fields]);
      const known = machines.get(key);
      if (known !== undefined) return known;
      let parsed: ReturnType<typeof parseMachineSpec>;
      try {
        parsed = parseMachineSpec(spec);
      } catch (error) {
        if (error instanceof InputError) throw at.relocate(error, ['machine']);
        throw error;
      }
      let file: string;
      if (isMachinePath(parsed.family)) {
        // A path, never a name: relative to the scenario file's folder.
        file = resolvePath(dirname(resolvePath(scenarioFile)), parsed.family);
        if (!existsSync(file)) {
          throw at.error(['machine'], 'the machine file does not exist', { expected: 'a machine model file (YAML or JSON), its path relative to the scenario file', found: `"${parsed.family}" (${file})` });
        }
      } else {
        try {
          file = catalog.file('machines', parsed.family, 'machine');
        } catch (error) {
          if (error instanceof InputError) throw at.relocate(error, ['machine']);
          throw error;
        }
      }
      // An error with a file of its own is in the machine model, not in this scenario.
      const familyModel =
        Object.keys(fields).length === 0
          ? catalog.memo(`machine-file:${file}`, () => loadMachineModel(file))
          : catalog.memo(`machine-file:${file}:${JSON.stringify(fields)}`, () => loadMachineModel(file, fields));
      const numeric: Record<string, MachineParameterValue> = {};
      for (const [name, value] of Object.entries(values)) {
        const unit = (MACHINE_PARAMETERS as Record<string, { unit: string } | undefined>)[name]?.unit;
        const path = ['machineParameters', name];
        if (value === 'low' || value === 'mid' || value === 'high') numeric[name] = value;
        else if (isPlainObject(value) && typeof value.at === 'number') {
          // A point inside this family's own range; a value the family lacks (dramRemote on one socket) stays absent.
          const parameter = (familyModel.parameters as Record<string, MachineParameter | undefined>)[name];
          if (parameter !== undefined) numeric[name] = machineRangeFraction(parameter, value.at);
        }
        else if (unit === 'duration') numeric[name] = at.duration(value, path);
        else if (typeof value === 'number' || unit === undefined) numeric[name] = value;
        else throw at.error(path, `\`${name}\` is a plain number, not a duration`, { expected: 'a number, or one of low, mid, high', found: JSON.stringify(value) });
      }
      let model: MachineModel;
      try {
        model = withMachineParameters(familyModel, numeric);
      } catch (error) {
        if (error instanceof InputError) {
          const path = (error.detail.path ?? 'machineParameters').split('.');
          throw at.error(path, error.message, { expected: error.detail.expected, found: error.detail.found, hint: error.detail.hint }, path.length > 1 && error.message.startsWith('unknown') ? 'key' : 'value');
        }
        throw error;
      }
      let topology: Topology;
      try {
        topology = catalog.memo(`topology:${key}`, () => buildTopology(model, parsed.variant));
      } catch (error) {
        if (error instanceof InputError || error instanceof RangeError) throw at.relocate(error, ['machine']);
        throw error;
      }
      const resolved = { topology, model: models.addMachine(model) };
      machines.set(key, resolved);
      return resolved;
    },
  };
}

/** A machine written as a path (`./my-machine.yaml`, `../m/x.yaml`, `/abs/x.yaml`) rather than a family name. */
export function isMachinePath(family: string): boolean {
  return family.startsWith('./') || family.startsWith('../') || family.startsWith('/');
}

// ---------------------------------------------------------------- expectations

interface ExpectationContext {
  readonly kind: string;
  readonly schema: TSchema;
  readonly axes: readonly SweepAxis[];
  readonly points: readonly RunPoint[];
  readonly pointDocuments: readonly Record<string, unknown>[];
  readonly metrics: readonly string[];
  /** With overrides, an expectation about points the overrides removed is dropped rather than an error. */
  readonly dropUnmatched: boolean;
  readonly at: Locator;
}

const COMPARATORS = [
  ['below', '<'],
  ['atMost', '<='],
  ['above', '>'],
  ['atLeast', '>='],
  ['equals', '=='],
  ['between', 'between'],
] as const;

type Where = Readonly<Record<string, Scalar | readonly Scalar[]>>;

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(a) && scalar(b) && String(a) === String(b);
}

function checkMetric(metric: string, path: FieldPath, context: ExpectationContext): void {
  if (context.metrics.includes(metric)) return;
  throw context.at.error(path, `unknown metric \`${metric}\``, {
    expected: `a metric of ${context.kind} points, e.g. ${context.metrics.slice(0, 5).join(', ')}`,
    found: `\`${metric}\``,
    hint: (RENAMED_METRICS[metric] === undefined ? undefined : `Did you mean \`${RENAMED_METRICS[metric]}\`?`) ?? didYouMean(metric, context.metrics) ?? '`locksim metrics` lists them.',
  });
}

/** Parsed `where` keys (checked against the sweep and the schema). */
function readWhere(where: Where, path: FieldPath, context: ExpectationContext): { key: string; path: (string | number)[]; accepted: readonly Scalar[] }[] {
  const sweepKeys = context.axes.map((a) => a.key);
  const candidates = [...sweepKeys, ...namedFieldPaths(context.schema).filter((p) => !UNSWEEPABLE_FIELDS.includes(p.split('.')[0]))];
  return Object.entries(where).map(([key, value]) => {
    const fieldPath = parseFieldPath(key);
    if (fieldPath === undefined || schemaAt(context.schema, fieldPath) === undefined || UNSWEEPABLE_FIELDS.includes(String(fieldPath[0]))) {
      throw context.at.error([...path, key], `unknown coordinate \`${key}\` in where`, {
        expected: sweepKeys.length > 0 ? `a sweep key (${sweepKeys.map((k) => `\`${k}\``).join(', ')}) or a field path` : 'a field path of this file',
        found: `\`${key}\``,
        hint: didYouMean(key, candidates),
      }, 'key');
    }
    return { key, path: fieldPath, accepted: Array.isArray(value) ? (value as readonly Scalar[]) : [value as Scalar] };
  });
}

function matches(pointIndex: number, conditions: ReturnType<typeof readWhere>, context: ExpectationContext): boolean {
  const point = context.points[pointIndex];
  return conditions.every((condition) => {
    const actual = Object.hasOwn(point.coordinates, condition.key) ? point.coordinates[condition.key] : getPath(context.pointDocuments[pointIndex], condition.path);
    return condition.accepted.some((accepted) => sameValue(accepted, actual));
  });
}

function describeWhere(where: Where): string {
  const entries = Object.entries(where);
  if (entries.length === 0) return 'every point';
  return entries.map(([key, value]) => (Array.isArray(value) ? `${key} in [${value.join(', ')}]` : `${key}=${String(value)}`)).join(', ');
}

function availableCoordinates(context: ExpectationContext): string {
  if (context.axes.length === 0) return 'the single point of this scenario';
  return context.axes.map((axis) => `${axis.key} in [${axis.values.join(', ')}]`).join('; ');
}

function resolveExpectation(entry: ExpectationFile, index: number, context: ExpectationContext): Expectation | undefined {
  const path: FieldPath = ['expect', index];
  const at = context.at;
  checkMetric(entry.metric, [...path, 'metric'], context);
  const where: Where = entry.where ?? {};
  const conditions = readWhere(where, [...path, 'where'], context);
  const selected = context.points.map((p) => p.index).filter((i) => matches(i, conditions, context));
  if (selected.length === 0) {
    if (context.dropUnmatched) return undefined;
    throw at.error([...path, 'where'], 'where matches no point of the sweep', { expected: `coordinates among ${availableCoordinates(context)}`, found: describeWhere(where) });
  }

  const written = COMPARATORS.filter(([field]) => entry[field] !== undefined);
  if (written.length === 0) {
    throw at.error(path, 'the expectation has no comparator', { expected: 'one of below, atMost, above, atLeast, equals, between', found: 'none' });
  }
  if (written.length > 1) {
    throw at.error([...path, written[1][0]], `the expectation has two comparators (\`${written[0][0]}\` and \`${written[1][0]}\`)`, {
      expected: 'exactly one comparator per expectation',
      found: written.map(([field]) => field).join(', '),
      hint: 'Write a second expectation for the second bound, or use between.',
    }, 'key');
  }
  const [field, op] = written[0];
  const tolerance = entry.tolerance ?? 0;
  const over = entry.over ?? 'mean';
  let target: Expectation['target'];
  let targetPoints: number[] | undefined;
  let targetText: string;
  if (field === 'between') {
    const [low, high] = entry.between as [number, number];
    if (low > high) throw at.error([...path, 'between'], 'between needs [low, high] with low <= high', { expected: `a range [low, high]`, found: `[${low}, ${high}]` });
    target = [low, high];
    targetText = `[${low}, ${high}]`;
  } else {
    const written = entry[field] as number | MetricRefFile;
    if (typeof written === 'number') {
      target = written;
      targetText = String(written);
    } else {
      const refPath = [...path, field];
      const metric = written.metric ?? entry.metric;
      if (written.metric !== undefined) checkMetric(written.metric, [...refPath, 'metric'], context);
      const refWhere: Where = written.where ?? {};
      const refConditions = readWhere(refWhere, [...refPath, 'where'], context);
      const anywhere = context.points.map((p) => p.index).filter((i) => matches(i, refConditions, context));
      if (anywhere.length === 0) {
        if (context.dropUnmatched) return undefined;
        throw at.error([...refPath, 'where'], 'where matches no point of the sweep', { expected: `coordinates among ${availableCoordinates(context)}`, found: describeWhere(refWhere) });
      }
      const named = new Set(Object.keys(refWhere));
      targetPoints = selected.map((pointIndex) => {
        if (anywhere.length === 1) return anywhere[0];
        // The other point shares every sweep coordinate that the target's where does not name.
        const own = context.points[pointIndex].coordinates;
        const paired = anywhere.filter((candidate) => context.axes.every((axis) => named.has(axis.key) || sameValue(context.points[candidate].coordinates[axis.key], own[axis.key])));
        if (paired.length !== 1) {
          throw at.error([...refPath, 'where'], `the target where selects ${paired.length} points for ${describeCoordinates(own)}`, {
            expected: 'exactly one point to compare each checked point with',
            found: describeWhere(refWhere),
            hint: 'Name more coordinates in the target\'s where.',
          });
        }
        return paired[0];
      });
      const factor = written.factor ?? 1;
      target = { metric, where: Object.fromEntries(Object.entries(refWhere).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : v])) as Coordinates, factor };
      targetText = `${factor === 1 ? '' : `${factor} x `}${metric} @ ${describeWhere(refWhere)}`;
    }
  }
  const opText = op === 'between' ? 'in' : op;
  const toleranceText = tolerance > 0 ? ` ± ${tolerance}` : '';
  return {
    text: `${entry.metric} @ ${describeWhere(where)} ${opText} ${targetText}${toleranceText}${over === 'every-seed' ? ' (every seed)' : ''}`,
    metric: entry.metric,
    where: Object.fromEntries(Object.entries(where).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : v])) as Coordinates,
    op,
    target,
    tolerance,
    over,
    ...(entry.knownGap === undefined ? {} : { knownGap: entry.knownGap }),
    points: selected,
    ...(targetPoints === undefined ? {} : { targetPoints }),
    line: at.position(path)?.line,
  };
}

function describeCoordinates(coordinates: Coordinates): string {
  const entries = Object.entries(coordinates);
  return entries.length === 0 ? 'the point' : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
}
