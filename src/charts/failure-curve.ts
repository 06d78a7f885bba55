/**
 * Share of container launches that missed the deadline, against concurrency,
 * one line per machine: where each instance family "starts failing".
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartLayer, type ChartOptions, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

export interface FailureCurveRow {
  machine: string;
  containers: number;
  /** Failed launches / all launches, 0..1. */
  failureRate: number;
}

export interface FailureCurveOptions extends ChartOptions {
  /** Draws a dashed reference at this failure rate (0..1), e.g. 0.05 for an SLO; omitted by default. */
  thresholdRate?: number;
}

export function failureCurveSpec(rows: readonly FailureCurveRow[], options: FailureCurveOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const x = { field: 'containers', type: 'quantitative', title: 'Concurrent container launches', axis: { tickMinStep: 1 } } as const;
  const thresholdLayers: ChartLayer[] =
    options.thresholdRate === undefined
      ? []
      : [
          {
            data: { values: [{ thresholdRate: options.thresholdRate }] },
            mark: { type: 'rule', color: '#5b6474', strokeDash: [6, 4] },
            encoding: { y: { field: 'thresholdRate', type: 'quantitative' } },
          },
          {
            data: { values: [{ thresholdRate: options.thresholdRate }] },
            mark: { type: 'text', x: 'width', align: 'right', baseline: 'bottom', dy: -4, color: '#5b6474', fontSize: 12 },
            encoding: {
              y: { field: 'thresholdRate', type: 'quantitative' },
              text: { value: `${formatPercent(options.thresholdRate)} failure threshold` },
            },
          },
        ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Container launch failures', subtitle: 'Launches that missed the health-check deadline.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: options.heightPx ?? CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, containers: row.containers, failureRate: row.failureRate })) },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'failureRate', type: 'quantitative', title: 'Failed launches (%)', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color: { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) },
        },
      },
      ...thresholdLayers,
    ],
  };
}

function formatPercent(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))}%`;
}
