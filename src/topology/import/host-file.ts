/**
 * A machine file for the host from what sysfs says about its layout and what
 * a core-to-core matrix (or a pinned measurement) says about its costs.
 *
 * The layout is written as counts plus a numbering rule when one of locksim's
 * rules (threads-last, siblings-adjacent) reproduces every core, L3 domain and
 * socket of the host; otherwise as explicit CPU lists (`topology.siblings`,
 * `topology.l3Domains`). Either way the result is rebuilt with the loader's
 * own layout code and compared CPU by CPU before anything is written.
 *
 * Latency classes: the median of the matrix over the CPU pairs of each class
 * (SMT siblings, same L3, other L3 of the socket, other socket); the additive
 * classes take the minimum as their base and the median less the minimum as
 * their offset range, the convention of the shipped families. A matrix with
 * one row per CPU is also written as the cost table, so measured pairs
 * replace the class model.
 */
import { dirname, relative, resolve } from 'node:path';
import { InputError } from '../../input/errors.js';
import { formatCpuList } from '../../input/cpulist.js';
import { layoutCpus } from '../layout.js';
import type { C2cMatrix } from '../schema.js';
import type { Cpu } from '../topology.js';
import type { SysfsLayout } from './sysfs.js';

export type PairClass = 'smt' | 'sameDomain' | 'crossDomain' | 'crossSocket';

export const PAIR_CLASSES: readonly PairClass[] = ['smt', 'sameDomain', 'crossDomain', 'crossSocket'];

export interface HostTopology {
  readonly coherence: 'mesh' | 'chiplet';
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: number;
  readonly l3DomainsPerSocket: number;
  readonly numaNodesPerSocket: number;
  readonly numbering: 'threads-last' | 'siblings-adjacent';
  /** Explicit lists, when no numbering rule fits the host. */
  readonly l3Domains?: readonly string[];
  readonly siblings?: readonly string[];
  /** Every CPU where the written file puts it. */
  readonly cpus: readonly Cpu[];
  /** What the file cannot say exactly (written into its description and printed). */
  readonly notes: readonly string[];
}

const key = (ids: readonly number[]): string => ids.join(',');

function partitionOf(cpus: readonly Cpu[], field: 'core' | 'domain' | 'socket'): string {
  const groups = new Map<number, number[]>();
  for (const cpu of cpus) groups.set(cpu[field], [...(groups.get(cpu[field]) ?? []), cpu.id]);
  return [...groups.values()].map(key).sort().join(' | ');
}

function uniform<T>(values: readonly T[], what: string, root: string, describe: (v: T) => string): T {
  const distinct = [...new Set(values)];
  if (distinct.length !== 1) {
    throw new InputError(`the host has ${what} of different sizes, which a machine file cannot describe`, {
      file: root,
      expected: `the same ${what.replace(/s$/, '')} size everywhere`,
      found: distinct.map(describe).join(', '),
      hint: 'Hybrid parts (performance and efficiency cores) and partly disabled SMT are not modelled; write the file by hand for the cores you run on.',
    });
  }
  return distinct[0];
}

