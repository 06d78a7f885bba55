/**
 * Lock handoffs by topological distance: how far the lock's cache line travels
 * each time it changes owner (SMT sibling, same L3/CCX, same socket, across
 * sockets...). Bars are grouped by distance class, one bar per machine, so the
 * cross-socket handoffs of a 2-socket machine stand out next to a 1-socket one.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DISTANCE_CLASSES } from '../topology/index.js';
import { average, tidy, type ChartInput, type ChartPlan, type SeriesPoint } from './series.js';
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

/** Handoffs by distance class at each series' largest point, mean over seeds. */
export function handoffChart(input: ChartInput, lockName: string, countsOf: (point: SeriesPoint) => readonly Readonly<Record<string, number>>[]): ChartPlan {
  const rows0 = input.largest.flatMap((p) => {
    const counts = new Map<string, number[]>();
    for (const byClass of countsOf(p)) for (const [distanceClass, count] of Object.entries(byClass)) counts.set(distanceClass, [...(counts.get(distanceClass) ?? []), count]);
    return DISTANCE_CLASSES.filter((c) => counts.has(c)).map((distanceClass) => ({ machine: p.series, distanceClass, count: tidy(average(counts.get(distanceClass)!)) }));
  });
  const classes = DISTANCE_CLASSES.filter((c) => rows0.some((row) => row.distanceClass === c && row.count > 0));
  const rows = rows0.filter((row) => classes.includes(row.distanceClass));
  return {
    name: 'handoffs',
    title: `${lockName} handoffs by distance`,
    caption: `How far the lock's cache line moved each time it changed owner, ${input.atLargest} (mean over seeds). Handoffs across sockets or L3 domains cost the most.`,
    spec: handoffsSpec(rows, { machines: input.series, distanceClasses: classes, title: `${lockName} handoffs by distance, ${input.atLargest}` }),
    rows,
  };
}
