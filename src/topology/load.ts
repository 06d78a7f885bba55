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
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, type InputErrorDetail } from '../input/errors.js';
import { didYouMean } from '../input/did-you-mean.js';
import { checkModelName } from '../input/model-name.js';
import { errorAt, loadDocument, type FieldPath, type LoadedDocument } from '../input/load.js';
import { validate } from '../input/schema.js';
import { parseDurationNs } from '../input/units.js';
import { buildTopology } from './build.js';
import { importC2cMatrix } from './c2c.js';
import { layoutCpus, parseLayoutLists } from './layout.js';
import {
  MachineFamilySchema,
  MachineVariantFileSchema,
  type AdditiveCost,
  type MachineFamilyFile,
  MACHINE_LIMITS,
  type MachineModel,
  type Sourced,
  type VariantSpec,
} from './schema.js';
import type { Topology } from './topology.js';

/** Walks up from `start` to the first directory holding package.json (the repository root). */
function findRepoRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url))) ?? process.cwd();

/** models/machines under the repository root. */
export const DEFAULT_MODELS_DIR = join(REPO_ROOT, 'models', 'machines');

const MODEL_EXTENSIONS = ['.yaml', '.yml', '.json'];

export type MachineSpec = string | { family: string; variant?: VariantSpec };

const cache = new Map<string, { stamp: string; model: MachineModel }>();

/** Loads one model file (a family, or a variant of a family in the same directory). */
export function loadMachineModel(file: string): MachineModel {
  const absolute = resolve(file);
  let stamp: string;
  try {
    const stat = statSync(absolute);
    stamp = `${stat.mtimeMs}/${stat.size}`;
  } catch {
    stamp = 'missing';
  }
  const cached = cache.get(absolute);
  if (cached !== undefined && cached.stamp === stamp) return cached.model;
  const model = loadUncached(file, []);
  cache.set(absolute, { stamp, model });
  return model;
}

function loadUncached(file: string, chain: readonly string[]): MachineModel {
  const document = loadDocument(file);
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
    let baseFile: string | undefined;
    try {
      baseFile = findModelFile(dir, variantFile.variantOf);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return fail(['variantOf'], error.message, { expected: error.detail.expected, found: error.detail.found, hint: error.detail.hint });
    }
    if (baseFile === undefined) {
      const known = modelFiles(dir).map((f) => basename(f, extname(f)));
      fail(['variantOf'], `unknown machine family "${variantFile.variantOf}"`, {
        expected: `a family defined in ${dir}`,
        found: `"${variantFile.variantOf}"`,
        hint: didYouMean(variantFile.variantOf, known) ?? `Known families: ${known.join(', ')}.`,
      });
    }
    if (chain.includes(resolve(baseFile as string))) fail(['variantOf'], 'variants form a cycle', { found: chain.join(' -> ') });
    const base = loadUncached(baseFile as string, [...chain, resolve(file)]);
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
  return Object.freeze(resolveFamily(family, document, fail));
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
    const tableFile = resolveDataPath(root, l.costTable.c2c);
    if (!existsSync(tableFile)) fail(['latency', 'costTable', 'c2c'], 'the c2c matrix file does not exist', { expected: 'a path relative to the repository root', found: `"${l.costTable.c2c}" (${tableFile})` });
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
    const calibrationFile = resolveDataPath(root, entry.c2c);
    if (!existsSync(calibrationFile)) {
      fail(['latency', 'calibration', k, 'c2c'], 'the c2c matrix file does not exist', { expected: 'a path relative to the repository root', found: `"${entry.c2c}"` });
    }
    return { ...entry, l3DomainsPerSocket: entry.l3DomainsPerSocket ?? 1, file: calibrationFile };
  });

  const c = family.coherence;
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
    homeService: sourced(['coherence', 'homeService'], c.homeService),
    fanOutRead: sourced(['coherence', 'fanOutRead'], c.fanOutRead),
    socketHopFactor: { value: c.socketHopFactor.value, basis: c.socketHopFactor.basis, source: c.socketHopFactor.source },
    perCpuRead: {
      localNs: duration(['coherence', 'perCpuRead', 'local'], c.perCpuRead.local),
      remoteNs: duration(['coherence', 'perCpuRead', 'remote'], c.perCpuRead.remote),
      basis: c.perCpuRead.basis,
      source: c.perCpuRead.source,
    },
    smtSlowdown: { value: c.smtSlowdown.value, basis: c.smtSlowdown.basis, source: c.smtSlowdown.source },
    smtSpinSlowdown: { value: c.smtSpinSlowdown.value, basis: c.smtSpinSlowdown.basis, source: c.smtSpinSlowdown.source },
  };
  layoutCpus(model, problem);
  return model;
}

