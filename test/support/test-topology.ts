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
  homeServiceNs: number;
  smtSlowdown: number;
  name?: string;
  perCpuLocalNs?: number;
  perCpuRemoteNs?: number;
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
  homeServiceNs: number;
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
  homeServiceNs: number;
  smtSlowdown: number;
  perCpuLocalNs: number;
  perCpuRemoteNs: number;
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
  const socketCount = Math.ceil(shape.domains / shape.domainsPerSocket);
  return Object.freeze({
    name: shape.name,
    family: shape.name,
    kind: shape.kind,
    cpus: frozen,
    possibleCpus: frozen,
    socketCount,
    domainCount: shape.domains,
    nodeCount: socketCount,
    threadsPerCore: shape.threadsPerCore,
    globalsHomeNode: 0,
    cpu,
    siblings: (id: number) => siblings[cpu(id).id],
    distanceClass,
    transferNs: (from: number, to: number) => shape.costs[distanceClass(from, to)],
    fanOutUnit: (id: number) => (shape.kind === 'mesh' ? cpu(id).core : cpu(id).domain),
    fanOutReadNs: (unit: number, homeNode: number) => {
      const domain = shape.kind === 'mesh' ? Math.floor(unit / shape.coresPerDomain) : unit;
      return shape.readNs(Math.floor(domain / shape.domainsPerSocket), homeNode);
    },
    homeServiceNs: shape.homeServiceNs,
    smtSlowdown: shape.smtSlowdown,
    smtSpinSlowdown: shape.smtSlowdown,
    perCpuReadNs: (reader: number, owner: number) =>
      cpu(reader).socket === cpu(owner).socket ? shape.perCpuLocalNs : shape.perCpuRemoteNs,
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
    homeServiceNs: options.homeServiceNs,
    smtSlowdown: options.smtSlowdown,
    perCpuLocalNs: options.perCpuLocalNs ?? 5,
    perCpuRemoteNs: options.perCpuRemoteNs ?? 120,
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
    homeServiceNs: options.homeServiceNs,
    smtSlowdown: options.smtSlowdown ?? 1,
    perCpuLocalNs: 5,
    perCpuRemoteNs: 120,
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
    homeServiceNs: 0,
    smtSlowdown: 1,
    name: 'uniform-zero',
  });
}

/**
 * The three R8 families with docs/hardware.md's medians. Home service and SMT
 * slowdown are the calibrated unknowns, one value for all families.
 */
export const HOME_SERVICE_NS = 30;
export const SMT_SLOWDOWN = 1.2;
export const READ_NS = 15;

export function r5MetalLike(): Topology {
  return meshTopology({
    name: 'r5.metal-like', sockets: 2, coresPerSocket: 24, threadsPerCore: 2,
    sameDomainNs: 46.8, crossSocketNs: 134, smtNs: 7.6, readNs: READ_NS, homeServiceNs: HOME_SERVICE_NS, smtSlowdown: SMT_SLOWDOWN,
  });
}

export function m7iLike(threadsPerCore: 1 | 2): Topology {
  return meshTopology({
    name: threadsPerCore === 2 ? 'm7i-like' : 'm7i-like+ht-off', sockets: 1, coresPerSocket: 48, threadsPerCore,
    sameDomainNs: 55, crossSocketNs: 135, smtNs: 8, readNs: READ_NS, homeServiceNs: HOME_SERVICE_NS, smtSlowdown: SMT_SLOWDOWN,
  });
}

export function m7aLike(): Topology {
  return chipletTopology({
    name: 'm7a-like', ccds: 12, coresPerCcd: 8, intraCcdNs: 27, crossCcdNs: 99, readNs: READ_NS, homeServiceNs: HOME_SERVICE_NS,
  });
}
