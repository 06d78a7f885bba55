/**
 * Share of container launches that missed the deadline, against concurrency,
 * one line per machine: where each instance family "starts failing". Points
 * a bisection added between two sweep points are drawn open, and each
 * machine's onset (the first failing count found) is a vertical mark.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, type ChartLayer, type ChartOptions, VEGA_LITE_SCHEMA, machineColorScale, machineDomain } from './theme.js';

export interface FailureCurveRow {
  machine: string;
  containers: number;
  /** Failed launches / all launches, 0..1. */
  failureRate: number;
  /** "sweep" (a point of the scenario) or "bisection" (a run the onset search added); default sweep. */
  source?: string;
}

/** A machine's failure onset: the largest count found to pass and the smallest found to fail. */
export interface FailureOnsetMark {
  machine: string;
  lastPass: number;
  firstFail: number;
}

export interface FailureCurveOptions extends ChartOptions {
  /** Draws a dashed reference at this failure rate (0..1), e.g. 0.05 for an SLO; omitted by default. */
  thresholdRate?: number;
  /** Onsets found by bisection, drawn as vertical marks at the first failing count. */
  onsets?: readonly FailureOnsetMark[];
}

export function failureCurveSpec(rows: readonly FailureCurveRow[], options: FailureCurveOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const x = { field: 'containers', type: 'quantitative', title: 'Concurrent container launches', axis: { tickMinStep: 1 } } as const;
  const color = { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) } as const;
  const onsets = options.onsets ?? [];
  const onsetLayers: ChartLayer[] =
    onsets.length === 0
      ? []
      : [
          {
            data: { values: onsets.map((o) => ({ machine: o.machine, containers: o.firstFail, label: `${o.lastPass + 1}-${o.firstFail}` })) },
            mark: { type: 'rule', strokeDash: [3, 3], strokeWidth: 1.5 },
            encoding: { x, color },
          },
          {
            // Labels stacked from the top, one line each, in failure-rate units so they share the y scale.
            data: { values: onsets.map((o, i) => ({ machine: o.machine, containers: o.firstFail, label: `onset ${o.lastPass + 1}-${o.firstFail}`, labelY: 0.98 - 0.06 * i })) },
            mark: { type: 'text', align: 'left', dx: 4, baseline: 'top', fontSize: 11 },
            encoding: { x, y: { field: 'labelY', type: 'quantitative' }, text: { field: 'label' }, color },
          },
        ];
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
    data: { values: rows.map((row) => ({ machine: row.machine, containers: row.containers, failureRate: row.failureRate, source: row.source ?? 'sweep' })) },
    layer: [
      {
        layer: [
          {
            mark: { type: 'line' },
            encoding: { x, y: { field: 'failureRate', type: 'quantitative', title: 'Failed launches (%)', axis: { format: '.0%' }, scale: { domain: [0, 1] } }, color },
          },
          {
            transform: [{ filter: "datum.source !== 'bisection'" }],
            mark: { type: 'point', size: 44, filled: true },
            encoding: { x, y: { field: 'failureRate', type: 'quantitative' }, color },
          },
          {
            transform: [{ filter: "datum.source === 'bisection'" }],
            mark: { type: 'point', size: 44, filled: false, strokeWidth: 1.5, fill: 'white', fillOpacity: 1 },
            encoding: { x, y: { field: 'failureRate', type: 'quantitative' }, color },
          },
        ],
      },
      ...thresholdLayers,
      ...onsetLayers,
    ],
  };
}

function formatPercent(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))}%`;
}
