/**
 * Loading machine model files and resolving a machine spec ("m7i.metal-24xl",
 * "r5.metal+one-socket", `{ family, variant }`) to a frozen Topology.
 *
 * The loader turns every written quantity into ns, resolves data paths
 * against the repository root, and checks what a schema cannot: counts that
 * divide, latency classes the topology needs, explicit layouts that are
 * consistent, cost tables of the right size. Each problem is one InputError
 * naming file, line and field.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { InputError, type InputErrorDetail } from '../input/errors.js';
import { DEFAULT_MODELS_ROOT, ModelCatalog, REPO_ROOT, findRepoRoot } from '../input/catalog.js';
import { didYouMean } from '../input/did-you-mean.js';
import { errorAt, loadDocument, type FieldPath, type LoadedDocument } from '../input/load.js';
import { validate } from '../input/schema.js';
import { parseDurationNs } from '../input/units.js';
import { buildTopology } from './build.js';
import { importC2cMatrix } from './c2c.js';
import { layoutCpus, parseLayoutLists } from './layout.js';
import {
  MachineFamilySchema,
  MachineVariantFileSchema,
  MACHINE_PARAMETERS,
  MACHINE_PARAMETER_NAMES,
  type AdditiveCost,
  type Basis,
  type MachineFamilyFile,
  MACHINE_LIMITS,
  type MachineModel,
  type MachineParameter,
  type MachineParameterName,
  type MachineParameters,
  type Sourced,
  type VariantSpec,
} from './schema.js';
import type { Topology } from './topology.js';

export type MachineSpec = string | { family: string; variant?: VariantSpec };

/**
 * Loads one model file (a family, or a variant of a family in the same
 * directory). `fieldOverrides` (a scenario's `machineOverrides`) replace
 * fields of the family's file before it is checked, as if written there: a
 * nested mapping merged field by field, lists replaced whole; on a variant
 * they apply to the family it is a variant of.
 */
export function loadMachineModel(file: string, fieldOverrides?: Readonly<Record<string, unknown>>): MachineModel {
  return loadUncached(file, [], fieldOverrides !== undefined && Object.keys(fieldOverrides).length > 0 ? fieldOverrides : undefined);
}

/** `base` with `overrides` merged in: mappings field by field, anything else replaced. */
function mergeFields(base: unknown, overrides: unknown): unknown {
  if (!isMapping(base) || !isMapping(overrides)) return structuredClone(overrides);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) merged[key] = Object.hasOwn(base, key) ? mergeFields(base[key], value) : structuredClone(value);
  return merged;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Top-level fields of a machine file that describe the hardware (a change to one derives another machine). */
const HARDWARE_FIELDS = ['topology', 'latency', 'coherence', 'memory'];

/**
 * Warnings for a machine derived from another (by `derivedFrom`, or by a
 * scenario's overrides of its hardware) that keeps the parent's CPU model
 * or price: planning numbers that silently belong to another machine.
 */
function derivedWarnings(what: string, kept: { cpuModel?: string; price?: number }, fix: (field: string) => string): string[] {
  const warnings: string[] = [];
  if (kept.cpuModel !== undefined) warnings.push(`${what} keeps its CPU model "${kept.cpuModel}": ${fix('cpuModel')} if the hardware differs`);
  if (kept.price !== undefined) warnings.push(`${what} keeps its price ($${kept.price}/h): ${fix('price')} if the hardware differs`);
  return warnings;
}

