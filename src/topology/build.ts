/**
 * Turning a resolved machine model (plus a variant) into a frozen Topology.
 *
 * Two implementations of the one interface: a mesh (Intel, Graviton), where a
 * contended line's traffic all passes its home CHA and spinners are served one
 * physical core at a time, and a chiplet (AMD), where each CCD's L3 serves its
 * own spinners after one fetch and a cross-CCD move goes through the IO-die
 * home, which may sit on the other socket. Per-pair costs are precomputed into
 * flat arrays: `transferNs` sits on the simulator's hottest path.
 */
import { RandomStream } from '../engine/index.js';
import { InputError } from '../input/errors.js';
import { formatCpuList, parseCpuList } from '../input/cpulist.js';
import { layoutCpus } from './layout.js';
import type { AdditiveCost, MachineModel, VariantSpec } from './schema.js';
import { ALL_HARDWARE, DISTANCE_CLASSES, type CoherenceKind, type Cpu, type DistanceClass, type HardwareSwitches, type Topology } from './topology.js';

abstract class CacheTopology implements Topology {
  readonly name: string;
  readonly family: string;
  abstract readonly kind: CoherenceKind;
  readonly cpus: readonly Cpu[];
  readonly onlineCpus: readonly Cpu[];
  readonly possibleCpus: readonly Cpu[];
  readonly socketCount: number;
  readonly domainCount: number;
  readonly nodeCount: number;
  readonly threadsPerCore: number;
  readonly globalsHomeNode: number;
  readonly homeOccupancy: number;
  readonly smtSlowdown: number;
  readonly smtSpinSlowdown: number;
  readonly missesInFlight: number;
  /** The model this topology was built from (for reports and the CLI). */
  readonly model: MachineModel;
  readonly hardware: HardwareSwitches;

  /** Indexed by CPU id (ids are dense in Linux numbering); undefined for ids that are not possible. */
  protected readonly byId: readonly (Cpu | undefined)[];
  protected readonly socketOfCore: ReadonlyMap<number, number>;
  /** Indexed by CPU id, like `byId`. */
  protected readonly siblingsById: readonly (readonly number[] | undefined)[];
  /** Distance class of every (from, to) pair of possible CPUs, as an index into DISTANCE_CLASSES (-1: not both possible). */
  private readonly classByPair: Int8Array;
  /** Per-core u in [0, 1); the additive offset of core k in a class is u[k] × offsetMax. */
  protected readonly coreOffset: Float64Array;
  protected readonly table: readonly (readonly number[])[] | undefined;
  /** Precomputed costs, one flat from×to matrix per socket the line may be homed on (only the home's socket matters). */
  private readonly costByHomeSocket: readonly Float64Array[];
  private readonly cpuSpan: number;
  /** Per home socket, the mean transfer into each CPU from the other fan-out units. */
  private readonly upgradeByHomeSocket: readonly Float64Array[];
  /** 1 for a CPU the workload runs on (its per-CPU lines are Modified in its cache), by id. */
  private readonly workloadCpu: Uint8Array;

