/**
 * pause_bench: per-acquisition latency of one global spinlock against the
 * number of threads hammering it, one line per machine (or machine variant,
 * such as "m7i HT off"). A log y axis helps when one topology is an order of
 * magnitude worse than the others at high thread counts. Variants of one
 * machine often draw the same line over part of the range, so each series
 * also has its own dash and point shape: a line under another still shows.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, LINE_DASHES, POINT_SHAPES, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

export interface PauseBenchRow {
  machine: string;
  threads: number;
  /** Mean time from requesting the lock to holding it, in nanoseconds. */
  latencyNs: number;
}

export interface PauseBenchOptions extends ChartOptions {
  /** Logarithmic latency axis (default false). */
  logY?: boolean;
}

export function pauseBenchSpec(rows: readonly PauseBenchRow[], options: PauseBenchOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'pause_bench: lock acquisition latency', subtitle: 'N threads spinning on one global lock.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, threads: row.threads, latencyNs: row.latencyNs })) },
    mark: { type: 'line', point: { size: 60, filled: false, strokeWidth: 1.5 } },
    encoding: {
      x: { field: 'threads', type: 'quantitative', title: 'Threads', axis: { tickMinStep: 1 } },
      y: {
        field: 'latencyNs',
        type: 'quantitative',
        title: options.logY === true ? 'Latency per acquisition (ns, log scale)' : 'Latency per acquisition (ns)',
        scale: options.logY === true ? { type: 'log' } : { zero: true },
      },
      color: { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) },
      strokeDash: { field: 'machine', type: 'nominal', title: 'Machine', scale: { domain: machines, range: machines.map((_, i) => [...LINE_DASHES[i % LINE_DASHES.length]]) } },
      shape: { field: 'machine', type: 'nominal', title: 'Machine', scale: { domain: machines, range: machines.map((_, i) => POINT_SHAPES[i % POINT_SHAPES.length]) } },
    },
  };
}