function loadUncached(file: string, chain: readonly string[], fieldOverrides?: Readonly<Record<string, unknown>>): MachineModel {
  const loaded = loadDocument(file);
  const isVariantFile = isMapping(loaded.value) && 'variantOf' in loaded.value;
  const document: LoadedDocument = fieldOverrides === undefined || isVariantFile ? loaded : { ...loaded, file: loaded.file, value: mergeFields(loaded.value, fieldOverrides), locate: (path, target) => loaded.locate(path, target) };
  const value = document.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('a machine model file must be a mapping of fields', { file, line: 1, expected: 'fields such as `name`, `topology`, `latency`', found: Array.isArray(value) ? 'a list' : String(value) });
  }
  const isVariant = 'variantOf' in value;
  const fail = (path: FieldPath, message: string, detail: InputErrorDetail = {}): never => {
    throw errorAt(document, path, message, detail);
  };
  const checkName = (name: string): void => {
    const stem = basename(file, extname(file));
    if (stem !== name) fail(['name'], `the name does not match the file name`, { expected: `"${stem}" (files are named after their family)`, found: `"${name}"` });
  };
  if (isVariant) {
    const variantFile = validate(MachineVariantFileSchema, value, document);
    checkName(variantFile.name);
    const dir = dirname(resolve(file));
    const siblings = new ModelCatalog(dirname(dir), { machines: dir });
    const baseFile = siblings.find('machines', variantFile.variantOf);
    if (baseFile === undefined) {
      const known = siblings.names('machines');
      fail(['variantOf'], `unknown machine family \`${variantFile.variantOf}\``, {
        expected: `a family defined in ${dir}`,
        found: `"${variantFile.variantOf}"`,
        hint: didYouMean(variantFile.variantOf, known) ?? `Known families: ${known.join(', ')}.`,
      });
    }
    if (chain.includes(resolve(baseFile as string))) fail(['variantOf'], 'variants form a cycle', { found: chain.join(' -> ') });
    const base = loadUncached(baseFile as string, [...chain, resolve(file)], fieldOverrides);
    const model: MachineModel = {
      ...base,
      name: variantFile.name,
      description: variantFile.description,
      file,
      priceUsdPerHour: variantFile.price?.usdPerHour ?? base.priceUsdPerHour,
      priceDate: variantFile.price?.date ?? base.priceDate,
      priceSource: variantFile.price?.source ?? base.priceSource,
      variantOf: base.variantOf ?? base.name,
      variant: { ...base.variant, ...variantFile.variant },
    };
    // Check the variant now, so its errors point at this file.
    try {
      buildTopology(model);
    } catch (error) {
      if (error instanceof InputError) {
        const field = (error.detail.path ?? 'variant').split('.');
        throw errorAt(document, field, error.message, { expected: error.detail.expected, found: error.detail.found });
      }
      throw error;
    }
    return Object.freeze(model);
  }
  const family = validate(MachineFamilySchema, value, document);
  checkName(family.name);
  const model = resolveFamily(family, document, fail);
  const warnings: string[] = [];
  if (family.derivedFrom !== undefined) {
    const dir = dirname(resolve(file));
    const parentFile = new ModelCatalog(DEFAULT_MODELS_ROOT, { machines: dir }).find('machines', family.derivedFrom);
    if (parentFile === undefined || chain.includes(resolve(parentFile))) {
      fail(['derivedFrom'], `unknown machine family \`${family.derivedFrom}\``, { expected: `a family in ${dir}, on LOCKSIM_MODELS_PATH or in locksim's models/`, found: `"${family.derivedFrom}"` });
    }
    const parent = loadUncached(parentFile as string, [...chain, resolve(file)]);
    warnings.push(
      ...derivedWarnings(`${file}: ${family.name} (derived from ${parent.name})`, { cpuModel: parent.cpuModel === model.cpuModel ? model.cpuModel : undefined, price: parent.priceUsdPerHour === model.priceUsdPerHour ? model.priceUsdPerHour : undefined }, (field) => `give it its own ${field}`),
    );
  }
  if (fieldOverrides !== undefined && HARDWARE_FIELDS.some((field) => Object.hasOwn(fieldOverrides, field))) {
    warnings.push(
      ...derivedWarnings(`${family.name} with machineOverrides of its hardware`, { cpuModel: fieldOverrides.cpuModel === undefined ? model.cpuModel : undefined, price: fieldOverrides.price === undefined ? model.priceUsdPerHour : undefined }, (field) => `set machineOverrides.${field}`),
    );
  }
  return Object.freeze(warnings.length === 0 ? model : { ...model, warnings });
}