  constructor(model: MachineModel, name: string, cpuSets: CpuSets, globalsHomeNode: number, hardware: HardwareSwitches) {
    const { possible, kernelOnline, online } = cpuSets;
    this.model = model;
    this.hardware = hardware;
    this.name = name;
    this.family = model.name;
    this.possibleCpus = Object.freeze([...possible]);
    this.onlineCpus = Object.freeze([...kernelOnline]);
    this.cpus = Object.freeze([...online]);
    this.socketCount = model.sockets;
    this.domainCount = model.sockets * model.domainsPerSocket;
    this.nodeCount = model.numaNodes;
    this.threadsPerCore = new Set(possible.map((c) => c.thread)).size;
    this.globalsHomeNode = globalsHomeNode;
    const parameters = model.parameters;
    this.homeOccupancy = parameters.homeOccupancy.value;
    this.smtSlowdown = hardware.smtSlowdown ? parameters.smtSlowdown.value : 1;
    this.smtSpinSlowdown = hardware.smtSlowdown ? parameters.smtSpinSlowdown.value : 1;
    this.missesInFlight = parameters.missesInFlight.value;
    const byId: (Cpu | undefined)[] = [];
    for (const cpu of possible) byId[cpu.id] = cpu;
    this.byId = byId;
    this.socketOfCore = new Map(possible.map((c) => [c.core, c.socket]));
    const byCore = new Map<number, number[]>();
    for (const cpu of possible) byCore.set(cpu.core, [...(byCore.get(cpu.core) ?? []), cpu.id]);
    const siblingsById: (readonly number[] | undefined)[] = [];
    for (const c of possible) siblingsById[c.id] = Object.freeze((byCore.get(c.core) ?? []).filter((id) => id !== c.id));
    this.siblingsById = siblingsById;
    // Drawn over every core of the family (not the variant's subset), so a variant sees the same offsets.
    const stream = new RandomStream('core-offsets', `${model.variantOf ?? model.name}/${model.latency.offsetSeed}`);
    const cores = model.sockets * model.coresPerSocket;
    // Evenly spaced quantiles of U[0, 1) dealt to cores in a seeded random order: the spread is exactly
    // uniform (so the class median is c + A whatever the core count) while which core sits far from
    // the home stays arbitrary, as the address hash makes it.
    this.coreOffset = new Float64Array(cores);
    for (let core = 0; core < cores; core++) this.coreOffset[core] = (core + 0.5) / cores;
    for (let i = cores - 1; i > 0; i--) {
      const j = Math.floor(stream.next() * (i + 1));
      [this.coreOffset[i], this.coreOffset[j]] = [this.coreOffset[j], this.coreOffset[i]];
    }
    this.table = model.costTable?.matrix.latencyNs;
    this.cpuSpan = byId.length;
    this.workloadCpu = new Uint8Array(this.cpuSpan);
    for (const cpu of online) this.workloadCpu[cpu.id] = 1;
    this.classByPair = new Int8Array(this.cpuSpan * this.cpuSpan).fill(-1);
    for (const a of possible) for (const b of possible) this.classByPair[a.id * this.cpuSpan + b.id] = DISTANCE_CLASSES.indexOf(pairClass(a, b));
    const costs: Float64Array[] = [];
    for (let socket = 0; socket < model.sockets; socket++) {
      const homeNode = socket * model.nodesPerSocket;
      const matrix = new Float64Array(this.cpuSpan * this.cpuSpan).fill(NaN);
      for (const from of possible) for (const to of possible) matrix[from.id * this.cpuSpan + to.id] = this.computeTransferNs(from.id, to.id, homeNode);
      costs.push(matrix);
    }
    this.costByHomeSocket = costs;
    this.upgradeByHomeSocket = costs.map((_, socket) => this.meanTransfersIn(socket * model.nodesPerSocket));
  }

  cpu(id: number): Cpu {
    const cpu = this.byId[id];
    if (cpu === undefined) throw new RangeError(`CPU ${id} is not a CPU of ${this.name}`);
    return cpu;
  }

  siblings(id: number): readonly number[] {
    return this.siblingsById[id] ?? (this.cpu(id), []);
  }

  distanceClass(from: number, to: number): DistanceClass {
    const index = from < this.cpuSpan && to < this.cpuSpan ? this.classByPair[from * this.cpuSpan + to] : -1;
    if (index < 0) return pairClass(this.cpu(from), this.cpu(to));
    return DISTANCE_CLASSES[index];
  }

  transferNs(from: number, to: number, homeNode: number): number {
    const matrix = this.costByHomeSocket[Math.floor(homeNode / this.model.nodesPerSocket)];
    const cost = matrix?.[from * this.cpuSpan + to];
    if (cost === undefined || Number.isNaN(cost) || from >= this.cpuSpan || to >= this.cpuSpan) {
      if (matrix === undefined) throw new RangeError(`NUMA node ${homeNode} is not a node of ${this.name}`);
      this.cpu(from);
      this.cpu(to);
    }
    return cost as number;
  }

  private computeTransferNs(from: number, to: number, homeNode: number): number {
    if (from === to) return 0;
    if (!this.hardware.numa && this.cpu(from).socket !== this.cpu(to).socket) return this.flatCost(this.cpu(from), this.cpu(to));
    const measured = this.table?.[from]?.[to];
    if (measured !== undefined && !Number.isNaN(measured)) return this.measuredCost(from, to, homeNode, measured);
    return this.classCost(from, to, homeNode);
  }

