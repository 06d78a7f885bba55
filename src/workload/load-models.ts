/**
 * Loads the kernel, node and runtime model files and resolves them into one
 * set of procedures. Names meet here: a runtime step `call: move_mount` finds
 * the kernel's syscall, `cpu: mount_alloc` finds the kernel's parameter.
 * Lookup order for calls: runtime procedures, node procedures, kernel
 * syscalls. For parameters: node, then kernel.
 *
 * Every problem is an InputError naming the file, line and field path.
 */
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { InputError } from '../input/errors.js';
import { errorAt, formatFieldPath, loadDocument, type FieldPath, type LoadedDocument } from '../input/load.js';
import { didYouMean } from '../input/did-you-mean.js';
import { checkModelName } from '../input/model-name.js';
import { isDuration, parseDurationNs } from '../input/units.js';
import type {
  CountExpression,
  CountVariable,
  HoldCost,
  KernelModel,
  LockDeclaration,
  LockKind,
  ModelParameter,
  NodeEnvironment,
  NodeModel,
  Procedure,
  RuntimeModel,
  RuntimePass,
  Step,
} from './recipe.js';

export interface LaunchModels {
  readonly kernel: KernelModel;
  readonly node: NodeModel;
  readonly runtime: RuntimeModel;
}

const COUNT_VARIABLES: readonly CountVariable[] = ['layers', 'receivers', 'hostMounts'];
const STEP_KINDS = ['walk', 'cpu', 'sleep', 'lock', 'rcu', 'repeat', 'call', 'mounts', 'window'] as const;
const STEP_FIELDS: Record<(typeof STEP_KINDS)[number], readonly string[]> = {
  walk: ['walk'],
  cpu: ['cpu'],
  sleep: ['sleep'],
  lock: ['lock', 'mode', 'hold', 'steps'],
  rcu: ['rcu'],
  repeat: ['repeat', 'batch', 'steps'],
  call: ['call', 'countsAsMountOp'],
  mounts: ['mounts'],
  window: ['window'],
};
const HOLD_FIELDS = ['base', 'perCpuSum', 'perReceiver', 'perReceiverCpuSum', 'perHostMount'];

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Reads fields of one document with located errors. */
class Reader {
  constructor(readonly doc: LoadedDocument) {}

  fail(path: FieldPath, message: string, expected?: string, found?: unknown, hint?: string): never {
    throw errorAt(this.doc, path, message, { expected, found: found === undefined ? undefined : describe(found), hint });
  }

