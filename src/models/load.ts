/**
 * Kernel, node and runtime model files -> one resolved, serializable
 * LaunchModels. The schemas (schema.ts) check each file's shape; what is
 * left here is what crosses files: a runtime step `call: move_mount` finds
 * the kernel's syscall, `cpu: mount_alloc` finds the kernel's parameter, a
 * `lock:` names a declared lock in a mode its kind has, a count names a count
 * parameter, and no procedure calls itself. Lookup order for calls: runtime
 * procedures, node procedures, kernel syscalls; for parameters: kernel, then
 * node.
 *
 * Overrides (a scenario's `parameters:`) replace values before any step is
 * resolved, so every duration in the result already carries them.
 * Every problem is an InputError naming the file, line and field path.
 */
import { InputError } from '../input/errors.js';
import { errorAt, formatFieldPath, loadDocument, type FieldPath, type LoadedDocument } from '../input/load.js';
import { didYouMean } from '../input/did-you-mean.js';
import { validateField } from '../input/fields.js';
import { isDuration, parseDurationNs } from '../input/units.js';
import type { ModelCatalog } from '../input/catalog.js';
import { KernelFileSchema, NodeFileSchema, RuntimeFileSchema, type KernelFile, type NodeFile, type ParameterFile, type RuntimeFile, type StepFile } from './schema.js';
import {
  COUNT_VARIABLES,
  type CountExpression,
  type CountVariable,
  type HoldCost,
  type KernelModel,
  type LaunchModels,
  type LockDeclaration,
  type LockKind,
  type ModelParameter,
  type NodeEnvironment,
  type NodeModel,
  type Procedure,
  type RuntimeModel,
  type RuntimePass,
  type Step,
  type BusyPolicy,
} from './types.js';

export interface LaunchModelNames {
  readonly kernel: string;
  readonly node: string;
  readonly runtime: string;
}

/** A model file read and checked against its schema, with where each field is. */
interface Checked<T> {
  readonly doc: LoadedDocument;
  readonly value: T;
}

function fail(doc: LoadedDocument, path: FieldPath, message: string, expected?: string, found?: string, hint?: string): never {
  throw errorAt(doc, path, message, { expected, found, hint });
}

function checkName(doc: LoadedDocument, name: string, expected: string): void {
  if (name !== expected) fail(doc, ['name'], 'the name does not match the file name', `"${expected}" (model files are named after their model)`, `"${name}"`);
}

function readKernelFile(catalog: ModelCatalog, name: string) {
  return catalog.memo(`kernel:${name}`, () => {
    const doc = loadDocument(catalog.file('kernel', name, 'kernel'));
    const value = validateField<KernelFile>(KernelFileSchema, doc.value, doc);
    checkName(doc, value.name, name);
    return { doc, value };
  });
}

function readNodeFile(catalog: ModelCatalog, name: string) {
  return catalog.memo(`node:${name}`, () => {
    const doc = loadDocument(catalog.file('nodes', name, 'node'));
    const value = validateField<NodeFile>(NodeFileSchema, doc.value, doc);
    checkName(doc, value.name, name);
    return { doc, value };
  });
}

function readRuntimeFile(catalog: ModelCatalog, name: string) {
  return catalog.memo(`runtime:${name}`, () => {
    const doc = loadDocument(catalog.file('runtimes', name, 'runtime'));
    const value = validateField<RuntimeFile>(RuntimeFileSchema, doc.value, doc);
    checkName(doc, value.name, name);
    return { doc, value };
  });
}

// ---------------------------------------------------------------- parameters