function resolveFamily(family: MachineFamilyFile, document: LoadedDocument, fail: (path: FieldPath, message: string, detail?: InputErrorDetail) => never): MachineModel {
  const file = document.file;
  const root = findRepoRoot(dirname(resolve(file))) ?? process.cwd();
  const duration = (path: FieldPath, text: string): number => {
    const position = document.locate(path);
    return parseDurationNs(text, { file, line: position?.line, column: position?.column, path: path.join('.').replace(/\.(\d+)/g, '[$1]') });
  };
  const sourced = (path: FieldPath, entry: { value: string; basis: Sourced['basis']; source: string }): Sourced => ({
    value: duration([...path, 'value'], entry.value),
    basis: entry.basis,
    source: entry.source,
  });
  const additive = (path: FieldPath, entry: MachineFamilyFile['latency']['sameDomain']): AdditiveCost => ({
    baseNs: duration([...path, 'base'], entry.base),
    offsetMaxNs: duration([...path, 'offsetMax'], entry.offsetMax ?? '0 ns'),
    basis: entry.basis,
    source: entry.source,
  });

  const t = family.topology;
  // Every per-CPU and per-pair table is sized from this count: check it before any is built.
  if (t.sockets * t.coresPerSocket * t.threadsPerCore > MACHINE_LIMITS.cpus) {
    fail(['topology', 'coresPerSocket'], 'the machine has more logical CPUs than locksim models', {
      expected: `sockets x coresPerSocket x threadsPerCore at most ${MACHINE_LIMITS.cpus}`,
      found: `${t.sockets} x ${t.coresPerSocket} x ${t.threadsPerCore} = ${t.sockets * t.coresPerSocket * t.threadsPerCore}`,
    });
  }
  const domainsPerSocket = t.l3DomainsPerSocket ?? 1;
  const nodesPerSocket = t.numaNodesPerSocket ?? 1;
  if (t.coresPerSocket % domainsPerSocket !== 0) {
    fail(['topology', 'l3DomainsPerSocket'], 'L3 domains must split the cores of a socket evenly', {
      expected: `a divisor of coresPerSocket (${t.coresPerSocket})`,
      found: String(domainsPerSocket),
    });
  }
  if (nodesPerSocket > t.coresPerSocket) {
    fail(['topology', 'numaNodesPerSocket'], 'more NUMA nodes than cores in a socket', { expected: `at most ${t.coresPerSocket}`, found: String(nodesPerSocket) });
  }
  const numaNodes = t.sockets * nodesPerSocket;
  const globalsHomeNode = t.globalsHomeNode ?? 0;
  if (globalsHomeNode >= numaNodes) {
    fail(['topology', 'globalsHomeNode'], `NUMA node ${globalsHomeNode} does not exist`, { expected: `a node 0-${numaNodes - 1}`, found: String(globalsHomeNode) });
  }
  const l = family.latency;
  const need = (present: unknown, field: string, why: string): void => {
    if (present === undefined) fail(['latency'], `missing latency \`${field}\`: ${why}`, { expected: `a \`latency.${field}\` entry`, found: 'nothing' });
  };
  if (t.threadsPerCore > 1) need(l.smt, 'smt', `threadsPerCore is ${t.threadsPerCore}, so SMT siblings hand lines over`);
  if (t.sockets > 1) need(l.crossSocket, 'crossSocket', `the machine has ${t.sockets} sockets`);
  if (domainsPerSocket > 1 && t.coherence === 'chiplet') need(l.crossDomain, 'crossDomain', `each socket has ${domainsPerSocket} L3 domains`);
  if (t.sockets > 1 && domainsPerSocket > 1 && t.coherence === 'chiplet') {
    need(l.remoteHomeCrossDomain, 'remoteHomeCrossDomain', 'on a multi-socket chiplet part a cross-CCD move pays the socket hop when the line is homed on the other socket');
  }

  const problem = (path: FieldPath, message: string, detail?: InputErrorDetail): never => fail(path, message, detail);
  const domains = parseLayoutLists(t.l3Domains, 'l3Domains', problem);
  const siblings = parseLayoutLists(t.siblings, 'siblings', problem);
  const vcpus = t.sockets * t.coresPerSocket * t.threadsPerCore;

  let costTable: MachineModel['costTable'];
  if (l.costTable !== undefined) {
    const tableFile = resolveDataPath(root, l.costTable.c2c, file);
    if (!existsSync(tableFile)) fail(['latency', 'costTable', 'c2c'], 'the c2c matrix file does not exist', { expected: 'a path relative to the machine file, or to the repository root', found: `"${l.costTable.c2c}" (${tableFile})` });
    // The row count is checked on the text, before the matrix (rows squared) is built.
    const matrix = importC2cMatrix(tableFile, {
      rows: vcpus,
      onWrongRows: (rows) =>
        fail(['latency', 'costTable', 'c2c'], 'the cost table does not have one row per CPU of the family', {
          expected: `${vcpus} rows (sockets × coresPerSocket × threadsPerCore)`,
          found: `${rows} rows`,
          hint: 'A matrix measured on a smaller proxy belongs under latency.calibration, not costTable.',
        }),
    });
    costTable = { file: tableFile, source: l.costTable.source, matrix };
  }
  const calibration = (l.calibration ?? []).map((entry, k) => {
    const calibrationFile = resolveDataPath(root, entry.c2c, file);
    if (!existsSync(calibrationFile)) {
      fail(['latency', 'calibration', k, 'c2c'], 'the c2c matrix file does not exist', { expected: 'a path relative to the repository root', found: `"${entry.c2c}"` });
    }
    return { ...entry, l3DomainsPerSocket: entry.l3DomainsPerSocket ?? 1, file: calibrationFile };
  });

  let socketHops: number[][] | undefined;
  if (t.socketHops !== undefined) {
    const hops = t.socketHops;
    const at = (i?: number): FieldPath => (i === undefined ? ['topology', 'socketHops'] : ['topology', 'socketHops', i]);
    if (hops.length !== t.sockets) fail(at(), 'socketHops needs one row per socket', { expected: `${t.sockets} rows of ${t.sockets} hops`, found: `${hops.length} rows` });
    hops.forEach((row, i) => {
      if (row.length !== t.sockets) fail(at(i), `row ${i} of socketHops has ${row.length} entries`, { expected: `${t.sockets} hops (one per socket)`, found: `${row.length}` });
      row.forEach((h, j) => {
        if (i === j && h !== 0) fail(at(i), `socket ${i} is 0 hops from itself`, { expected: '0 on the diagonal', found: String(h) });
        if (i !== j && h < 1) fail(at(i), `sockets ${i} and ${j} are at least one hop apart`, { expected: 'at least 1 off the diagonal', found: String(h) });
        if (hops[j]?.[i] !== undefined && hops[j][i] !== h) fail(at(i), `socketHops is not symmetric: ${i} to ${j} is ${h} hops, ${j} to ${i} is ${hops[j][i]}`, { expected: 'the same hops both ways', found: `${h} and ${hops[j][i]}` });
      });
    });
    if (hops.some((row) => row.some((h) => h > 1))) need(l.extraHop, 'extraHop', 'socketHops has pairs more than one hop apart');
    socketHops = hops.map((row) => [...row]);
  }

  const c = family.coherence;
  if (numaNodes > 1 && family.memory.dramRemote === undefined) {
    fail(['memory'], 'missing `dramRemote`: the machine has more than one NUMA node', { expected: 'a `memory.dramRemote` entry (load-to-use latency of a line in another node\'s memory)', found: 'nothing' });
  }
  const model: MachineModel = {
    name: family.name,
    description: family.description,
    cpuModel: family.cpuModel,
    file,
    kind: t.coherence,
    sockets: t.sockets,
    coresPerSocket: t.coresPerSocket,
    threadsPerCore: t.threadsPerCore,
    domainsPerSocket,
    coresPerDomain: t.coresPerSocket / domainsPerSocket,
    nodesPerSocket,
    numaNodes,
    numbering: t.numbering ?? 'threads-last',
    globalsHomeNode,
    vcpus,
    explicitLayout: domains !== undefined || siblings !== undefined ? { domains, siblings } : undefined,
    priceUsdPerHour: family.price.usdPerHour,
    priceDate: family.price.date,
    priceSource: family.price.source,
    latency: {
      smt: l.smt === undefined ? undefined : sourced(['latency', 'smt'], l.smt),
      sameDomain: additive(['latency', 'sameDomain'], l.sameDomain),
      crossDomain:
        l.crossDomain === undefined
          ? undefined
          : {
              sameGroupNs: duration(['latency', 'crossDomain', 'sameGroup'], l.crossDomain.sameGroup),
              otherGroupNs: duration(['latency', 'crossDomain', 'otherGroup'], l.crossDomain.otherGroup),
              groupSize: l.crossDomain.groupSize ?? 1,
              basis: l.crossDomain.basis,
              source: l.crossDomain.source,
            },
      remoteHomeCrossDomain: l.remoteHomeCrossDomain === undefined ? undefined : sourced(['latency', 'remoteHomeCrossDomain'], l.remoteHomeCrossDomain),
      crossSocket: l.crossSocket === undefined ? undefined : additive(['latency', 'crossSocket'], l.crossSocket),
      offsetSeed: l.offsetSeed ?? 'locksim',
    },
    costTable,
    calibration,
    parameters: resolveParameters(family, duration, fail),
    socketHopFactor: { value: c.socketHopFactor.value, basis: c.socketHopFactor.basis, source: c.socketHopFactor.source },
    // Only machines that describe hops carry them, so the other models stay as they were.
    ...(socketHops === undefined ? {} : { socketHops, extraHopNs: l.extraHop === undefined ? 0 : duration(['latency', 'extraHop', 'value'], l.extraHop.value) }),
  };
  layoutCpus(model, problem);
  return model;
}

