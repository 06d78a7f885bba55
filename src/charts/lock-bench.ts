/**
 * A lock benchmark's curves: one quantity (throughput, wait) against the
 * thread count, one line per series (machine, lock, any other swept
 * coordinate). Where the point has a closed form, its value is drawn as a
 * dashed line of the same colour, so simulation and theory read side by side.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, POINT_SHAPES, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

export type LockBenchRow = {
  /** The series (a machine, or a machine and other swept coordinates). */
  machine: string;
  threads: number;
  value: number;
  /** 'simulated', or the closed form's name. */
  source: string;
};

export interface LockBenchChartOptions extends ChartOptions {
  readonly yTitle: string;
  readonly subtitle: string;
  readonly logY?: boolean;
}

export function lockBenchSpec(rows: readonly LockBenchRow[], options: LockBenchChartOptions): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const sources = [...new Set(rows.map((r) => r.source))].sort((a, b) => (a === 'simulated' ? -1 : b === 'simulated' ? 1 : a.localeCompare(b)));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Lock benchmark', subtitle: options.subtitle },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ ...row })) },
    mark: { type: 'line', point: { size: 60, filled: false, strokeWidth: 1.5 } },
    encoding: {
      x: { field: 'threads', type: 'quantitative', title: 'Threads', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: options.yTitle, scale: options.logY === true ? { type: 'log' } : { zero: true } },
      color: { field: 'machine', type: 'nominal', title: 'Series', scale: machineColorScale(machines) },
      detail: { field: 'source', type: 'nominal' },
      strokeDash: { field: 'source', type: 'nominal', title: 'Source', scale: { domain: sources, range: sources.map((s) => (s === 'simulated' ? [1, 0] : [6, 4])) } },
      shape: { field: 'machine', type: 'nominal', title: 'Series', scale: { domain: machines, range: machines.map((_, i) => POINT_SHAPES[i % POINT_SHAPES.length]) } },
    },
  };
}