function readParameter(doc: LoadedDocument, name: string, entry: ParameterFile, path: FieldPath): ModelParameter {
  const isDurationValue = typeof entry.value === 'string';
  const read = (value: string | number, at: FieldPath): number => {
    if (isDurationValue) {
      const position = doc.locate(at);
      return parseDurationNs(value, { file: doc.file, line: position?.line, column: position?.column, path: formatFieldPath(at) });
    }
    if (typeof value !== 'number') fail(doc, at, 'expected a number like the value', 'a number', JSON.stringify(value));
    return value;
  };
  const value = read(entry.value, [...path, 'value']);
  let range: [number, number] = [value, value];
  if (entry.range !== undefined) {
    range = [read(entry.range[0], [...path, 'range', 0]), read(entry.range[1], [...path, 'range', 1])];
    if (range[0] > range[1]) fail(doc, [...path, 'range'], 'the range is reversed', 'low <= high', JSON.stringify(entry.range));
  }
  const calibrated = 'calibrated' in entry;
  const provenance = calibrated ? `calibrated: ${entry.calibrated}` : `source: ${entry.source}`;
  return { name, value, isDuration: isDurationValue, range, provenance, calibrated, file: doc.file };
}

function readParameters(doc: LoadedDocument, block: Readonly<Record<string, ParameterFile>> | undefined, path: FieldPath): Map<string, ModelParameter> {
  const parameters = new Map<string, ModelParameter>();
  for (const name of Object.keys(block ?? {}).sort()) parameters.set(name, readParameter(doc, name, block![name], [...path, name]));
  return parameters;
}

/** The environment block's parameters by name, with where each is written in a node file. */
export const ENVIRONMENT_PARAMETERS: readonly (readonly [string, readonly string[]])[] = [
  ['sandboxedServices', ['sandboxedServices']],
  ['baselineHostMounts', ['baselineHostMounts']],
  ['pathWalksPerCpuPerSecond', ['pathWalksPerCpuPerSecond']],
  ['systemdParsePerLine', ['systemd', 'parsePerLine']],
  ['contextSwitch', ['scheduler', 'contextSwitch']],
];

/** The environment's sourced or calibrated numbers, by name: systemd's parse cost is `systemdParsePerLine`, the scheduler's `contextSwitch`. */
function readEnvironmentParameters(doc: LoadedDocument, env: NodeFile['environment']): Map<string, ModelParameter> {
  const parameters = new Map<string, ModelParameter>();
  for (const [name, path] of ENVIRONMENT_PARAMETERS) {
    let entry: unknown = env;
    for (const key of path) entry = (entry as Record<string, unknown>)[key];
    parameters.set(name, readParameter(doc, name, entry as ParameterFile, ['environment', ...path]));
  }
  return parameters;
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

// ---------------------------------------------------------------- steps

/** Shared context while resolving the steps of all three files. */
interface Resolver {
  readonly parameters: ReadonlyMap<string, ModelParameter>;
  readonly locks: ReadonlyMap<string, LockDeclaration>;
  /** Procedure keys by the name a `call:` uses, in lookup order (runtime, node, kernel). */
  readonly callable: Map<string, string>;
}

function parseCount(doc: LoadedDocument, raw: number | string, path: FieldPath, resolver: Resolver): CountExpression {
  if (typeof raw === 'number') return { constant: raw, terms: [], text: String(raw) };
  let constant = 0;
  const terms: { variable: CountVariable; factor: number }[] = [];
  for (const part of raw.split('+')) {
    const term = part.trim();
    const match = /^(?:(\d+(?:\.\d+)?)\s*\*\s*)?([A-Za-z_][A-Za-z0-9_]*)$|^(\d+(?:\.\d+)?)$/.exec(term);
    if (match === null) fail(doc, path, `cannot read the count "${raw}"`, 'terms joined by +, each a number, a name, or number * name', JSON.stringify(raw));
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
      fail(doc, path, `unknown count name \`${name}\``, `one of ${known.map((k) => `\`${k}\``).join(', ')}`, `\`${name}\``, didYouMean(name, known));
    }
    constant += factor * parameter.value;
  }
  return { constant, terms, text: raw };
}