function resolveDataPath(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

function modelFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new InputError('cannot read the models directory', { file: dir, expected: 'a directory of machine model files' });
  }
  return names
    .filter((n) => MODEL_EXTENSIONS.includes(extname(n)) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * The one lookup of a machine model by name (families, `variantOf`, every
 * command): the file `<dir>/<name>.yaml|.yml|.json`, or undefined when there
 * is none. A name is a name, never a path: one that could leave `dir` (a
 * slash, a leading dot) is an InputError. A path form for models outside the
 * folder would be recognised here, written as a path.
 */
function findModelFile(dir: string, family: string): string | undefined {
  checkModelName(family, 'machine');
  for (const extension of MODEL_EXTENSIONS) {
    const candidate = join(dir, `${family}${extension}`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Every model in `modelsDir`, sorted by name. */
export function listMachineModels(modelsDir: string = DEFAULT_MODELS_DIR): MachineModel[] {
  return modelFiles(modelsDir)
    .map((f) => loadMachineModel(f))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const SUFFIXES = ['ht-off', 'smt-off', 'one-socket', 'socket0', 'socket1', 'home0', 'home1'];

/** "family+ht-off+socket0" → family and variant. */
export function parseMachineSpec(spec: MachineSpec): { family: string; variant: VariantSpec } {
  if (typeof spec !== 'string') return { family: spec.family, variant: { ...spec.variant } };
  const [family, ...suffixes] = spec.split('+').map((s) => s.trim());
  const variant: VariantSpec = {};
  for (const suffix of suffixes) {
    let match: RegExpExecArray | null;
    if (suffix === 'ht-off' || suffix === 'smt-off') variant.smt = false;
    else if (suffix === 'one-socket') variant.sockets = [0];
    else if ((match = /^socket(\d+)$/.exec(suffix)) !== null) variant.sockets = [Number(match[1])];
    else if ((match = /^home(\d+)$/.exec(suffix)) !== null) variant.globalsHomeNode = Number(match[1]);
    else if ((match = /^cpuset=(.+)$/.exec(suffix)) !== null) variant.cpuset = match[1];
    else {
      throw new InputError(`unknown machine variant "+${suffix}"`, {
        path: 'machine',
        expected: 'one of +ht-off, +one-socket, +socketN, +homeN, +cpuset=LIST',
        found: `"${spec}"`,
        hint: didYouMean(suffix, SUFFIXES),
      });
    }
  }
  return { family, variant };
}

/** The model of one family by name; an unknown family is an InputError with a did-you-mean over the known names. */
export function findMachineModel(family: string, modelsDir: string = DEFAULT_MODELS_DIR): MachineModel {
  const file = findModelFile(modelsDir, family);
  if (file === undefined) {
    const known = modelFiles(modelsDir).map((f) => basename(f, extname(f)));
    throw new InputError(`unknown machine family "${family}"`, {
      path: 'machine',
      expected: `one of ${known.join(', ')}`,
      found: `"${family}"`,
      hint: didYouMean(family, known),
    });
  }
  return loadMachineModel(file);
}

/** A spec to a frozen Topology; an unknown family is an InputError with a did-you-mean. */
export function resolveMachine(spec: MachineSpec, modelsDir: string = DEFAULT_MODELS_DIR): Topology {
  const { family, variant } = parseMachineSpec(spec);
  return buildTopology(findMachineModel(family, modelsDir), variant);
}