  object(value: unknown, path: FieldPath, allowed: readonly string[] | null): Obj {
    if (!isObject(value)) this.fail(path, 'expected a mapping', 'a mapping of fields', value);
    if (allowed !== null) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
          this.fail([...path, key], `unknown field \`${key}\``, `one of ${allowed.map((a) => `\`${a}\``).join(', ')}`, key, didYouMean(key, allowed));
        }
      }
    }
    return value;
  }

  string(value: unknown, path: FieldPath, what = 'a string'): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, `expected ${what}`, what, value);
    return value;
  }

  optionalString(value: unknown, path: FieldPath, fallback = ''): string {
    return value === undefined ? fallback : this.string(value, path);
  }

  boolean(value: unknown, path: FieldPath, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(path, 'expected true or false', 'true or false', value);
    return value;
  }

  number(value: unknown, path: FieldPath, options: { min?: number; integer?: boolean } = {}): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'expected a number', 'a number', value);
    if (options.integer === true && !Number.isInteger(value)) this.fail(path, 'expected a whole number', 'a whole number', value);
    if (options.min !== undefined && value < options.min) this.fail(path, 'value too small', `a number >= ${options.min}`, value);
    return value;
  }

  duration(value: unknown, path: FieldPath): number {
    const at = this.doc.locate(path);
    return parseDurationNs(value, { file: this.doc.file, line: at?.line, column: at?.column, path: formatFieldPath(path) });
  }

  list(value: unknown, path: FieldPath): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'expected a list', 'a list', value);
    return value;
  }
}

/** A parameter block: `name: { value, range, calibrated | source }`, or a bare number. */
function readParameters(reader: Reader, block: unknown, path: FieldPath): Map<string, ModelParameter> {
  const parameters = new Map<string, ModelParameter>();
  if (block === undefined) return parameters;
  const entries = reader.object(block, path, null);
  for (const name of Object.keys(entries).sort()) parameters.set(name, readParameter(reader, name, entries[name], [...path, name]));
  return parameters;
}

function readParameter(reader: Reader, name: string, raw: unknown, path: FieldPath): ModelParameter {
  const entry = reader.object(raw, path, ['value', 'range', 'calibrated', 'source']);
  if (entry.value === undefined) reader.fail([...path, 'value'], 'missing required field `value`', 'a duration such as "2 us" or a number', undefined);
  const isDurationValue = typeof entry.value === 'string';
  const read = (value: unknown, at: FieldPath): number => (isDurationValue ? reader.duration(value, at) : reader.number(value, at, { min: 0 }));
  const value = read(entry.value, [...path, 'value']);
  let range: [number, number] = [value, value];
  if (entry.range !== undefined) {
    const bounds = reader.list(entry.range, [...path, 'range']);
    if (bounds.length !== 2) reader.fail([...path, 'range'], 'expected [low, high]', 'a list of two values', entry.range);
    range = [read(bounds[0], [...path, 'range', 0]), read(bounds[1], [...path, 'range', 1])];
    if (range[0] > range[1]) reader.fail([...path, 'range'], 'the range is reversed', 'low <= high', entry.range);
  }
  const hasCalibrated = entry.calibrated !== undefined;
  const hasSource = entry.source !== undefined;
  if (hasCalibrated === hasSource) {
    reader.fail(path, 'a parameter needs exactly one of `source:` (where the number comes from) or `calibrated:` (what it was fitted to)', '`source` or `calibrated`', hasCalibrated ? 'both' : 'neither');
  }
  const provenance = hasCalibrated ? `calibrated: ${reader.string(entry.calibrated, [...path, 'calibrated'])}` : `source: ${reader.string(entry.source, [...path, 'source'])}`;
  return { name, value, isDuration: isDurationValue, range, provenance, calibrated: hasCalibrated, file: reader.doc.file };
}

/** Shared context while resolving the steps of all three files. */
interface Resolver {
  readonly parameters: ReadonlyMap<string, ModelParameter>;
  readonly locks: ReadonlyMap<string, LockDeclaration>;
  /** Procedures by name in lookup order (runtime, node, kernel). */
  readonly procedures: Map<string, Procedure>;
}

function parseCount(reader: Reader, raw: unknown, path: FieldPath, resolver: Resolver): CountExpression {
  if (typeof raw === 'number') {
    reader.number(raw, path, { min: 0, integer: true });
    return { constant: raw, terms: [], text: String(raw) };
  }
  const text = reader.string(raw, path, 'a count such as 3, "layers", or "layers + 1"');
  let constant = 0;
  const terms: { variable: CountVariable; factor: number }[] = [];
  for (const part of text.split('+')) {
    const term = part.trim();
    const match = /^(?:(\d+(?:\.\d+)?)\s*\*\s*)?([A-Za-z_][A-Za-z0-9_]*)$|^(\d+(?:\.\d+)?)$/.exec(term);
    if (match === null) reader.fail(path, `cannot read the count "${text}"`, 'terms joined by +, each a number, a name, or number * name', text);
    if (match[3] !== undefined) {
      constant += Number(match[3]);
      continue;
    }
    const factor = match[1] === undefined ? 1 : Number(match[1]);
    const name = match[2];
    if ((COUNT_VARIABLES as readonly string[]).includes(name)) {
      terms.push({ variable: name as CountVariable, factor });
      continue;
    }
    const parameter = resolver.parameters.get(name);
    if (parameter === undefined || parameter.isDuration) {
      const known = [...COUNT_VARIABLES, ...[...resolver.parameters.values()].filter((p) => !p.isDuration).map((p) => p.name)];
      reader.fail(path, `unknown count name \`${name}\``, `one of ${known.map((k) => `\`${k}\``).join(', ')}`, name, didYouMean(name, known));
    }
    constant += factor * parameter.value;
  }
  return { constant, terms, text };
}

/** A duration: a parameter name or a literal such as "3 us". */
function parseDurationRef(reader: Reader, raw: unknown, path: FieldPath, resolver: Resolver): { ns: number; label: string } {
  const text = reader.string(raw, path, 'a parameter name or a duration such as "3 us"');
  const parameter = resolver.parameters.get(text);
  if (parameter !== undefined) {
    if (!parameter.isDuration) reader.fail(path, `parameter \`${text}\` is a count, not a duration`, 'a duration parameter', text);
    return { ns: parameter.value, label: text };
  }
  if (isDuration(text)) return { ns: reader.duration(text, path), label: text };
  const known = [...resolver.parameters.values()].filter((p) => p.isDuration).map((p) => p.name);
  return reader.fail(path, `unknown parameter \`${text}\``, 'a duration parameter name or a duration such as "3 us"', text, didYouMean(text, known));
}