/** A duration: a parameter name or a literal such as "3 us". */
function parseDurationRef(doc: LoadedDocument, text: string, path: FieldPath, resolver: Resolver): { ns: number; label: string } {
  const parameter = resolver.parameters.get(text);
  if (parameter !== undefined) {
    if (!parameter.isDuration) fail(doc, path, `parameter \`${text}\` is a count, not a duration`, 'a duration parameter', `\`${text}\``);
    return { ns: parameter.value, label: text };
  }
  if (isDuration(text)) {
    const position = doc.locate(path);
    return { ns: parseDurationNs(text, { file: doc.file, line: position?.line, column: position?.column, path: formatFieldPath(path) }), label: text };
  }
  const known = [...resolver.parameters.values()].filter((p) => p.isDuration).map((p) => p.name);
  return fail(doc, path, `unknown parameter \`${text}\``, 'a duration parameter name or a duration such as "3 us"', `\`${text}\``, didYouMean(text, known));
}

function parseHold(doc: LoadedDocument, hold: Extract<StepFile, { lock: string }>['hold'], path: FieldPath, resolver: Resolver): HoldCost {
  const optionalNs = (key: 'base' | 'perReceiver' | 'perHostMount'): number => (hold?.[key] === undefined ? 0 : parseDurationRef(doc, hold[key], [...path, key], resolver).ns);
  return {
    baseNs: optionalNs('base'),
    perCpuSum: hold?.perCpuSum ?? false,
    perReceiverNs: optionalNs('perReceiver'),
    perReceiverCpuSum: hold?.perReceiverCpuSum ?? false,
    perHostMountNs: optionalNs('perHostMount'),
  };
}

const LOCK_MODES: Readonly<Record<LockKind, readonly string[]>> = { seqlock: ['write', 'exclusive'], rwsem: ['write', 'read'] };

function parseSteps(doc: LoadedDocument, raw: readonly StepFile[], path: FieldPath, resolver: Resolver): Step[] {
  return raw.map((item, index) => parseStep(doc, item, [...path, index], resolver));
}

function parseStep(doc: LoadedDocument, raw: StepFile, path: FieldPath, resolver: Resolver): Step {
  const at = (key: string): FieldPath => [...path, key];
  if ('walk' in raw) return { kind: 'walk', count: parseCount(doc, raw.walk, at('walk'), resolver) };
  if ('cpu' in raw) return { kind: 'cpu', ...parseDurationRef(doc, raw.cpu, at('cpu'), resolver) };
  if ('sleep' in raw) return { kind: 'sleep', ...parseDurationRef(doc, raw.sleep, at('sleep'), resolver) };
  if ('lock' in raw) {
    const declaration = resolver.locks.get(raw.lock);
    if (declaration === undefined) {
      const known = [...resolver.locks.keys()];
      fail(doc, at('lock'), `unknown lock \`${raw.lock}\``, `one of ${known.map((k) => `\`${k}\``).join(', ')}`, `\`${raw.lock}\``, didYouMean(raw.lock, known));
    }
    if (!LOCK_MODES[declaration.kind].includes(raw.mode)) fail(doc, at('mode'), `mode not available on a ${declaration.kind}`, LOCK_MODES[declaration.kind].join(' or '), raw.mode);
    return {
      kind: 'lock',
      lock: raw.lock,
      lockKind: declaration.kind,
      mode: raw.mode,
      hold: parseHold(doc, raw.hold, at('hold'), resolver),
      steps: parseSteps(doc, raw.steps ?? [], at('steps'), resolver),
    };
  }
  if ('rcu' in raw) return { kind: 'rcu' };
  if ('repeat' in raw) return { kind: 'repeat', count: parseCount(doc, raw.repeat, at('repeat'), resolver), steps: parseSteps(doc, raw.steps, at('steps'), resolver) };
  if ('call' in raw) {
    const procedure = resolver.callable.get(raw.call);
    if (procedure === undefined) {
      const known = [...resolver.callable.keys()];
      fail(doc, at('call'), `unknown syscall or procedure \`${raw.call}\``, 'a syscall of the kernel model or a procedure of the node or runtime model', `\`${raw.call}\``, didYouMean(raw.call, known));
    }
    let onBusy: BusyPolicy = null;
    if (raw.onBusy !== undefined && raw.onBusy !== 'leave') {
      const retries = parseCount(doc, raw.onBusy.retries, [...at('onBusy'), 'retries'], resolver);
      if (retries.terms.length > 0) fail(doc, [...at('onBusy'), 'retries'], 'a retry count cannot depend on the launch', 'a number or a count parameter', JSON.stringify(raw.onBusy.retries));
      onBusy = {
        retries: retries.constant,
        waitNs: parseDurationRef(doc, raw.onBusy.wait, [...at('onBusy'), 'wait'], resolver).ns,
      };
    }
    return { kind: 'call', name: raw.call, procedure, countsAsMountOp: raw.countsAsMountOp ?? false, onBusy };
  }
  if ('mounts' in raw) return { kind: 'mounts', delta: raw.mounts };
  if ('busy' in raw) return { kind: 'busy', check: raw.busy === 'return' };
  if ('fork' in raw) return { kind: 'fork', ...parseDurationRef(doc, raw.fork, at('fork'), resolver) };
  if ('fd' in raw) return { kind: 'fd', open: raw.fd === 'open' };
  return { kind: 'window', enter: raw.window === 'enter' };
}

