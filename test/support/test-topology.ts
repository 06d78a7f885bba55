/**
 * Tiny hand-built topologies implementing the Topology contract, so the lock
 * and coherence tests do not depend on the model files or their loader.
 * Linux numbering: cpu id = thread * cores + core, cores numbered socket by
 * socket (or CCD by CCD), so ids fill thread 0 of every core first.
 */
import type { Cpu, DistanceClass, Topology } from '../../src/topology/topology.js';

export interface MeshTopologyOptions {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** c2c transfer inside one socket's mesh, ns. */
  sameDomainNs: number;
  crossSocketNs: number;
  smtNs: number;
  /** Home time per spinner re-read from the home's socket, ns. */
  readNs: number;
  /** Home time per re-read from another socket; default readNs x crossSocketNs / sameDomainNs. */
  remoteReadNs?: number;
  /** Share of a transfer's latency it holds the home for. */
  homeOccupancy: number;
  smtSlowdown: number;
  name?: string;
  /** Memory latency of a line no cache holds, ns (local node, other node). */
  memoryNs?: number;
  remoteMemoryNs?: number;
  missesInFlight?: number;
}

export interface ChipletTopologyOptions {
  ccds: number;
  coresPerCcd: number;
  threadsPerCore?: number;
  /** c2c transfer inside one CCD, ns. */
  intraCcdNs: number;
  crossCcdNs: number;
  smtNs?: number;
  /** IO-die home time per CCD re-read, ns. */
  readNs: number;
  homeOccupancy: number;
  smtSlowdown?: number;
  name?: string;
}

interface Shape {
  name: string;
  kind: 'mesh' | 'chiplet';
  domains: number;
  coresPerDomain: number;
  domainsPerSocket: number;
  threadsPerCore: number;
  costs: Record<DistanceClass, number>;
  readNs: (unitSocket: number, homeNode: number) => number;
  homeOccupancy: number;
  smtSlowdown: number;
  memoryNs: number;
  remoteMemoryNs: number;
  missesInFlight: number;
}

function buildTopology(shape: Shape): Topology {
  const cores = shape.domains * shape.coresPerDomain;
  const cpus: Cpu[] = [];
  for (let thread = 0; thread < shape.threadsPerCore; thread++) {
    for (let core = 0; core < cores; core++) {
      const domain = Math.floor(core / shape.coresPerDomain);
      const socket = Math.floor(domain / shape.domainsPerSocket);
      cpus.push(Object.freeze({ id: thread * cores + core, core, thread, domain, socket, node: socket }));
    }
  }
  const frozen = Object.freeze(cpus);
  const cpu = (id: number): Cpu => {
    const found = frozen[id];
    if (found === undefined) throw new RangeError(`no cpu ${id}`);
    return found;
  };
  const distanceClass = (from: number, to: number): DistanceClass => {
    if (from === to) return 'self';
    const a = cpu(from);
    const b = cpu(to);
    if (a.core === b.core) return 'smt';
    if (a.domain === b.domain) return 'domain';
    if (a.socket === b.socket) return 'cross-domain';
    return 'cross-socket';
  };
  const siblings = frozen.map((a) => Object.freeze(frozen.filter((b) => b.core === a.core && b.id !== a.id).map((b) => b.id)));
  const fanOutUnit = (id: number): number => (shape.kind === 'mesh' ? cpu(id).core : cpu(id).domain);
  const transferNs = (from: number, to: number): number => shape.costs[distanceClass(from, to)];
  // Mean transfer into each CPU from the other fan-out units (the cost of an upgrade).
  const upgrade = frozen.map((to) => {
    const others = frozen.filter((from) => fanOutUnit(from.id) !== fanOutUnit(to.id));
    return others.length === 0 ? 0 : others.reduce((sum, from) => sum + transferNs(from.id, to.id), 0) / others.length;
  });
  const memoryNs = (reader: number, node: number): number => (cpu(reader).node === node ? shape.memoryNs : shape.remoteMemoryNs);
  const socketCount = Math.ceil(shape.domains / shape.domainsPerSocket);
  return Object.freeze({
    name: shape.name,
    family: shape.name,
    kind: shape.kind,
    cpus: frozen,
    onlineCpus: frozen,
    possibleCpus: frozen,
    socketCount,
    domainCount: shape.domains,
    nodeCount: socketCount,
    threadsPerCore: shape.threadsPerCore,
    globalsHomeNode: 0,
    cpu,
    siblings: (id: number) => siblings[cpu(id).id],
    distanceClass,
    transferNs,
    fanOutUnit,
    fanOutReadNs: (unit: number, homeNode: number) => {
      const domain = shape.kind === 'mesh' ? Math.floor(unit / shape.coresPerDomain) : unit;
      return shape.readNs(Math.floor(domain / shape.domainsPerSocket), homeNode);
    },
    homeOccupancy: shape.homeOccupancy,
    upgradeNs: (id: number) => upgrade[cpu(id).id],
    memoryNs,
    smtSlowdown: shape.smtSlowdown,
    smtSpinSlowdown: shape.smtSlowdown,
    // Every CPU runs the workload here: its counter line is Modified in its own cache.
    perCpuLineNs: (reader: number, owner: number) => (reader === owner ? 0 : transferNs(owner, reader)),
    missesInFlight: shape.missesInFlight,
  });
}

