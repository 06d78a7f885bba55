/**
 * Ablation: how much each modelled mechanism (home-agent queue, SMT sharing,
 * NUMA hop, ...) contributes to each headline metric, per machine. One panel
 * per metric, each with its own x scale because metrics have different units;
 * the metric name should carry its unit, e.g. "p50 launch latency (s)".
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_WIDTH_PX, type ChartOptions, VEGA_LITE_SCHEMA, distinctInOrder, machineColorScale, machineDomain } from './theme.js';

export interface AblationRow {
  machine: string;
  /** The mechanism switched off, e.g. "home-agent queue". Order of first appearance is kept. */
  mechanism: string;
  /** The metric measured, with its unit, e.g. "p50 launch latency (s)". One panel each, in order of first appearance. */
  metric: string;
  /** Metric with the mechanism minus metric without it, in the metric's unit: the mechanism's contribution. */
  delta: number;
}

export interface AblationOptions extends ChartOptions {
  /** X axis title; default explains the sign convention. */
  deltaTitle?: string;
}

export function ablationSpec(rows: readonly AblationRow[], options: AblationOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const mechanisms = distinctInOrder(rows.map((row) => row.mechanism));
  const metrics = distinctInOrder(rows.map((row) => row.metric));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'What each mechanism contributes', subtitle: 'Change in each metric caused by the mechanism (with it minus without it).' },
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ machine: row.machine, mechanism: row.mechanism, metric: row.metric, delta: row.delta })) },
    facet: {
      row: { field: 'metric', type: 'nominal', sort: metrics, header: { title: null, labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 600 } },
    },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: options.widthPx ?? CHART_WIDTH_PX,
      height: { step: 14 },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'mechanism', type: 'nominal', title: 'Mechanism', sort: mechanisms },
            yOffset: { field: 'machine', type: 'nominal', sort: machines },
            x: { field: 'delta', type: 'quantitative', title: options.deltaTitle ?? 'Contribution (metric’s unit)' },
            color: { field: 'machine', type: 'nominal', title: 'Machine', scale: machineColorScale(machines) },
          },
        },
        {
          mark: { type: 'rule', color: '#5b6474' },
          encoding: { x: { datum: 0, type: 'quantitative' } },
        },
      ],
    },
  };
}