type UncertainEntry = { value: string | number; range: (string | number)[]; basis: Basis; source: string };

/** The uncertain values of `coherence` and `memory`: each in its unit, its value inside its range. */
function resolveParameters(
  family: MachineFamilyFile,
  duration: (path: FieldPath, text: string) => number,
  fail: (path: FieldPath, message: string, detail?: InputErrorDetail) => never,
): MachineParameters {
  const parameters: Partial<Record<MachineParameterName, MachineParameter>> = {};
  for (const name of MACHINE_PARAMETER_NAMES) {
    const { block, unit } = MACHINE_PARAMETERS[name];
    const entry = (family[block] as Record<string, UncertainEntry | undefined>)[name];
    if (entry === undefined) continue;
    const path: FieldPath = [block, name];
    const read = (written: string | number, at: FieldPath): number => (unit === 'duration' ? duration(at, String(written)) : Number(written));
    const value = read(entry.value, [...path, 'value']);
    const low = read(entry.range[0], [...path, 'range', 0]);
    const high = read(entry.range[1], [...path, 'range', 1]);
    if (!(low <= value && value <= high)) {
      fail([...path, 'range'], `the value of \`${name}\` lies outside its range`, { expected: `a range [low, high] with low <= ${String(entry.value)} <= high`, found: `[${entry.range.map(String).join(', ')}]` });
    }
    parameters[name] = { value, range: [low, high], basis: entry.basis, source: entry.source, unit };
  }
  return parameters as MachineParameters;
}