function parseHold(reader: Reader, raw: unknown, path: FieldPath, resolver: Resolver): HoldCost {
  if (raw === undefined) return { baseNs: 0, perCpuSum: false, perReceiverNs: 0, perReceiverCpuSum: false, perHostMountNs: 0 };
  const hold = reader.object(raw, path, HOLD_FIELDS);
  const optionalNs = (key: string): number => (hold[key] === undefined ? 0 : parseDurationRef(reader, hold[key], [...path, key], resolver).ns);
  return {
    baseNs: optionalNs('base'),
    perCpuSum: reader.boolean(hold.perCpuSum, [...path, 'perCpuSum'], false),
    perReceiverNs: optionalNs('perReceiver'),
    perReceiverCpuSum: reader.boolean(hold.perReceiverCpuSum, [...path, 'perReceiverCpuSum'], false),
    perHostMountNs: optionalNs('perHostMount'),
  };
}

function parseSteps(reader: Reader, raw: unknown, path: FieldPath, resolver: Resolver): Step[] {
  return reader.list(raw, path).map((item, index) => parseStep(reader, item, [...path, index], resolver));
}

function parseStep(reader: Reader, raw: unknown, path: FieldPath, resolver: Resolver): Step {
  if (!isObject(raw)) reader.fail(path, 'expected a step', `a mapping with one of ${STEP_KINDS.join(', ')}`, raw);
  const kinds = STEP_KINDS.filter((k) => k in raw);
  if (kinds.length !== 1) {
    const keys = Object.keys(raw);
    const hint = kinds.length === 0 && keys.length > 0 ? didYouMean(keys[0], STEP_KINDS) : undefined;
    reader.fail(path, kinds.length === 0 ? 'unknown step kind' : `a step has one kind, found ${kinds.join(' and ')}`, `exactly one of ${STEP_KINDS.map((k) => `\`${k}\``).join(', ')}`, keys.join(', '), hint);
  }
  const kind = kinds[0];
  reader.object(raw, path, STEP_FIELDS[kind]);
  const at = (key: string): FieldPath => [...path, key];
  switch (kind) {
    case 'walk':
      return { kind, count: parseCount(reader, raw.walk, at('walk'), resolver) };
    case 'cpu':
    case 'sleep': {
      const { ns, label } = parseDurationRef(reader, raw[kind], at(kind), resolver);
      return { kind, ns, label };
    }
    case 'lock': {
      const name = reader.string(raw.lock, at('lock'), 'a lock name');
      const declaration = resolver.locks.get(name);
      if (declaration === undefined) {
        const known = [...resolver.locks.keys()];
        reader.fail(at('lock'), `unknown lock \`${name}\``, `one of ${known.map((k) => `\`${k}\``).join(', ')}`, name, didYouMean(name, known));
      }
      const mode = reader.string(raw.mode, at('mode'), 'write, read or exclusive');
      const modes: Record<LockKind, readonly string[]> = { seqlock: ['write', 'exclusive'], rwsem: ['write', 'read'] };
      if (!modes[declaration.kind].includes(mode)) reader.fail(at('mode'), `mode not available on a ${declaration.kind}`, modes[declaration.kind].join(' or '), mode);
      return {
        kind,
        lock: name,
        lockKind: declaration.kind,
        mode: mode as 'write' | 'read' | 'exclusive',
        hold: parseHold(reader, raw.hold, at('hold'), resolver),
        steps: raw.steps === undefined ? [] : parseSteps(reader, raw.steps, at('steps'), resolver),
      };
    }
    case 'rcu':
      if (raw.rcu !== 'expedited') reader.fail(at('rcu'), 'unknown grace-period kind', '`expedited` (synchronize_rcu_expedited)', raw.rcu);
      return { kind };
    case 'repeat':
      return {
        kind,
        count: parseCount(reader, raw.repeat, at('repeat'), resolver),
        batch: raw.batch === undefined ? Infinity : reader.number(raw.batch, at('batch'), { min: 1, integer: true }),
        steps: parseSteps(reader, raw.steps, at('steps'), resolver),
      };
    case 'call': {
      const name = reader.string(raw.call, at('call'), 'a syscall or procedure name');
      const procedure = resolver.procedures.get(name);
      if (procedure === undefined) {
        const known = [...resolver.procedures.keys()];
        reader.fail(at('call'), `unknown syscall or procedure \`${name}\``, 'a syscall of the kernel model or a procedure of the node or runtime model', name, didYouMean(name, known));
      }
      return { kind, name, procedure, countsAsMountOp: reader.boolean(raw.countsAsMountOp, at('countsAsMountOp'), false) };
    }
    case 'mounts':
      return { kind, delta: reader.number(raw.mounts, at('mounts'), { integer: true }) };
    case 'window':
      if (raw.window !== 'enter' && raw.window !== 'leave') reader.fail(at('window'), 'expected enter or leave', '`enter` or `leave`', raw.window);
      return { kind, enter: raw.window === 'enter' };
  }
}