export function meshTopology(options: MeshTopologyOptions): Topology {
  const remoteReadNs =
    options.remoteReadNs ?? (options.sameDomainNs > 0 ? (options.readNs * options.crossSocketNs) / options.sameDomainNs : options.readNs);
  return buildTopology({
    name: options.name ?? `mesh-${options.sockets}s${options.coresPerSocket}c${options.threadsPerCore}t`,
    kind: 'mesh',
    domains: options.sockets,
    coresPerDomain: options.coresPerSocket,
    domainsPerSocket: 1,
    threadsPerCore: options.threadsPerCore,
    costs: {
      self: 0,
      smt: options.smtNs,
      domain: options.sameDomainNs,
      'cross-domain': options.sameDomainNs,
      'cross-socket': options.crossSocketNs,
    },
    readNs: (unitSocket, homeNode) => (unitSocket === homeNode ? options.readNs : remoteReadNs),
    homeOccupancy: options.homeOccupancy,
    smtSlowdown: options.smtSlowdown,
    memoryNs: options.memoryNs ?? 100,
    remoteMemoryNs: options.remoteMemoryNs ?? 180,
    missesInFlight: options.missesInFlight ?? 10,
  });
}

export function chipletTopology(options: ChipletTopologyOptions): Topology {
  return buildTopology({
    name: options.name ?? `chiplet-${options.ccds}x${options.coresPerCcd}`,
    kind: 'chiplet',
    domains: options.ccds,
    coresPerDomain: options.coresPerCcd,
    domainsPerSocket: options.ccds,
    threadsPerCore: options.threadsPerCore ?? 1,
    costs: {
      self: 0,
      smt: options.smtNs ?? 10,
      domain: options.intraCcdNs,
      'cross-domain': options.crossCcdNs,
      'cross-socket': options.crossCcdNs,
    },
    readNs: () => options.readNs,
    homeOccupancy: options.homeOccupancy,
    smtSlowdown: options.smtSlowdown ?? 1,
    memoryNs: 110,
    remoteMemoryNs: 200,
    missesInFlight: 24,
  });
}

/** Every cost zero: locks reduce to FIFO servers (queueing-theory checks). */
export function uniformZeroTopology(cpus: number): Topology {
  return meshTopology({
    sockets: 1,
    coresPerSocket: cpus,
    threadsPerCore: 1,
    sameDomainNs: 0,
    crossSocketNs: 0,
    smtNs: 0,
    readNs: 0,
    homeOccupancy: 0,
    memoryNs: 0,
    remoteMemoryNs: 0,
    smtSlowdown: 1,
    name: 'uniform-zero',
  });
}

/**
 * The three R8 families with docs/hardware.md's medians. Home occupancy and
 * SMT slowdown are the uncertain values, one for all families.
 */
export const HOME_OCCUPANCY = 1;
export const SMT_SLOWDOWN = 1.2;
export const READ_NS = 15;

export function r5MetalLike(): Topology {
  return meshTopology({
    name: 'r5.metal-like', sockets: 2, coresPerSocket: 24, threadsPerCore: 2,
    sameDomainNs: 46.8, crossSocketNs: 134, smtNs: 7.6, readNs: READ_NS, homeOccupancy: HOME_OCCUPANCY, smtSlowdown: SMT_SLOWDOWN,
  });
}

export function m7iLike(threadsPerCore: 1 | 2): Topology {
  return meshTopology({
    name: threadsPerCore === 2 ? 'm7i-like' : 'm7i-like+ht-off', sockets: 1, coresPerSocket: 48, threadsPerCore,
    sameDomainNs: 55, crossSocketNs: 135, smtNs: 8, readNs: READ_NS, homeOccupancy: HOME_OCCUPANCY, smtSlowdown: SMT_SLOWDOWN,
  });
}

export function m7aLike(): Topology {
  return chipletTopology({
    name: 'm7a-like', ccds: 12, coresPerCcd: 8, intraCcdNs: 27, crossCcdNs: 99, readNs: READ_NS, homeOccupancy: HOME_OCCUPANCY,
  });
}