/** A value a scenario gives a machine parameter: a number in its unit (ns for times), or a point of the family's own range. */
export type MachineParameterValue = number | 'low' | 'mid' | 'high';

/** Where `point` lies in a machine parameter's range (mid: the geometric mean of a range spanning a decade or more). */
export function machineRangePoint(parameter: MachineParameter, point: 'low' | 'mid' | 'high'): number {
  const [low, high] = parameter.range;
  if (point === 'low') return low;
  if (point === 'high') return high;
  const mid = low > 0 && high / low >= 10 ? Math.sqrt(low * high) : (low + high) / 2;
  return parameter.unit === 'count' ? Math.round(mid) : mid;
}

/**
 * A copy of `model` with some uncertain values replaced (a scenario's
 * `machineParameters`); each replaced value says so in its source. Throws
 * an InputError naming `path` + the parameter for an unknown name, a value
 * its unit refuses, or a number for a parameter the machine lacks (a range
 * end of one leaves the machine as it is, so `low` can apply to families
 * of one and two sockets alike).
 */
export function withMachineParameters(model: MachineModel, values: Readonly<Record<string, MachineParameterValue>>, path: readonly (string | number)[] = ['machineParameters']): MachineModel {
  const names = Object.keys(values);
  if (names.length === 0) return model;
  const parameters: Record<string, MachineParameter> = { ...model.parameters };
  for (const name of names) {
    const at = [...path, name].join('.');
    if (!(MACHINE_PARAMETER_NAMES as readonly string[]).includes(name)) {
      throw new InputError(`unknown machine parameter \`${name}\``, { path: at, expected: `one of ${MACHINE_PARAMETER_NAMES.join(', ')}`, found: `\`${name}\``, hint: didYouMean(name, MACHINE_PARAMETER_NAMES) });
    }
    const parameter = model.parameters[name as MachineParameterName];
    const written = values[name];
    // A range end of a value the machine lacks (dramRemote on one NUMA node) leaves it as it is: every family at its own range end.
    if (parameter === undefined && typeof written !== 'number') continue;
    if (parameter === undefined) {
      throw new InputError(`${model.name} has no \`${name}\`: it has one NUMA node`, { path: at, expected: 'a parameter the machine has', found: `\`${name}\`` });
    }
    const value = typeof written === 'number' ? written : machineRangePoint(parameter, written);
    const refuse = (expected: string): never => {
      throw new InputError(`\`${name}\` cannot be ${String(written)}`, { path: at, expected, found: String(written) });
    };
    if (!Number.isFinite(value)) refuse('a finite number');
    if (parameter.unit === 'duration' && !(value > 0)) refuse('a positive duration');
    if (parameter.unit === 'factor' && !(value >= 1)) refuse('a factor of at least 1');
    if (parameter.unit === 'share' && !(value > 0 && value <= 1)) refuse('a share in (0, 1]');
    if (parameter.unit === 'count' && !(Number.isInteger(value) && value >= 1 && value <= 1024)) refuse('a whole number from 1 to 1024');
    const how = typeof written === 'number' ? 'set' : `the ${written} end of its range`;
    parameters[name] = { ...parameter, value, source: `override (${how}, scenario machineParameters); the file's value ${parameter.value}: ${parameter.source}` };
  }
  return Object.freeze({ ...model, parameters: parameters as MachineParameters });
}