/** The model's layout of a host read from sysfs, checked CPU by CPU against it. */
export function hostTopology(layout: SysfsLayout): HostTopology {
  const { root, cpus: host } = layout;
  const n = host.length;
  if (n === 0) throw new InputError('no CPU is online', { file: `${root}/cpu/online`, expected: 'a CPU list', found: 'none' });
  const gaps = host.findIndex((cpu, k) => cpu.id !== k);
  if (gaps !== -1 || layout.present.length !== n) {
    const online = new Set(host.map((c) => c.id));
    const offline = layout.present.filter((id) => !online.has(id));
    throw new InputError('some present CPUs are offline, so their place in the layout is unknown', {
      file: `${root}/cpu/online`,
      expected: `every present CPU online (${formatCpuList(layout.present)})`,
      found: `${formatCpuList(host.map((c) => c.id))} online${offline.length > 0 ? `, ${formatCpuList(offline)} offline` : ''}`,
      hint: 'Bring them online for the import (echo 1 > .../cpuN/online, or smt/control on), then model the offline state with a variant (+nosmt, cpuset=LIST).',
    });
  }
  const slots = layout.possible.filter((id) => id >= n);
  const hotplugNote =
    slots.length > 0
      ? `the kernel reserves ${slots.length} possible CPU(s) beyond the ${n} present (${formatCpuList(slots)}, hotplug slots); for_each_possible_cpu() walks them too, and this model's per-CPU sums do not`
      : null;

  const packages = [...new Set(host.map((c) => c.packageId))].sort((a, b) => a - b);
  const socketOf = (cpu: { packageId: number }): number => packages.indexOf(cpu.packageId);
  const sockets = packages.length;
  const coreSets = [...new Map(host.map((c) => [key(c.siblings), c.siblings])).values()];
  const threadsPerCore = uniform(coreSets.map((s) => s.length), 'cores', root, (v) => `${v} thread(s)`);
  const perSocket = (sets: readonly (readonly number[])[]): number[] => packages.map((_, s) => sets.filter((set) => socketOf(host[set[0]]) === s).length);
  const coresPerSocket = uniform(perSocket(coreSets), 'sockets', root, (v) => `${v} cores`);
  const domainSets = [...new Map(host.map((c) => [key(c.l3), c.l3])).values()];
  for (const set of domainSets) {
    const inSockets = new Set(set.map((id) => socketOf(host[id])));
    if (inSockets.size > 1) throw new InputError('an L3 spans two sockets', { file: `${root}/cpu/cpu${set[0]}/cache`, expected: 'each L3 within one package', found: `CPUs ${formatCpuList(set)} in packages ${[...inSockets].map((s) => packages[s]).join(', ')}` });
  }
  const l3DomainsPerSocket = uniform(perSocket(domainSets), 'sockets', root, (v) => `${v} L3 domains`);
  uniform(domainSets.map((s) => s.length), 'L3 domains', root, (v) => `${v} CPUs`);
  const nodes = [...new Set(host.map((c) => c.node))].sort((a, b) => a - b);
  const nodesPerSocket = uniform(
    packages.map((_, s) => new Set(host.filter((c) => socketOf(c) === s).map((c) => c.node)).size),
    'sockets',
    root,
    (v) => `${v} NUMA nodes`,
  );
  for (const node of nodes) {
    const inSockets = new Set(host.filter((c) => c.node === node).map(socketOf));
    if (inSockets.size > 1) throw new InputError(`NUMA node ${node} spans two sockets`, { file: `${root}/node/node${node}/cpulist`, expected: 'the CPUs of a node in one package', found: `packages ${[...inSockets].map((s) => packages[s]).join(', ')}` });
  }

  const counts = { sockets, coresPerSocket, threadsPerCore, domainsPerSocket: l3DomainsPerSocket, nodesPerSocket };
  const refuse = (): never => {
    throw new Error('unreachable: a generated layout is consistent');
  };
  const socketSets = packages.map((_, s) => host.filter((c) => socketOf(c) === s).map((c) => c.id));
  const partition = (sets: readonly (readonly number[])[]): string => sets.map(key).sort().join(' | ');
  const wanted = { core: partition(coreSets), domain: partition(domainSets), socket: partition(socketSets) };
  const fits = (cpus: readonly Cpu[]): boolean =>
    partitionOf(cpus, 'core') === wanted.core && partitionOf(cpus, 'domain') === wanted.domain && partitionOf(cpus, 'socket') === wanted.socket && cpus.every((c) => socketOf(host[c.id]) === c.socket);

  let numbering: HostTopology['numbering'] = 'threads-last';
  let cpus: Cpu[] | null = null;
  let l3Domains: string[] | undefined;
  let siblings: string[] | undefined;
  for (const rule of ['threads-last', 'siblings-adjacent'] as const) {
    const generated = layoutCpus({ ...counts, numbering: rule }, refuse);
    if (fits(generated)) {
      numbering = rule;
      cpus = generated;
      break;
    }
  }
  if (cpus === null) {
    // Domains socket by socket, each socket's in order of its lowest CPU; cores in order of their lowest CPU.
    const orderedDomains = [...domainSets].sort((a, b) => socketOf(host[a[0]]) - socketOf(host[b[0]]) || a[0] - b[0]);
    const orderedCores = [...coreSets].sort((a, b) => a[0] - b[0]);
    l3Domains = orderedDomains.map((s) => formatCpuList(s));
    siblings = orderedCores.map((s) => s.join(','));
    const problem = (path: readonly (string | number)[], message: string): never => {
      throw new InputError(`the host's layout does not fit a machine file: ${message}`, { file: root, path: path.join('.') });
    };
    cpus = layoutCpus({ ...counts, numbering, explicitLayout: { domains: orderedDomains, siblings: orderedCores } }, problem);
    if (!fits(cpus)) throw new InputError('the host\'s layout does not fit a machine file', { file: root, expected: 'cores, L3 domains and sockets that explicit lists reproduce', found: 'a layout they do not' });
  }

  const notes: string[] = [];
  const misplaced = cpus.filter((c) => c.node !== host[c.id].node);
  if (misplaced.length > 0) {
    notes.push(
      `NUMA nodes: locksim splits each socket's cores evenly between its nodes in core order, and numbers nodes socket by socket; on this host CPUs ${formatCpuList(misplaced.map((c) => c.id))} are on other nodes (sysfs: ${misplaced
        .slice(0, 4)
        .map((c) => `cpu${c.id} node${host[c.id].node}`)
        .join(', ')}${misplaced.length > 4 ? ', ...' : ''}), so the model's node of those CPUs differs`,
    );
  }
  if (hotplugNote !== null) notes.push(hotplugNote);
  if (layout.noNumaDirectory) notes.push('the kernel shows no NUMA nodes (no node/ directory in sysfs): one node per socket is assumed');
  return {
    coherence: l3DomainsPerSocket > 1 ? 'chiplet' : 'mesh',
    sockets,
    coresPerSocket,
    threadsPerCore,
    l3DomainsPerSocket,
    numaNodesPerSocket: nodesPerSocket,
    numbering,
    ...(l3Domains !== undefined ? { l3Domains, siblings } : {}),
    cpus,
    notes,
  };
}

