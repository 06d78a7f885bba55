/**
 * Size of the mount table over simulated time: the "mount table ballooned"
 * symptom. One colour per machine (the family's own), one dash per
 * namespace scope (the host's table, all namespaces together). Drawn as
 * steps because the size changes only at mount and unmount events.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, LINE_DASHES, VEGA_LITE_SCHEMA, distinctInOrder, machineColorScale, machineDomain } from './theme.js';

export interface MountTableRow {
  machine: string;
  /** Which table: "host" (the host mount namespace) or "all namespaces" (propagated copies included). */
  namespace: string;
  /** Simulated time, in seconds since the start of the run. */
  timeS: number;
  /** Mounts in the table at that time. */
  mounts: number;
}

export function mountTableSpec(rows: readonly MountTableRow[], options: ChartOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const scopes = distinctInOrder(rows.map((row) => row.namespace));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Mount table size', subtitle: 'Mounts present over time: solid, all namespaces together; dashed, the host namespace.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, namespace: row.namespace, timeS: row.timeS, mounts: row.mounts })) },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'timeS', type: 'quantitative', title: 'Simulated time (s)' },
      y: { field: 'mounts', type: 'quantitative', title: 'Mounts in the table (count)', scale: { zero: true } },
      color: { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) },
      strokeDash: {
        field: 'namespace',
        type: 'nominal',
        title: 'Table',
        // First scope in the rows solid (all namespaces), the next dashed (host).
        sort: scopes,
        scale: { domain: scopes, range: scopes.map((_, i) => [...LINE_DASHES[i % LINE_DASHES.length]]) },
      },
      detail: { field: 'namespace' },
    },
  };
}
