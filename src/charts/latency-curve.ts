/**
 * Launch latency against concurrency, one line per machine: the chart that
 * answers "how many containers can I launch at once within the health-check
 * deadline". The line is the median (p50); the band spans p90 to p99, so the
 * tail that trips the deadline is visible without drowning the medians.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, type ChartLayer, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

const DEADLINE_COLOR = '#b03a2e';

export interface LatencyCurveRow {
  machine: string;
  containers: number;
  /** Launch latency percentiles across launches, in seconds. */
  p50: number;
  p90: number;
  p99: number;
}

export interface LatencyCurveOptions extends ChartOptions {
  /** Health-check deadline drawn as a labelled horizontal rule, in seconds; null draws none. Default 30. */
  deadlineS?: number | null;
  /** Text next to the rule; default `health-check deadline <deadlineS> s`. */
  deadlineLabel?: string;
}

export function latencyCurveSpec(rows: readonly LatencyCurveRow[], options: LatencyCurveOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const deadlineS = options.deadlineS === undefined ? 30 : options.deadlineS;
  const x = { field: 'containers', type: 'quantitative', title: 'Concurrent container launches', axis: { tickMinStep: 1 } } as const;
  const yTitle = 'Launch latency (s)';
  const color = { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) } as const;
  const deadlineLayers: ChartLayer[] =
    deadlineS === null
      ? []
      : [
          {
            data: { values: [{ deadlineS }] },
            mark: { type: 'rule', color: DEADLINE_COLOR, strokeDash: [6, 4], strokeWidth: 1.5 },
            encoding: { y: { field: 'deadlineS', type: 'quantitative' } },
          },
          {
            data: { values: [{ deadlineS }] },
            mark: { type: 'text', x: 'width', align: 'right', baseline: 'bottom', dy: -4, color: DEADLINE_COLOR, fontSize: 12 },
            encoding: { y: { field: 'deadlineS', type: 'quantitative' }, text: { value: options.deadlineLabel ?? `health-check deadline ${deadlineS} s` } },
          },
        ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Container launch latency', subtitle: 'Line: median (p50). Band: p90 to p99.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, containers: row.containers, p50: row.p50, p90: row.p90, p99: row.p99 })) },
    layer: [
      {
        // fillOpacity, not opacity: the legend merged from both layers would inherit `opacity` and show pale swatches.
        mark: { type: 'area', fillOpacity: 0.18 },
        encoding: { x, y: { field: 'p90', type: 'quantitative', title: yTitle }, y2: { field: 'p99' }, color },
      },
      {
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'p50', type: 'quantitative', title: yTitle }, color },
      },
      ...deadlineLayers,
    ],
  };
}
