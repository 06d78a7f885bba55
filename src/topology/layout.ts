/**
 * Where every logical CPU of a family sits: core, thread, L3 domain, socket,
 * NUMA node. Generated from the counts and the Linux numbering rule, or taken
 * from explicit CPU lists in the file, and checked for consistency either way
 * (every CPU in exactly one domain and one core, siblings that pair, domains of
 * equal size), because a layout error silently skews every handoff cost.
 */
import type { InputErrorDetail } from '../input/errors.js';
import { formatCpuList, parseCpuList } from '../input/cpulist.js';
import type { FieldPath } from '../input/load.js';
import type { MachineModel } from './schema.js';
import type { Cpu } from './topology.js';

/** Reports a problem at a field of the model file; never returns. */
export type LayoutProblem = (path: FieldPath, message: string, detail?: InputErrorDetail) => never;

type LayoutInput = Pick<
  MachineModel,
  'sockets' | 'coresPerSocket' | 'threadsPerCore' | 'domainsPerSocket' | 'nodesPerSocket' | 'numbering' | 'explicitLayout'
>;

/** All possible CPUs of the family, ascending id. */
export function layoutCpus(model: LayoutInput, problem: LayoutProblem): Cpu[] {
  const { sockets, coresPerSocket, threadsPerCore, domainsPerSocket, nodesPerSocket } = model;
  const vcpus = sockets * coresPerSocket * threadsPerCore;
  const coresPerDomain = coresPerSocket / domainsPerSocket;
  const coreOf = new Array<number>(vcpus);
  const threadOf = new Array<number>(vcpus);
  const domainOf = new Array<number>(vcpus);
  for (let socket = 0; socket < sockets; socket++) {
    for (let coreInSocket = 0; coreInSocket < coresPerSocket; coreInSocket++) {
      const core = socket * coresPerSocket + coreInSocket;
      for (let thread = 0; thread < threadsPerCore; thread++) {
        const id = model.numbering === 'siblings-adjacent' ? core * threadsPerCore + thread : thread * sockets * coresPerSocket + core;
        coreOf[id] = core;
        threadOf[id] = thread;
        domainOf[id] = socket * domainsPerSocket + Math.floor(coreInSocket / coresPerDomain);
      }
    }
  }

  const explicitSiblings = model.explicitLayout?.siblings;
  if (explicitSiblings !== undefined) {
    const path = (k?: number): FieldPath => (k === undefined ? ['topology', 'siblings'] : ['topology', 'siblings', k]);
    if (explicitSiblings.length !== sockets * coresPerSocket) {
      problem(path(), 'one sibling list per physical core is needed', {
        expected: `${sockets * coresPerSocket} lists (sockets × coresPerSocket)`,
        found: `${explicitSiblings.length}`,
      });
    }
    const seen = new Map<number, number>();
    explicitSiblings.forEach((group, k) => {
      if (group.length !== threadsPerCore) {
        problem(path(k), `siblings do not pair: core ${k} lists ${group.length} hardware thread(s)`, {
          expected: `${threadsPerCore} CPUs per core (threadsPerCore)`,
          found: `"${formatCpuList(group)}"`,
        });
      }
      group.forEach((id, thread) => {
        if (id >= vcpus) problem(path(k), `CPU ${id} does not exist`, { expected: `CPU ids 0-${vcpus - 1}`, found: String(id) });
        const other = seen.get(id);
        if (other !== undefined) {
          problem(path(k), `CPU ${id} is listed in two cores`, { expected: 'each CPU in exactly one sibling list', found: `also in siblings[${other}]` });
        }
        seen.set(id, k);
        coreOf[id] = k;
        threadOf[id] = thread;
      });
    });
  }

  const explicitDomains = model.explicitLayout?.domains;
  if (explicitDomains !== undefined) {
    const path = (k?: number): FieldPath => (k === undefined ? ['topology', 'l3Domains'] : ['topology', 'l3Domains', k]);
    if (explicitDomains.length !== sockets * domainsPerSocket) {
      problem(path(), 'one CPU list per L3 domain is needed', {
        expected: `${sockets * domainsPerSocket} lists (sockets × l3DomainsPerSocket)`,
        found: `${explicitDomains.length}`,
      });
    }
    const seen = new Map<number, number>();
    explicitDomains.forEach((list, k) => {
      if (list.length !== coresPerDomain * threadsPerCore) {
        problem(path(k), `L3 domain ${k} has ${list.length} CPUs`, {
          expected: `${coresPerDomain * threadsPerCore} CPUs (cores per domain × threadsPerCore)`,
          found: `"${formatCpuList(list)}"`,
        });
      }
      for (const id of list) {
        if (id >= vcpus) problem(path(k), `CPU ${id} does not exist`, { expected: `CPU ids 0-${vcpus - 1}`, found: String(id) });
        const other = seen.get(id);
        if (other !== undefined) {
          problem(path(k), `CPU ${id} is in two L3 domains`, { expected: 'each CPU in exactly one L3 domain', found: `CPU ${id} also in l3Domains[${other}]` });
        }
        seen.set(id, k);
        domainOf[id] = k;
      }
    });
  }

  // A core's threads share its L1/L2, so they must share its L3 domain.
  const domainOfCore = new Map<number, { domain: number; id: number }>();
  for (let id = 0; id < vcpus; id++) {
    const known = domainOfCore.get(coreOf[id]);
    if (known === undefined) domainOfCore.set(coreOf[id], { domain: domainOf[id], id });
    else if (known.domain !== domainOf[id]) {
      const at: FieldPath = explicitSiblings !== undefined ? ['topology', 'siblings', coreOf[id]] : ['topology', 'l3Domains'];
      problem(at, `siblings do not pair: CPUs ${known.id} and ${id} share core ${coreOf[id]} but sit in L3 domains ${known.domain} and ${domainOf[id]}`, {
        expected: 'the hardware threads of a core in one L3 domain',
        found: `domains ${known.domain} and ${domainOf[id]}`,
      });
    }
  }

  // NUMA node: consecutive cores of a socket split evenly between its nodes.
  const coresBySocket = new Map<number, number[]>();
  for (let id = 0; id < vcpus; id++) {
    if (threadOf[id] !== 0) continue;
    const socket = Math.floor(domainOf[id] / domainsPerSocket);
    const list = coresBySocket.get(socket) ?? [];
    list.push(coreOf[id]);
    coresBySocket.set(socket, list);
  }
  const nodeOfCore = new Map<number, number>();
  for (const [socket, cores] of coresBySocket) {
    cores.forEach((core, rank) => nodeOfCore.set(core, socket * nodesPerSocket + Math.floor((rank * nodesPerSocket) / cores.length)));
  }

  const cpus: Cpu[] = [];
  for (let id = 0; id < vcpus; id++) {
    const socket = Math.floor(domainOf[id] / domainsPerSocket);
    cpus.push(Object.freeze({ id, core: coreOf[id], thread: threadOf[id], domain: domainOf[id], socket, node: nodeOfCore.get(coreOf[id]) ?? socket * nodesPerSocket }));
  }
  return cpus;
}

/** Parses the explicit CPU lists of a file, reporting bad list syntax at its field. */
export function parseLayoutLists(lists: readonly string[] | undefined, field: 'l3Domains' | 'siblings', problem: LayoutProblem): number[][] | undefined {
  if (lists === undefined) return undefined;
  return lists.map((text, k) => {
    try {
      return parseCpuList(text);
    } catch (error) {
      const detail = (error as { detail?: InputErrorDetail }).detail ?? {};
      return problem(['topology', field, k], (error as Error).message, { expected: detail.expected, found: detail.found });
    }
  });
}