  abstract fanOutUnit(id: number): number;
  abstract fanOutReadNs(unit: number, homeNode: number): number;

  upgradeNs(cpu: number, homeNode: number): number {
    const value = this.upgradeByHomeSocket[this.socketOfNode(homeNode)]?.[cpu];
    if (value === undefined) {
      this.cpu(cpu);
      throw new RangeError(`NUMA node ${homeNode} is not a node of ${this.name}`);
    }
    return value;
  }

  memoryNs(cpu: number, node: number): number {
    const memory = this.model.parameters;
    if (!this.hardware.numa || this.cpu(cpu).node === node) return memory.dramLocal.value;
    const remoteNs = (memory.dramRemote ?? memory.dramLocal).value;
    const extraNs = this.extraHopsNs(this.cpu(cpu).socket, this.socketOfNode(node));
    return extraNs === 0 ? remoteNs : remoteNs + extraNs;
  }

  perCpuLineNs(reader: number, owner: number): number {
    if (reader === owner) return 0;
    const ownerNode = this.cpu(owner).node;
    if (owner < this.cpuSpan && this.workloadCpu[owner] === 1) return this.transferNs(owner, reader, ownerNode);
    return this.memoryNs(reader, ownerNode);
  }

  /** Mean transfer into each CPU from the possible CPUs of other fan-out units, line homed on `homeNode`. */
  private meanTransfersIn(homeNode: number): Float64Array {
    const means = new Float64Array(this.cpuSpan);
    for (const to of this.possibleCpus) {
      const unit = this.fanOutUnit(to.id);
      let sum = 0;
      let count = 0;
      for (const from of this.possibleCpus) {
        if (this.fanOutUnit(from.id) === unit) continue;
        sum += this.transferNs(from.id, to.id, homeNode);
        count++;
      }
      means[to.id] = count === 0 ? 0 : sum / count;
    }
    return means;
  }

  protected socketOfNode(node: number): number {
    return Math.floor(node / this.model.nodesPerSocket);
  }

  /** The socket hop on a home request from another socket (1 with NUMA switched off). */
  protected get hopFactor(): number {
    return this.hardware.numa ? this.model.socketHopFactor.value : 1;
  }

  /** Interconnect hops between two sockets (1 between any two unless the model says otherwise). */
  protected hops(a: number, b: number): number {
    return a === b ? 0 : (this.model.socketHops?.[a]?.[b] ?? 1);
  }

  /** What the hops past the first add to a move between sockets `a` and `b`, ns (0 within one hop). */
  protected extraHopsNs(a: number, b: number): number {
    const hops = this.hops(a, b);
    return hops > 1 ? (hops - 1) * (this.model.extraHopNs ?? 0) : 0;
  }

  /** The hop factor of a home request from `unitSocket` to the home on `homeSocket`, scaled by the latency of the extra hops. */
  protected remoteFactor(unitSocket: number, homeSocket: number): number {
    if (unitSocket === homeSocket) return 1;
    const extraNs = this.hardware.numa ? this.extraHopsNs(unitSocket, homeSocket) : 0;
    if (extraNs === 0) return this.hopFactor;
    const cross = this.model.latency.crossSocket;
    const oneHopNs = cross === undefined ? this.model.latency.sameDomain.baseNs : cross.baseNs + cross.offsetMaxNs;
    return (this.hopFactor * (oneHopNs + extraNs)) / oneHopNs;
  }

  /** A cross-socket pair's cost with NUMA switched off: what the pair would cost on one socket. */
  protected flatCost(a: Cpu, b: Cpu): number {
    if (a.core === b.core) return this.model.latency.smt?.value ?? this.model.latency.sameDomain.baseNs;
    const perSocket = this.model.domainsPerSocket;
    if (a.domain % perSocket === b.domain % perSocket) return this.additive(this.model.latency.sameDomain, a, b);
    return this.crossDomainCost(a, b, a.node);
  }