function checkNoCycles(procedures: Readonly<Record<string, Procedure>>, file: string): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, trail: string[]): void => {
    if (state.get(key) === 'done') return;
    const procedure = procedures[key];
    if (state.get(key) === 'visiting') {
      throw new InputError(`circular call: ${[...trail, procedure.name].join(' -> ')}`, { file, expected: 'procedures that do not call themselves' });
    }
    state.set(key, 'visiting');
    const walk = (steps: readonly Step[]): void => {
      for (const step of steps) {
        if (step.kind === 'call') visit(step.procedure, [...trail, procedure.name]);
        else if (step.kind === 'lock' || step.kind === 'repeat') walk(step.steps);
      }
    };
    walk(procedure.steps);
    state.set(key, 'done');
  };
  for (const key of Object.keys(procedures)) visit(key, []);
}

function lockRole(doc: LoadedDocument, locks: ReadonlyMap<string, LockDeclaration>, name: string, kind: LockKind, path: FieldPath): string {
  const declaration = locks.get(name);
  const known = [...locks.values()].filter((l) => l.kind === kind).map((l) => l.name);
  if (declaration === undefined || declaration.kind !== kind) {
    fail(doc, path, declaration === undefined ? `unknown lock \`${name}\`` : `\`${name}\` is a ${declaration.kind}, not a ${kind}`, `a ${kind} declared under locks: ${known.map((k) => `\`${k}\``).join(', ') || 'none'}`, `\`${name}\``, didYouMean(name, known));
  }
  return name;
}

// ---------------------------------------------------------------- the model set

/** The kernel model's lock names (for per-lock metric names), without resolving any recipe. */
export function kernelLockNames(catalog: ModelCatalog, kernel: string): string[] {
  return Object.keys(readKernelFile(catalog, kernel).value.locks);
}

/** Every parameter the kernel and node files define, before overrides (for `--set parameters.X` checks and sensitivity). */
export function modelParameters(catalog: ModelCatalog, names: Pick<LaunchModelNames, 'kernel' | 'node'>): Map<string, ModelParameter> {
  const kernel = readKernelFile(catalog, names.kernel);
  const node = readNodeFile(catalog, names.node);
  return new Map([
    ...readParameters(kernel.doc, kernel.value.parameters, ['parameters']),
    ...readParameters(node.doc, node.value.parameters, ['parameters']),
    ...readEnvironmentParameters(node.doc, node.value.environment),
  ]);
}

