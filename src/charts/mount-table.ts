/**
 * Size of the mount table over simulated time, one line per machine: the
 * "mount table ballooned" symptom. Drawn as steps because the size changes
 * only at mount and unmount events and is constant in between.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

export interface MountTableRow {
  machine: string;
  /** Simulated time, in seconds since the start of the run. */
  timeS: number;
  /** Mounts in the table at that time. */
  mounts: number;
}

export function mountTableSpec(rows: readonly MountTableRow[], options: ChartOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Mount table size', subtitle: 'Mounts present in the mount namespace over time.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, timeS: row.timeS, mounts: row.mounts })) },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'timeS', type: 'quantitative', title: 'Simulated time (s)' },
      y: { field: 'mounts', type: 'quantitative', title: 'Mounts in the table (count)' },
      color: { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) },
    },
  };
}