  protected additive(cost: AdditiveCost, a: Cpu, b: Cpu): number {
    return cost.baseNs + cost.offsetMaxNs * (this.coreOffset[a.core] + this.coreOffset[b.core]);
  }

  /** A measured pair value, adjusted for effects the measurement could not see (the line's home). */
  protected measuredCost(_from: number, _to: number, _homeNode: number, measuredNs: number): number {
    return measuredNs;
  }

  protected classCost(from: number, to: number, homeNode: number): number {
    const a = this.cpu(from);
    const b = this.cpu(to);
    const latency = this.model.latency;
    if (a.core === b.core) return latency.smt?.value ?? latency.sameDomain.baseNs;
    if (a.domain === b.domain) return this.additive(latency.sameDomain, a, b);
    if (a.socket === b.socket) return this.crossDomainCost(a, b, homeNode);
    const extraNs = this.extraHopsNs(a.socket, b.socket);
    const oneHopNs = this.additive(latency.crossSocket ?? latency.sameDomain, a, b);
    return extraNs === 0 ? oneHopNs : oneHopNs + extraNs;
  }

  protected crossDomainCost(a: Cpu, b: Cpu, _homeNode: number): number {
    const cross = this.model.latency.crossDomain;
    if (cross === undefined) return this.additive(this.model.latency.sameDomain, a, b);
    const group = (cpu: Cpu): number => Math.floor((cpu.domain % this.model.domainsPerSocket) / cross.groupSize);
    return group(a) === group(b) ? cross.sameGroupNs : cross.otherGroupNs;
  }
}

/** Intel and Graviton: one home agent per line for every core; spinners served per physical core. */
class MeshTopology extends CacheTopology {
  readonly kind = 'mesh' as const;

  fanOutUnit(id: number): number {
    return this.cpu(id).core;
  }

  fanOutReadNs(unit: number, homeNode: number): number {
    const unitSocket = this.socketOfCore.get(unit);
    if (unitSocket === undefined) throw new RangeError(`core ${unit} is not a core of ${this.name}`);
    const hop = this.remoteFactor(unitSocket, this.socketOfNode(homeNode));
    return this.model.parameters.fanOutRead.value * hop;
  }
}

/** AMD: L3 per CCD serves its own spinners; cross-CCD moves go through the home on the IO die. */
class ChipletTopology extends CacheTopology {
  readonly kind = 'chiplet' as const;

  fanOutUnit(id: number): number {
    return this.cpu(id).domain;
  }

  fanOutReadNs(unit: number, homeNode: number): number {
    const unitSocket = Math.floor(unit / this.model.domainsPerSocket);
    const hop = this.remoteFactor(unitSocket, this.socketOfNode(homeNode));
    return this.model.parameters.fanOutRead.value * hop;
  }

  protected override crossDomainCost(a: Cpu, b: Cpu, homeNode: number): number {
    const remote = this.model.latency.remoteHomeCrossDomain;
    if (remote !== undefined && this.hardware.numa && this.socketOfNode(homeNode) !== a.socket) return remote.value + this.extraHopsNs(a.socket, this.socketOfNode(homeNode));
    return super.crossDomainCost(a, b, homeNode);
  }

  protected override measuredCost(from: number, to: number, homeNode: number, measuredNs: number): number {
    const a = this.cpu(from);
    const b = this.cpu(to);
    const remote = this.model.latency.remoteHomeCrossDomain;
    if (remote !== undefined && this.hardware.numa && a.socket === b.socket && a.domain !== b.domain && this.socketOfNode(homeNode) !== a.socket) return remote.value + this.extraHopsNs(a.socket, this.socketOfNode(homeNode));
    return measuredNs;
  }
}

function pairClass(a: Cpu, b: Cpu): DistanceClass {
  if (a.id === b.id) return 'self';
  if (a.core === b.core) return 'smt';
  if (a.domain === b.domain) return 'domain';
  if (a.socket === b.socket) return 'cross-domain';
  return 'cross-socket';
}

function variantError(model: MachineModel, field: string, message: string, expected: string, found: string): InputError {
  return new InputError(message, { file: model.variant !== undefined ? model.file : undefined, path: `variant.${field}`, expected, found });
}

