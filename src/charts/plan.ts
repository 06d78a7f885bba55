/**
 * The plan's chart: per family, the largest concurrency within the deadline,
 * coloured by what 1,000 launches cost there; the concurrency asked for as a
 * dashed rule.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_HEIGHT_PX, CHART_WIDTH_PX, VEGA_LITE_SCHEMA } from './theme.js';

/** What the chart needs of one ranked family. */
export interface PlanChartRow {
  readonly machine: string;
  readonly maxConcurrency: number;
  readonly costPer1000Usd: number;
}

/** Bar per family: max concurrency, coloured by cost per 1,000 launches; the asked concurrency as a rule. */
export function planChartSpec(rows: readonly PlanChartRow[], containers: number): TopLevelSpec {
  const order = rows.map((r) => r.machine);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Largest concurrency within the deadline (< 1% failed)', subtitle: 'Bar colour: $ per 1,000 launches (darker costs more). Dashed: the concurrency asked for.' },
    width: CHART_WIDTH_PX,
    height: CHART_HEIGHT_PX,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values: rows.map((r) => ({ machine: r.machine, maxConcurrency: r.maxConcurrency, costPer1000Usd: Number.isFinite(r.costPer1000Usd) ? Number(r.costPer1000Usd.toPrecision(6)) : null })) },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'machine', type: 'nominal', title: 'Machine (ranked)', sort: order, axis: { labelAngle: -30 } },
          y: { field: 'maxConcurrency', type: 'quantitative', title: 'Max concurrent launches' },
          color: { field: 'costPer1000Usd', type: 'quantitative', title: '$ / 1,000 launches', scale: { scheme: 'orangered' } },
        },
      },
      {
        data: { values: [{ containers }] },
        mark: { type: 'rule', color: '#5b6474', strokeDash: [6, 4] },
        encoding: { y: { field: 'containers', type: 'quantitative' } },
      },
    ],
  };
}