/** Loads the kernel, node and runtime models named and resolves them together. */
export function loadLaunchModels(
  catalog: ModelCatalog,
  names: LaunchModelNames,
  /** Parameter values that replace the files' (by name, ns or plain number), e.g. from a scenario's `parameters:`. */
  overrides: Readonly<Record<string, number>> = {},
): LaunchModels {
  const key = JSON.stringify([names.kernel, names.node, names.runtime, Object.entries(overrides).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  return catalog.memo(`launch:${key}`, () => resolveLaunchModels(readKernelFile(catalog, names.kernel), readNodeFile(catalog, names.node), readRuntimeFile(catalog, names.runtime), overrides));
}

function resolveLaunchModels(
  kernelFile: Checked<ReturnType<typeof readKernelFile>['value']>,
  nodeFile: Checked<ReturnType<typeof readNodeFile>['value']>,
  runtimeFile: Checked<ReturnType<typeof readRuntimeFile>['value']>,
  overrides: Readonly<Record<string, number>>,
): LaunchModels {
  const k = kernelFile.value;
  const n = nodeFile.value;
  const r = runtimeFile.value;
  const locks = new Map<string, LockDeclaration>(Object.entries(k.locks).map(([name, entry]) => [name, { name, kind: entry.kind, models: entry.models }]));
  const walkSeqlock = lockRole(kernelFile.doc, locks, k.walks.seqlock, 'seqlock', ['walks', 'seqlock']);
  const mountinfo = {
    rwsem: lockRole(kernelFile.doc, locks, k.mountinfo.rwsem, 'rwsem', ['mountinfo', 'rwsem']),
    seqlock: lockRole(kernelFile.doc, locks, k.mountinfo.seqlock, 'seqlock', ['mountinfo', 'seqlock']),
  };

  const kernelParameters = readParameters(kernelFile.doc, k.parameters, ['parameters']);
  const nodeParameters = readParameters(nodeFile.doc, n.parameters, ['parameters']);
  for (const name of nodeParameters.keys()) {
    if (kernelParameters.has(name)) fail(nodeFile.doc, ['parameters', name], `parameter \`${name}\` is already defined by the kernel model`, 'a name of its own', `\`${name}\``);
  }
  const environmentParameters = readEnvironmentParameters(nodeFile.doc, n.environment);
  applyOverrides(overrides, [kernelParameters, nodeParameters, environmentParameters]);
  const parameters = new Map([...kernelParameters, ...nodeParameters]);

  // Declaration order fixes lookup priority: runtime, then node, then kernel.
  const callable = new Map<string, string>();
  const declare = (prefix: string, names: readonly string[]): void => {
    for (const name of names) if (!callable.has(name)) callable.set(name, `${prefix}/${name}`);
  };
  declare('runtime', Object.keys(r.procedures ?? {}));
  declare('node', Object.keys(n.procedures ?? {}));
  declare('kernel', Object.keys(k.syscalls));
  const resolver: Resolver = { parameters, locks, callable };

  const procedures: Record<string, Procedure> = {};
  for (const [name, steps] of Object.entries(r.procedures ?? {})) procedures[`runtime/${name}`] = { name, models: '', isSyscall: false, steps: parseSteps(runtimeFile.doc, steps, ['procedures', name], resolver) };
  for (const [name, steps] of Object.entries(n.procedures ?? {})) procedures[`node/${name}`] = { name, models: '', isSyscall: false, steps: parseSteps(nodeFile.doc, steps, ['procedures', name], resolver) };
  for (const [name, syscall] of Object.entries(k.syscalls)) {
    procedures[`kernel/${name}`] = { name, models: syscall.models, isSyscall: true, steps: parseSteps(kernelFile.doc, syscall.steps, ['syscalls', name, 'steps'], resolver) };
  }
  checkNoCycles(procedures, runtimeFile.doc.file);

  const passes: RuntimePass[] = r.passes.map((pass, index) => ({
    name: pass.name,
    request: pass.request,
    beforeNs: pass.before === undefined ? 0 : parseDurationRef(runtimeFile.doc, pass.before, ['passes', index, 'before'], resolver).ns,
    steps: parseSteps(runtimeFile.doc, pass.steps, ['passes', index, 'steps'], resolver),
  }));

  const kernel: KernelModel = {
    name: k.name,
    description: k.description ?? '',
    file: kernelFile.doc.file,
    locks: [...locks.values()],
    walkSeqlock,
    mountinfo,
    parameters: Object.fromEntries(kernelParameters),
    syscalls: Object.keys(k.syscalls),
  };
  const node: NodeModel = {
    name: n.name,
    description: n.description ?? '',
    file: nodeFile.doc.file,
    parameters: Object.fromEntries(nodeParameters),
    environmentParameters: Object.fromEntries(environmentParameters),
    environment: readEnvironment(nodeFile.doc, n.environment, environmentParameters),
  };
  const runtime: RuntimeModel = { name: r.name, description: r.description ?? '', source: r.source ?? '', file: runtimeFile.doc.file, passes };
  return { kernel, node, runtime, procedures };
}

function readEnvironment(doc: LoadedDocument, env: NodeFile['environment'], parameters: ReadonlyMap<string, ModelParameter>): NodeEnvironment {
  const value = (name: string): number => parameters.get(name)!.value;
  const duration = (text: string, path: FieldPath): number => {
    const position = doc.locate(path);
    return parseDurationNs(text, { file: doc.file, line: position?.line, column: position?.column, path: formatFieldPath(path) });
  };
  return {
    sandboxedServices: value('sandboxedServices'),
    baselineHostMounts: value('baselineHostMounts'),
    pathWalksPerCpuPerSecond: value('pathWalksPerCpuPerSecond'),
    systemd: {
      enabled: env.systemd.enabled ?? true,
      rateLimitBurst: env.systemd.rateLimitBurst,
      rateLimitIntervalNs: duration(env.systemd.rateLimitInterval, ['environment', 'systemd', 'rateLimitInterval']),
      parsePerLineNs: value('systemdParsePerLine'),
      mountEventPriority: env.systemd.mountEventPriority,
      dbusPriority: env.systemd.dbusPriority,
      readBytes: env.systemd.readBytes,
    },
    kubelet: {
      enabled: env.kubelet.enabled ?? true,
      mountinfoEveryNs: duration(env.kubelet.mountinfoEvery, ['environment', 'kubelet', 'mountinfoEvery']),
      readBytes: env.kubelet.readBytes,
      criRetryBackoffNs: duration(env.kubelet.cri.retryBackoff, ['environment', 'kubelet', 'cri', 'retryBackoff']),
      criRetryJitter: env.kubelet.cri.retryJitter,
      plegRelistEveryNs: duration(env.kubelet.pleg.relistEvery, ['environment', 'kubelet', 'pleg', 'relistEvery']),
      plegUnhealthyAfterNs: duration(env.kubelet.pleg.unhealthyAfter, ['environment', 'kubelet', 'pleg', 'unhealthyAfter']),
      runtimeStatusEveryNs: duration(env.kubelet.runtimeStatus.every, ['environment', 'kubelet', 'runtimeStatus', 'every']),
      runtimeDownAfterNs: duration(env.kubelet.runtimeStatus.downAfter, ['environment', 'kubelet', 'runtimeStatus', 'downAfter']),
    },
    nodeHealthCheck: {
      enabled: env.nodeHealthCheck.enabled ?? true,
      everyNs: duration(env.nodeHealthCheck.every, ['environment', 'nodeHealthCheck', 'every']),
    },
    contextSwitchNs: value('contextSwitch'),
  };
}