/** Suffix naming a variant, e.g. "+ht-off+socket0". */
export function variantSuffix(variant: VariantSpec, familyHomeNode: number): string {
  let suffix = '';
  if (variant.smt === false) suffix += '+ht-off';
  if (variant.nosmt === true) suffix += '+nosmt';
  if (variant.sockets !== undefined) suffix += `+socket${variant.sockets.join(',')}`;
  if (variant.cpuset !== undefined) suffix += `+cpuset=${formatCpuList(parseCpuList(variant.cpuset))}`;
  if (variant.globalsHomeNode !== undefined && variant.globalsHomeNode !== familyHomeNode) suffix += `+home${variant.globalsHomeNode}`;
  return suffix;
}

/** The three CPU sets of a built machine. */
interface CpuSets {
  /** What for_each_possible_cpu walks. */
  readonly possible: readonly Cpu[];
  /** What the kernel runs: possible less the second threads under `nosmt`. */
  readonly kernelOnline: readonly Cpu[];
  /** What the workload may use: kernel-online, held to the variant's sockets and cpuset. */
  readonly online: readonly Cpu[];
}

/**
 * A frozen Topology for `model` with `variant` applied on top of the model's
 * own variant (if it is a variant file); `hardware` switches mechanisms off
 * for an ablation.
 */
export function buildTopology(model: MachineModel, variant: VariantSpec = {}, hardware: HardwareSwitches = ALL_HARDWARE): Topology {
  const merged: VariantSpec = { ...model.variant, ...variant };
  const allCpus = layoutCpus(model, (path, message, detail) => {
    throw new InputError(message, { file: model.file, path: path.join('.'), ...detail });
  });
  if (merged.smt === false && merged.nosmt === true) {
    throw variantError(model, 'nosmt', 'HT off twice: with CPU options (+ht-off) the second threads do not exist for nosmt to take offline', 'one of +ht-off and +nosmt', JSON.stringify(merged));
  }
  const possible = merged.smt === false ? allCpus.filter((c) => c.thread === 0) : allCpus;
  const kernelOnline = merged.nosmt === true ? possible.filter((c) => c.thread === 0) : possible;
  let online = kernelOnline;
  if (merged.sockets !== undefined) {
    for (const socket of merged.sockets) {
      if (socket >= model.sockets) {
        throw variantError(model, 'sockets', `socket ${socket} does not exist on ${model.variantOf ?? model.name}`, `socket numbers 0-${model.sockets - 1}`, String(socket));
      }
    }
    const keep = new Set(merged.sockets);
    online = online.filter((c) => keep.has(c.socket));
  }
  if (merged.cpuset !== undefined) {
    const ids = parseCpuList(merged.cpuset, { file: model.variant !== undefined ? model.file : undefined, path: 'variant.cpuset' });
    const onlineIds = new Set(kernelOnline.map((c) => c.id));
    const missing = ids.filter((id) => !onlineIds.has(id));
    if (missing.length > 0) {
      throw variantError(
        model,
        'cpuset',
        `CPU ${missing[0]} is not an online CPU of ${model.name}${merged.smt === false || merged.nosmt === true ? ' with SMT off' : ''}`,
        `CPUs within ${formatCpuList(kernelOnline.map((c) => c.id))}`,
        `"${merged.cpuset}"`,
      );
    }
    const keep = new Set(ids);
    online = online.filter((c) => keep.has(c.id));
  }
  if (online.length === 0) throw variantError(model, 'cpuset', 'the variant leaves no CPU online', 'at least one online CPU', JSON.stringify(merged));
  const home = merged.globalsHomeNode ?? model.globalsHomeNode;
  if (home >= model.numaNodes) {
    throw variantError(model, 'globalsHomeNode', `NUMA node ${home} does not exist on ${model.variantOf ?? model.name}`, `a node 0-${model.numaNodes - 1}`, String(home));
  }
  const name = `${model.name}${variantSuffix(variant, model.globalsHomeNode)}`;
  const sets: CpuSets = { possible, kernelOnline, online };
  const topology = model.kind === 'mesh' ? new MeshTopology(model, name, sets, home, hardware) : new ChipletTopology(model, name, sets, home, hardware);
  return Object.freeze(topology);
}
