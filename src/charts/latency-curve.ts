/**
 * Launch latency against concurrency, one line per machine: the chart that
 * answers "how many containers can I launch at once within the health-check
 * deadline". The line is the median (p50); the band spans p90 to p99, its
 * edges drawn as thin lines so even a narrow band shows, and the tail that
 * trips the deadline is visible without drowning the medians. Where a value
 * reaches the simulated horizon (unfinished launches count up to it), the
 * horizon is drawn and those points are marked: the true latency is longer.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, type ChartLayer, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartOptions, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

const DEADLINE_COLOR = '#b03a2e';
const HORIZON_COLOR = '#5b6474';

export interface LatencyCurveRow {
  machine: string;
  containers: number;
  /** Launch latency percentiles across launches, in seconds. */
  p50LatencyS: number;
  p90LatencyS: number;
  p99LatencyS: number;
  /** The p99 is the end of the simulated horizon (a lower bound): drawn as an open triangle. */
  atHorizon?: boolean;
}

export interface LatencyCurveOptions extends ChartOptions {
  /** Health-check deadline drawn as a labelled horizontal rule, in seconds; null draws none. Default 30. */
  deadlineS?: number | null;
  /** Text next to the rule; default `health-check deadline <deadlineS> s`. */
  deadlineLabel?: string;
  /** The simulated horizon in s, drawn when some row reaches it (atHorizon); null or omitted draws none. */
  horizonS?: number | null;
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
  const reached = rows.filter((row) => row.atHorizon === true);
  const horizonS = options.horizonS ?? null;
  const horizonLayers: ChartLayer[] =
    horizonS === null || reached.length === 0
      ? []
      : [
          {
            data: { values: [{ horizonS }] },
            mark: { type: 'rule', color: HORIZON_COLOR, strokeDash: [2, 3], strokeWidth: 1.5 },
            encoding: { y: { field: 'horizonS', type: 'quantitative' } },
          },
          {
            data: { values: [{ horizonS }] },
            mark: { type: 'text', x: 0, align: 'left', baseline: 'bottom', dx: 4, dy: -4, color: HORIZON_COLOR, fontSize: 12 },
            encoding: { y: { field: 'horizonS', type: 'quantitative' }, text: { value: `end of the simulated horizon (${horizonS} s): values here are lower bounds` } },
          },
          {
            data: { values: reached.map((row) => ({ machine: row.machine, containers: row.containers, p99LatencyS: row.p99LatencyS })) },
            mark: { type: 'point', shape: 'triangle-up', size: 110, filled: false, strokeWidth: 2 },
            encoding: { x, y: { field: 'p99LatencyS', type: 'quantitative' }, color },
          },
        ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Container launch latency', subtitle: `Line: median (p50). Band: p90 to p99 (edges: thin lines, p99 dashed).${reached.length > 0 ? ' Triangles: p99 at the end of the simulated horizon.' : ''}` },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, containers: row.containers, p50LatencyS: row.p50LatencyS, p90LatencyS: row.p90LatencyS, p99LatencyS: row.p99LatencyS })) },
    layer: [
      {
        // fillOpacity, not opacity: the legend merged from both layers would inherit `opacity` and show pale swatches.
        mark: { type: 'area', fillOpacity: 0.3 },
        encoding: { x, y: { field: 'p90LatencyS', type: 'quantitative', title: yTitle }, y2: { field: 'p99LatencyS' }, color },
      },
      {
        mark: { type: 'line', strokeWidth: 1, strokeDash: [4, 3] },
        encoding: { x, y: { field: 'p99LatencyS', type: 'quantitative', title: yTitle }, color },
      },
      {
        mark: { type: 'line', strokeWidth: 1, strokeOpacity: 0.7 },
        encoding: { x, y: { field: 'p90LatencyS', type: 'quantitative', title: yTitle }, color },
      },
      {
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'p50LatencyS', type: 'quantitative', title: yTitle }, color },
      },
      ...deadlineLayers,
      ...horizonLayers,
    ],
  };
}
