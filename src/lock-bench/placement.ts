/**
 * Where a lock benchmark's threads run: one thread per CPU, pinned, picked
 * from the machine's workload CPUs (after its variant) by a placement rule.
 */
import type { Cpu, Topology } from '../topology/index.js';

/**
 * compact: CPUs in Linux order (thread 0 of every core first on most
 * machines); spread: round-robin over the L3 domains; one-socket: socket 0
 * in Linux order; `{cpus}`: these CPUs, in the order given (a cpuset).
 */
export type BenchPlacement = 'compact' | 'spread' | 'one-socket' | { readonly cpus: readonly number[] };

export function describePlacement(placement: BenchPlacement): string {
  return typeof placement === 'string' ? placement : `cpuset ${placement.cpus.join(',')}`;
}

/** The CPUs a placement may use, in the order threads take them. */
export function placementOrder(topology: Topology, placement: BenchPlacement): readonly Cpu[] {
  if (placement === 'compact') return topology.cpus;
  if (placement === 'one-socket') return topology.cpus.filter((cpu) => cpu.socket === 0);
  if (typeof placement === 'object') {
    return placement.cpus.map((id) => {
      const cpu = topology.cpus.find((c) => c.id === id);
      if (cpu === undefined) throw new RangeError(`CPU ${id} is not a workload CPU of ${topology.name}`);
      return cpu;
    });
  }
  const byDomain = new Map<number, Cpu[]>();
  for (const cpu of topology.cpus) {
    const list = byDomain.get(cpu.domain);
    if (list === undefined) byDomain.set(cpu.domain, [cpu]);
    else list.push(cpu);
  }
  const domains = [...byDomain.keys()].sort((a, b) => a - b).map((d) => byDomain.get(d)!);
  const spread: Cpu[] = [];
  for (let i = 0; spread.length < topology.cpus.length; i++) {
    for (const list of domains) if (i < list.length) spread.push(list[i]);
  }
  return spread;
}

/** CPUs the benchmark threads are pinned to, in thread order; a RangeError when they do not fit. */
export function placeThreads(topology: Topology, threads: number, placement: BenchPlacement): number[] {
  const order = placementOrder(topology, placement);
  if (threads < 1 || threads > order.length) {
    throw new RangeError(`${threads} threads do not fit the ${order.length} CPUs of ${topology.name} with placement '${describePlacement(placement)}'`);
  }
  return order.slice(0, threads).map((cpu) => cpu.id);
}