/**
 * A data file a machine file names (a c2c CSV): an absolute path as it is;
 * a relative one beside the machine file if it is there, else under the
 * machine file's repository root, else under locksim's own (whose data/
 * holds the published matrices).
 */
function resolveDataPath(root: string, path: string, machineFile?: string): string {
  if (isAbsolute(path)) return path;
  const candidates = [...(machineFile === undefined ? [] : [join(dirname(resolve(machineFile)), path)]), join(root, path), join(REPO_ROOT, path)];
  return candidates.find((candidate) => existsSync(candidate)) ?? join(root, path);
}

/** Every model in the catalog's machines/, sorted by name. */
export function listMachineModels(catalog: ModelCatalog = new ModelCatalog()): MachineModel[] {
  return catalog.names('machines').map((name) => findMachineModel(name, catalog));
}

const SUFFIXES = ['ht-off', 'smt-off', 'nosmt', 'one-socket', 'socket0', 'socket1', 'home0', 'home1'];

/** "family+ht-off+socket0" → family and variant. */
export function parseMachineSpec(spec: MachineSpec): { family: string; variant: VariantSpec } {
  if (typeof spec !== 'string') return { family: spec.family, variant: { ...spec.variant } };
  const [family, ...suffixes] = spec.split('+').map((s) => s.trim());
  const variant: VariantSpec = {};
  for (const suffix of suffixes) {
    let match: RegExpExecArray | null;
    if (suffix === 'ht-off' || suffix === 'smt-off') variant.smt = false;
    else if (suffix === 'nosmt') variant.nosmt = true;
    else if (suffix === 'one-socket') variant.sockets = [0];
    else if ((match = /^socket(\d+)$/.exec(suffix)) !== null) variant.sockets = [Number(match[1])];
    else if ((match = /^home(\d+)$/.exec(suffix)) !== null) variant.globalsHomeNode = Number(match[1]);
    else if ((match = /^cpuset=(.+)$/.exec(suffix)) !== null) variant.cpuset = match[1];
    else {
      throw new InputError(`unknown machine variant "+${suffix}"`, {
        path: 'machine',
        expected: 'one of +ht-off, +nosmt, +one-socket, +socketN, +homeN, +cpuset=LIST',
        found: `"${spec}"`,
        hint: didYouMean(suffix, SUFFIXES),
      });
    }
  }
  return { family, variant };
}

/** The model of one family by name; an unknown family is an InputError with a did-you-mean over the known names. */
export function findMachineModel(family: string, catalog: ModelCatalog = new ModelCatalog()): MachineModel {
  const file = catalog.file('machines', family, 'machine');
  return catalog.memo(`machine:${family}`, () => loadMachineModel(file));
}

/** A spec to a frozen Topology; an unknown family is an InputError with a did-you-mean. */
export function resolveMachine(spec: MachineSpec, catalog: ModelCatalog = new ModelCatalog()): Topology {
  const { family, variant } = parseMachineSpec(spec);
  return buildTopology(findMachineModel(family, catalog), variant);
}