/** Registers procedure shells first so calls can refer forward; steps are filled afterwards. */
function declareProcedures(reader: Reader, block: unknown, path: FieldPath, isSyscall: boolean, resolver: Resolver): [Procedure, unknown, FieldPath][] {
  if (block === undefined) return [];
  const entries = reader.object(block, path, null);
  const pending: [Procedure, unknown, FieldPath][] = [];
  for (const name of Object.keys(entries)) {
    const entryPath = [...path, name];
    let models = '';
    let rawSteps: unknown = entries[name];
    let stepsPath: FieldPath = entryPath;
    if (isSyscall) {
      const entry = reader.object(entries[name], entryPath, ['models', 'steps']);
      models = reader.string(entry.models, [...entryPath, 'models'], 'the kernel code this syscall models');
      rawSteps = entry.steps;
      stepsPath = [...entryPath, 'steps'];
    }
    const procedure: Procedure = { name, models, isSyscall, steps: [] };
    if (!resolver.procedures.has(name)) resolver.procedures.set(name, procedure);
    pending.push([procedure, rawSteps, stepsPath]);
  }
  return pending;
}

function checkNoCycles(procedures: Iterable<Procedure>, file: string): void {
  const state = new Map<Procedure, 'visiting' | 'done'>();
  const visit = (procedure: Procedure, trail: string[]): void => {
    if (state.get(procedure) === 'done') return;
    if (state.get(procedure) === 'visiting') {
      throw new InputError(`circular call: ${[...trail, procedure.name].join(' -> ')}`, { file, expected: 'procedures that do not call themselves' });
    }
    state.set(procedure, 'visiting');
    const walk = (steps: readonly Step[]): void => {
      for (const step of steps) {
        if (step.kind === 'call') visit(step.procedure, [...trail, procedure.name]);
        else if (step.kind === 'lock' || step.kind === 'repeat') walk(step.steps);
      }
    };
    walk(procedure.steps);
    state.set(procedure, 'done');
  };
  for (const procedure of procedures) visit(procedure, []);
}

function findModelFile(dir: string, name: string, kind: string): string {
  checkModelName(name, kind);
  for (const extension of ['.yaml', '.yml', '.json']) {
    const file = join(dir, `${name}${extension}`);
    if (existsSync(file)) return file;
  }
  const known = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => f.replace(/\.(ya?ml|json)$/, '')).sort() : [];
  throw new InputError(`unknown ${kind} \`${name}\``, {
    path: kind,
    expected: known.length > 0 ? `one of ${known.map((k) => `\`${k}\``).join(', ')}` : `a model file in ${dir}`,
    found: `\`${name}\``,
    hint: didYouMean(name, known) ?? `add ${join(dir, `${name}.yaml`)}`,
  });
}

