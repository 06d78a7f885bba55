/**
 * Lock handoffs by topological distance: how far the lock's cache line travels
 * each time it changes owner (SMT sibling, same L3/CCX, same socket, across
 * sockets...). Bars are grouped by distance class, one bar per machine, so the
 * cross-socket handoffs of a 2-socket machine stand out next to a 1-socket one.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, VEGA_LITE_SCHEMA, distinctInOrder, machineColorScale, machineDomain } from './theme.js';

export interface HandoffsRow {
  machine: string;
  /** Distance class name, nearest first (order of first appearance is kept on the axis). */
  distanceClass: string;
  /** Number of handoffs in that class. */
  count: number;
}

export interface HandoffsOptions extends ChartOptions {
  /** Distance classes nearest first; classes not listed follow in order of first appearance. */
  distanceClasses?: readonly string[];
}

export function handoffsSpec(rows: readonly HandoffsRow[], options: HandoffsOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const distanceClasses = distinctInOrder([...(options.distanceClasses ?? []), ...rows.map((row) => row.distanceClass)]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Lock handoffs by distance', subtitle: 'How far the lock moved each time it changed owner.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, distanceClass: row.distanceClass, count: row.count })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'distanceClass', type: 'nominal', title: 'Distance between previous and next owner', sort: distanceClasses, axis: { labelAngle: 0 } },
      xOffset: { field: 'machine', type: 'nominal', sort: machines },
      y: { field: 'count', type: 'quantitative', aggregate: 'sum', title: 'Lock handoffs (count)' },
      color: { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) },
    },
  };
}