export function pairClass(a: Cpu, b: Cpu): PairClass {
  if (a.core === b.core) return 'smt';
  if (a.domain === b.domain) return 'sameDomain';
  if (a.socket === b.socket) return 'crossDomain';
  return 'crossSocket';
}

/** The classes the host has, each with up to `count` CPU pairs spread over the machine (deterministic). */
export function representativePairs(cpus: readonly Cpu[], count: number): Map<PairClass, [number, number][]> {
  const all = new Map<PairClass, [number, number][]>();
  for (let i = 0; i < cpus.length; i++) {
    for (let j = i + 1; j < cpus.length; j++) {
      const cls = pairClass(cpus[i], cpus[j]);
      const list = all.get(cls) ?? [];
      list.push([cpus[i].id, cpus[j].id]);
      all.set(cls, list);
    }
  }
  const chosen = new Map<PairClass, [number, number][]>();
  for (const cls of PAIR_CLASSES) {
    const list = all.get(cls);
    if (list === undefined) continue;
    const k = Math.min(count, list.length);
    chosen.set(cls, Array.from({ length: k }, (_, m) => list[Math.floor((m * list.length) / k)]));
  }
  return chosen;
}

export interface ClassStats {
  readonly pairs: number;
  readonly minNs: number;
  readonly medianNs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Minimum and median of a matrix over the pairs of each class (pairs the matrix lacks are left out). */
export function classStatsFromMatrix(matrix: C2cMatrix, cpus: readonly Cpu[], file: string): Map<PairClass, ClassStats> {
  if (matrix.cpus !== cpus.length) {
    throw new InputError('the c2c matrix does not have one row per CPU of the host', { file, expected: `${cpus.length} rows (the host's online CPUs)`, found: `${matrix.cpus} rows`, hint: 'Measure on this host with every CPU online (core-to-core-latency --csv).' });
  }
  const values = new Map<PairClass, number[]>();
  for (let i = 0; i < cpus.length; i++) {
    for (let j = i + 1; j < cpus.length; j++) {
      const v = matrix.latencyNs[i][j];
      if (Number.isNaN(v)) continue;
      const cls = pairClass(cpus[i], cpus[j]);
      values.set(cls, [...(values.get(cls) ?? []), v]);
    }
  }
  const stats = new Map<PairClass, ClassStats>();
  for (const cls of PAIR_CLASSES) {
    const list = values.get(cls);
    if (list !== undefined && list.length > 0) stats.set(cls, { pairs: list.length, minNs: Math.min(...list), medianNs: median(list) });
  }
  return stats;
}

export { median as medianOf };

/** Where the class numbers came from, for each entry's `basis` and `source`. */
export interface LatencyEvidence {
  readonly basis: 'measured';
  /** One sentence per class: how it was obtained and what it bounds. */
  readonly source: (cls: PairClass, stats: ClassStats) => string;
  /** A c2c matrix with one row per CPU, written as the cost table (absolute path). */
  readonly costTable?: string;
}

export interface HostFileOptions {
  readonly name: string;
  readonly cpuModel: string;
  readonly description: string;
  readonly price: { readonly usdPerHour: number; readonly date: string; readonly source: string };
  readonly topology: HostTopology;
  readonly classes: ReadonlyMap<PairClass, ClassStats>;
  readonly evidence: LatencyEvidence;
  /** Where the file will be written (paths in it are relative to its directory). */
  readonly outFile: string;
}

const q = (text: string): string => JSON.stringify(text);
const ns = (value: number): string => `${Math.round(value * 10) / 10} ns`;

/** The machine file's YAML text. */
export function hostMachineFile(options: HostFileOptions): string {
  const { topology: t, classes, evidence } = options;
  const need = (cls: PairClass, why: string): ClassStats => {
    const stats = classes.get(cls);
    if (stats === undefined) throw new InputError(`no latency for the ${cls} class, which the host has (${why})`, { expected: `${cls} pairs in the matrix`, found: 'none with a value' });
    return stats;
  };
  const lines: string[] = [];
  lines.push(`# Written by \`locksim models import\` from ${t.cpus.length} CPUs' sysfs layout; latency classes: ${evidence.costTable !== undefined ? 'a c2c matrix' : evidence.basis}.`);
  lines.push(`name: ${options.name}`);
  lines.push(`description: ${q([options.description, ...t.notes.map((n) => `Note: ${n}.`)].join(' '))}`);
  lines.push(`cpuModel: ${q(options.cpuModel)}`);
  lines.push(`price: { usdPerHour: ${options.price.usdPerHour}, date: ${q(options.price.date)}, source: ${q(options.price.source)} }`);
  lines.push('topology:');
  lines.push(`  coherence: ${t.coherence}`);
  lines.push(`  sockets: ${t.sockets}`);
  lines.push(`  coresPerSocket: ${t.coresPerSocket}`);
  lines.push(`  threadsPerCore: ${t.threadsPerCore}`);
  lines.push(`  l3DomainsPerSocket: ${t.l3DomainsPerSocket}`);
  lines.push(`  numaNodesPerSocket: ${t.numaNodesPerSocket}`);
  lines.push(`  numbering: ${t.numbering}`);
  if (t.l3Domains !== undefined) lines.push(`  l3Domains: [${t.l3Domains.map(q).join(', ')}]`);
  if (t.siblings !== undefined) lines.push(`  siblings: [${t.siblings.map(q).join(', ')}]`);

  const sameDomain = need('sameDomain', 'cores share an L3');
  lines.push('latency:');
  const entry = (cls: PairClass, stats: ClassStats): string => `basis: ${evidence.basis}, source: ${q(evidence.source(cls, stats))}`;
  const additive = (cls: PairClass, stats: ClassStats): string => `{ base: ${ns(stats.minNs)}, offsetMax: ${ns(stats.medianNs - stats.minNs)}, ${entry(cls, stats)} }`;
  if (t.threadsPerCore > 1) {
    const smt = need('smt', 'cores have two threads');
    lines.push(`  smt: { value: ${ns(smt.medianNs)}, ${entry('smt', smt)} }`);
  }
  lines.push(`  sameDomain: ${additive('sameDomain', sameDomain)}`);
  const crossDomain = t.l3DomainsPerSocket > 1 ? need('crossDomain', 'sockets have several L3 domains') : undefined;
  if (crossDomain !== undefined) {
    lines.push(`  crossDomain: { sameGroup: ${ns(crossDomain.medianNs)}, otherGroup: ${ns(crossDomain.medianNs)}, groupSize: 1, ${entry('crossDomain', crossDomain)} }`);
  }
  const crossSocket = t.sockets > 1 ? need('crossSocket', 'the host has several sockets') : undefined;
  if (crossSocket !== undefined) {
    lines.push(`  crossSocket: ${additive('crossSocket', crossSocket)}`);
    if (crossDomain !== undefined) {
      lines.push(
        `  remoteHomeCrossDomain: { value: ${ns(crossSocket.medianNs)}, basis: estimate, source: ${q('estimate: the cross-socket median; a c2c pair does not say which socket homes the line, so the cost of a cross-L3 move whose line is homed on the other socket is taken as a socket crossing')} }`,
      );
    }
  }
  if (evidence.costTable !== undefined) {
    const path = relative(dirname(resolve(options.outFile)), evidence.costTable) || evidence.costTable;
    lines.push(`  costTable: { c2c: ${q(path)}, source: ${q('the matrix given to locksim models import, one row per CPU of this host')} }`);
  }

  const sameSocket = crossDomain ?? sameDomain;
  const hop = crossSocket !== undefined ? Math.max(1, Math.round((crossSocket.medianNs / sameSocket.medianNs) * 100) / 100) : 1;
  const hopSource = crossSocket !== undefined ? `ratio of this host's medians, cross-socket ${ns(crossSocket.medianNs)} / same socket ${ns(sameSocket.medianNs)}` : 'one socket: unused';
  const notHere = 'not measured on this host';
  lines.push('coherence:');
  lines.push(`  homeOccupancy: { value: 1, range: [0.25, 1], basis: estimate, source: ${q(`estimate, ${notHere}: a transfer holds the line's home for about its own latency, the share every shipped family uses (docs/hardware.md §4.1); range: a pipelined home (0.25) to a serialized one (1)`)} }`);
  const fanOut = t.coherence === 'chiplet' ? 40 : 15;
  lines.push(`  fanOutRead: { value: ${fanOut} ns, range: [10 ns, 50 ns], basis: estimate, source: ${q(`estimate, ${notHere}: the value the shipped ${t.coherence} families use (home time per spinner re-read${t.coherence === 'chiplet' ? ', one probe per CCD' : ''}); range as theirs`)} }`);
  lines.push(`  socketHopFactor: { value: ${hop}, basis: ${crossSocket !== undefined ? evidence.basis : 'estimate'}, source: ${q(hopSource)} }`);
  lines.push(`  smtSlowdown: { value: 1.25, range: [1, 1.5], basis: calibrated, source: ${q(`calibrated on the shipped families (the same value for every family), ${notHere}`)} }`);
  lines.push(`  smtSpinSlowdown: { value: 1.10, range: [1, 1.3], basis: estimate, source: ${q(`estimate, the same value for every shipped family, ${notHere}`)} }`);
  lines.push('memory:');
  lines.push(`  missesInFlight: { value: 16, range: [10, 24], basis: estimate, source: ${q(`estimate, ${notHere}: the range spans the shipped families (10 on Skylake-SP to 24 on Zen 4)`)} }`);
  lines.push(`  dramLocal: { value: 110 ns, range: [85 ns, 135 ns], basis: estimate, source: ${q(`estimate, ${notHere}: the range spans the shipped families' local DRAM latencies`)} }`);
  if (t.sockets * t.numaNodesPerSocket > 1) {
    const extra = crossSocket !== undefined ? Math.max(0, crossSocket.medianNs - sameSocket.medianNs) : 20;
    const remote = 110 + extra;
    lines.push(
      `  dramRemote: { value: ${ns(remote)}, range: [${ns(85 + extra)}, ${ns(135 + extra + 20)}], basis: estimate, source: ${q(
        crossSocket !== undefined ? `estimate: local + (cross-socket median - same-socket median) of this host, ${ns(extra)}` : `estimate, ${notHere}: local + 20 ns for another node of the socket`,
      )} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}