export function listModelNames(modelsDir: string, kind: 'kernel' | 'nodes' | 'runtimes'): string[] {
  const dir = join(modelsDir, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
    .sort();
}

/** Loads `models/kernel/<kernel>`, `models/nodes/<node>` and `models/runtimes/<runtime>` and resolves them together. */
export function loadLaunchModels(
  modelsDir: string,
  names: { kernel: string; node: string; runtime: string },
  /** Parameter values that replace the files' (by name, ns or plain number), e.g. from a scenario's `parameters:`. */
  overrides: Readonly<Record<string, number>> = {},
): LaunchModels {
  const kernelDoc = loadDocument(findModelFile(join(modelsDir, 'kernel'), names.kernel, 'kernel'));
  const nodeDoc = loadDocument(findModelFile(join(modelsDir, 'nodes'), names.node, 'node'));
  const runtimeDoc = loadDocument(findModelFile(join(modelsDir, 'runtimes'), names.runtime, 'runtime'));
  const kr = new Reader(kernelDoc);
  const nr = new Reader(nodeDoc);
  const rr = new Reader(runtimeDoc);

  const kernelRoot = kr.object(kernelDoc.value, [], ['name', 'description', 'locks', 'parameters', 'syscalls']);
  const nodeRoot = nr.object(nodeDoc.value, [], ['name', 'description', 'parameters', 'procedures', 'environment']);
  const runtimeRoot = rr.object(runtimeDoc.value, [], ['name', 'description', 'source', 'procedures', 'passes']);

  const locks = new Map<string, LockDeclaration>();
  const lockBlock = kr.object(kernelRoot.locks, ['locks'], null);
  for (const name of Object.keys(lockBlock)) {
    const entry = kr.object(lockBlock[name], ['locks', name], ['kind', 'models']);
    const kind = kr.string(entry.kind, ['locks', name, 'kind'], 'seqlock or rwsem');
    if (kind !== 'seqlock' && kind !== 'rwsem') kr.fail(['locks', name, 'kind'], 'unknown lock kind', '`seqlock` or `rwsem`', kind);
    locks.set(name, { name, kind: kind as LockKind, models: kr.string(entry.models, ['locks', name, 'models'], 'the kernel code this lock models') });
  }

  const kernelParameters = readParameters(kr, kernelRoot.parameters, ['parameters']);
  const nodeParameters = readParameters(nr, nodeRoot.parameters, ['parameters']);
  for (const name of nodeParameters.keys()) {
    if (kernelParameters.has(name)) nr.fail(['parameters', name], `parameter \`${name}\` is already defined by the kernel model`, 'a name of its own', name);
  }
  const environmentParameters = readEnvironmentParameters(nr, nodeRoot.environment, ['environment']);
  applyOverrides(overrides, [kernelParameters, nodeParameters, environmentParameters]);
  const parameters = new Map([...kernelParameters, ...nodeParameters]);

  const resolver: Resolver = { parameters, locks, procedures: new Map() };
  // Declaration order fixes lookup priority: runtime, then node, then kernel.
  const runtimePending = declareProcedures(rr, runtimeRoot.procedures, ['procedures'], false, resolver);
  const nodePending = declareProcedures(nr, nodeRoot.procedures, ['procedures'], false, resolver);
  const kernelPending = declareProcedures(kr, kernelRoot.syscalls, ['syscalls'], true, resolver);
  for (const [reader, pending] of [[rr, runtimePending], [nr, nodePending], [kr, kernelPending]] as const) {
    for (const [procedure, rawSteps, path] of pending) procedure.steps = parseSteps(reader, rawSteps, path, resolver);
  }
  checkNoCycles(resolver.procedures.values(), runtimeDoc.file);

  const passes: RuntimePass[] = rr.list(runtimeRoot.passes, ['passes']).map((raw, index) => {
    const path = ['passes', index];
    const pass = rr.object(raw, path, ['name', 'request', 'steps']);
    return {
      name: rr.string(pass.name, [...path, 'name']),
      request: rr.string(pass.request, [...path, 'request'], 'the CRI request, e.g. CreateContainer'),
      steps: parseSteps(rr, pass.steps, [...path, 'steps'], resolver),
    };
  });
  if (passes.length === 0) rr.fail(['passes'], 'a runtime needs at least one pass', 'a list of passes', []);

  const kernel: KernelModel = {
    name: kr.string(kernelRoot.name, ['name']),
    description: kr.optionalString(kernelRoot.description, ['description']),
    file: kernelDoc.file,
    locks: [...locks.values()],
    parameters: kernelParameters,
    syscalls: new Map(kernelPending.map(([p]) => [p.name, p])),
  };
  const node: NodeModel = {
    name: nr.string(nodeRoot.name, ['name']),
    description: nr.optionalString(nodeRoot.description, ['description']),
    file: nodeDoc.file,
    parameters: nodeParameters,
    environmentParameters,
    environment: readEnvironment(nr, nodeRoot.environment, ['environment'], environmentParameters),
  };
  const runtime: RuntimeModel = {
    name: rr.string(runtimeRoot.name, ['name']),
    description: rr.optionalString(runtimeRoot.description, ['description']),
    source: rr.optionalString(runtimeRoot.source, ['source']),
    file: runtimeDoc.file,
    passes,
  };
  return { kernel, node, runtime };
}

const ENVIRONMENT_FIELDS = ['sandboxedServices', 'baselineHostMounts', 'pathWalksPerCpuPerSecond', 'systemd', 'kubelet', 'nodeHealthCheck', 'scheduler'];

/** The environment's sourced or calibrated numbers, by name: systemd's parse cost is `systemdParsePerLine`, the scheduler's `contextSwitch`. */
function readEnvironmentParameters(reader: Reader, raw: unknown, path: FieldPath): Map<string, ModelParameter> {
  const env = reader.object(raw, path, ENVIRONMENT_FIELDS);
  const systemd = reader.object(env.systemd, [...path, 'systemd'], null);
  const scheduler = reader.object(env.scheduler, [...path, 'scheduler'], null);
  const entries: [string, unknown, FieldPath][] = [
    ['sandboxedServices', env.sandboxedServices, [...path, 'sandboxedServices']],
    ['baselineHostMounts', env.baselineHostMounts, [...path, 'baselineHostMounts']],
    ['pathWalksPerCpuPerSecond', env.pathWalksPerCpuPerSecond, [...path, 'pathWalksPerCpuPerSecond']],
    ['systemdParsePerLine', systemd.parsePerLine, [...path, 'systemd', 'parsePerLine']],
    ['contextSwitch', scheduler.contextSwitch, [...path, 'scheduler', 'contextSwitch']],
  ];
  return new Map(entries.map(([name, value, at]) => [name, readParameter(reader, name, value, at)]));
}

function applyOverrides(overrides: Readonly<Record<string, number>>, maps: Map<string, ModelParameter>[]): void {
  for (const name of Object.keys(overrides).sort()) {
    const map = maps.find((m) => m.has(name));
    if (map === undefined) {
      const known = maps.flatMap((m) => [...m.keys()]).sort();
      throw new InputError(`unknown model parameter \`${name}\``, { path: `parameters.${name}`, expected: 'a parameter of the kernel or node model', found: `\`${name}\``, hint: didYouMean(name, known) });
    }
    const parameter = map.get(name)!;
    map.set(name, { ...parameter, value: overrides[name], provenance: `override (file: ${parameter.value}; ${parameter.provenance})` });
  }
}

function readEnvironment(reader: Reader, raw: unknown, path: FieldPath, parameters: ReadonlyMap<string, ModelParameter>): NodeEnvironment {
  const env = reader.object(raw, path, ENVIRONMENT_FIELDS);
  const value = (name: string): number => parameters.get(name)!.value;
  const systemdPath = [...path, 'systemd'];
  const systemd = reader.object(env.systemd, systemdPath, ['enabled', 'rateLimitBurst', 'rateLimitInterval', 'source', 'parsePerLine']);
  const kubeletPath = [...path, 'kubelet'];
  const kubelet = reader.object(env.kubelet, kubeletPath, ['enabled', 'mountinfoEvery', 'source']);
  const healthPath = [...path, 'nodeHealthCheck'];
  const health = reader.object(env.nodeHealthCheck, healthPath, ['enabled', 'every', 'source']);
  const schedulerPath = [...path, 'scheduler'];
  reader.object(env.scheduler, schedulerPath, ['contextSwitch']);
  return {
    sandboxedServices: value('sandboxedServices'),
    baselineHostMounts: value('baselineHostMounts'),
    pathWalksPerCpuPerSecond: value('pathWalksPerCpuPerSecond'),
    systemd: {
      enabled: reader.boolean(systemd.enabled, [...systemdPath, 'enabled'], true),
      rateLimitBurst: reader.number(systemd.rateLimitBurst, [...systemdPath, 'rateLimitBurst'], { min: 1, integer: true }),
      rateLimitIntervalNs: reader.duration(systemd.rateLimitInterval, [...systemdPath, 'rateLimitInterval']),
      parsePerLineNs: value('systemdParsePerLine'),
    },
    kubelet: {
      enabled: reader.boolean(kubelet.enabled, [...kubeletPath, 'enabled'], true),
      mountinfoEveryNs: reader.duration(kubelet.mountinfoEvery, [...kubeletPath, 'mountinfoEvery']),
    },
    nodeHealthCheck: {
      enabled: reader.boolean(health.enabled, [...healthPath, 'enabled'], true),
      everyNs: reader.duration(health.every, [...healthPath, 'every']),
    },
    contextSwitchNs: value('contextSwitch'),
  };
}

/** Every parameter of a model set, for reports and sensitivity sweeps. */
export function allParameters(models: LaunchModels): ModelParameter[] {
  return [...models.kernel.parameters.values(), ...models.node.parameters.values(), ...models.node.environmentParameters.values()];
}
