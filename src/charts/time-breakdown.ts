/**
 * Where CPU time in the mount path goes, one stacked bar per machine: spinning
 * on each lock, inside critical sections, and other work. This is the model's
 * analogue of the Intel TMA "95.5% of slots stalled" figure, so it can also be
 * drawn as shares of the total.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_WIDTH_PX, type ChartOptions, VEGA_LITE_SCHEMA, distinctInOrder, machineDomain } from './theme.js';

export interface TimeBreakdownRow {
  machine: string;
  /** E.g. "spinning on mount_lock", "critical sections", "other work". Stack and legend follow first appearance in the rows. */
  category: string;
  /** CPU time in this category, in seconds (summed over CPUs). */
  seconds: number;
}

export interface TimeBreakdownOptions extends ChartOptions {
  /** Draw each bar as shares of its machine's total instead of seconds (default false). */
  asShares?: boolean;
  /** Colours for the categories, in category order; default a palette distinct from the machine colours' meaning. */
  categoryColors?: readonly string[];
}

/** Warm colours first: the first categories are usually the lock-spinning ones, which the reader should find at once. */
const CATEGORY_PALETTE: readonly string[] = ['#d62728', '#ff7f0e', '#e7ba52', '#8c6d31', '#1f77b4', '#9ecae1', '#7f7f7f', '#c7c7c7', '#9467bd', '#17becf'];

export function timeBreakdownSpec(rows: readonly TimeBreakdownRow[], options: TimeBreakdownOptions = {}): TopLevelSpec {
  const machines = machineDomain(rows, options.machines);
  const categories = distinctInOrder(rows.map((row) => row.category));
  const palette = options.categoryColors ?? CATEGORY_PALETTE;
  const asShares = options.asShares === true;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? 'Where CPU time goes in the mount path', subtitle: asShares ? 'Share of each machine’s CPU time.' : 'CPU time summed over all CPUs.' },
    width: options.widthPx ?? CHART_WIDTH_PX,
    height: { step: 36 },
    config: CHART_CONFIG,
    data: {
      values: rows.map((row) => ({ machine: row.machine, category: row.category, categoryOrder: categories.indexOf(row.category), seconds: row.seconds })),
    },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'machine', type: 'nominal', title: 'Machine', sort: machines },
      x: {
        field: 'seconds',
        type: 'quantitative',
        aggregate: 'sum',
        stack: asShares ? 'normalize' : 'zero',
        title: asShares ? 'Share of CPU time (%)' : 'CPU time (s)',
        ...(asShares ? { axis: { format: '.0%' } } : {}),
      },
      color: {
        field: 'category',
        type: 'nominal',
        title: 'Time spent',
        scale: { domain: categories, range: categories.map((_, index) => palette[index % palette.length]) },
        legend: { orient: 'bottom', columns: 2, labelLimit: 320 },
      },
      order: { field: 'categoryOrder', type: 'quantitative', aggregate: 'min' },
    },
  };
}
