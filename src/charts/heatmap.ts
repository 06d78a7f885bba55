/**
 * CPU-to-CPU cost heatmap of a topology: one cell per (from, to) pair of online
 * CPUs, coloured by the one-way transfer cost with the line homed at the
 * globals' home node. Block structure (sockets, CCDs, SMT diagonals) should be
 * visible at a glance, which is what the chart is for.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Topology } from '../topology/index.js';

export interface HeatmapOptions {
  /** NUMA node where the line lives; default the topology's globals home node. */
  homeNode?: number;
  /** Side of the square plot in px. */
  sizePx?: number;
}

export function topologyHeatmapSpec(topology: Topology, options: HeatmapOptions = {}): TopLevelSpec {
  const home = options.homeNode ?? topology.globalsHomeNode;
  const ids = topology.cpus.map((c) => c.id);
  const values: { from: number; to: number; ns: number; cls: string }[] = [];
  for (const from of ids) {
    for (const to of ids) values.push({ from, to, ns: Math.round(topology.transferNs(from, to, home) * 10) / 10, cls: topology.distanceClass(from, to) });
  }
  // Tick every socket/domain boundary would crowd 24 CCDs; a tick per 8 or 16 CPUs reads well.
  const step = ids.length > 96 ? 16 : 8;
  const ticks = ids.filter((_, i) => i % step === 0);
  const size = options.sizePx ?? 560;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${topology.name}: one-way cache-line transfer cost`,
      subtitle: `${ids.length} CPUs, line homed on NUMA node ${home}; model values (ns)`,
    },
    width: size,
    height: size,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'to', type: 'ordinal', title: 'to CPU', sort: 'ascending', axis: { values: ticks, labelAngle: 0, ticks: false } },
      y: { field: 'from', type: 'ordinal', title: 'from CPU', sort: 'ascending', axis: { values: ticks, ticks: false } },
      color: { field: 'ns', type: 'quantitative', title: 'ns', scale: { scheme: 'viridis', zero: true } },
      tooltip: [
        { field: 'from', type: 'ordinal' },
        { field: 'to', type: 'ordinal' },
        { field: 'cls', type: 'nominal', title: 'class' },
        { field: 'ns', type: 'quantitative', title: 'ns' },
      ],
    },
    config: { view: { stroke: null }, axis: { grid: false, domain: false } },
  };
}
