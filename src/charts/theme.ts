/**
 * What every locksim chart shares: fonts, sizes, and one colour per machine.
 *
 * A machine keeps its colour across every chart of a report, and a family
 * across reports (r5.metal is the same blue in the latency curve, the failure
 * curve, the mount table and the next report's charts): colours come from the
 * family (FAMILY_COLOURS), and the colour scale's domain is either passed in by
 * the caller, who knows all machines of the report, or derived from the rows in
 * sorted order, which gives the same assignment whatever order the rows arrive in.
 */
import type { Config, TopLevelSpec } from 'vega-lite';

/** One layer of a layered chart (vega-lite does not export the type under a stable name). */
export type ChartLayer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Plot area width in px; vega adds axes and legend around it (the page is 1,280 px wide: report/html.ts). */
export const CHART_WIDTH_PX = 900;
export const CHART_HEIGHT_PX = 340;

/** Options every chart function accepts. */
export interface ChartOptions {
  /** All machines of the report, in legend order; fixes each machine's colour. Defaults to the rows' machines, sorted. */
  machines?: readonly string[];
  /** Overrides the chart's default title. */
  title?: string;
  /** Plot width in px (default CHART_WIDTH_PX). */
  widthPx?: number;
  /** Plot height in px (default CHART_HEIGHT_PX). */
  heightPx?: number;
}

/**
 * Tableau 10, the vega default: distinguishable, and readable for the common
 * colour-vision deficiencies for the first few entries, which is where a report's
 * three or four machines land.
 */
export const MACHINE_PALETTE: readonly string[] = [
  '#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#ff9da6', '#9d755d', '#bab0ac',
];

/**
 * Each instance family's own colour, the same in every chart and every
 * report: r5 is always blue, m7i orange, m7a green. A series is coloured by
 * the family its name starts with (r5.metal+one-socket and "r5.metal,
 * docker-shifted" are r5); a second series of a family already coloured in
 * the same chart takes the first palette colour no family claims.
 */
export const FAMILY_COLOURS: Readonly<Record<string, string>> = {
  r5: '#4c78a8',
  m7i: '#f58518',
  m7a: '#54a24b',
  m7g: '#e45756',
  m8g: '#72b7b2',
  m6i: '#b279a2',
  m6a: '#9d755d',
};

/** The instance family of a series or machine name: what comes before the first dot ("m7a.24xlarge" -> "m7a"). */
export function instanceFamily(name: string): string {
  return name.split(/[.,+ ]/)[0];
}

/** Colours for `names` in order: each family's own colour first, then colours no family claims, then the rest of the palette. */
export function seriesColours(names: readonly string[]): string[] {
  const claimed = new Set(Object.values(FAMILY_COLOURS));
  const spare = [...MACHINE_PALETTE.filter((c) => !claimed.has(c)), ...MACHINE_PALETTE.filter((c) => claimed.has(c))];
  const used = new Set<string>();
  return names.map((name, index) => {
    const own = FAMILY_COLOURS[instanceFamily(name)];
    const colour = own !== undefined && !used.has(own) ? own : (spare.find((c) => !used.has(c)) ?? MACHINE_PALETTE[index % MACHINE_PALETTE.length]);
    used.add(colour);
    return colour;
  });
}

/** A colour scale fixing machine → colour: `{ domain, range }`, ready to put in an encoding. */
export function machineColorScale(machines: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...machines], range: seriesColours(machines) };
}

/** Dash patterns that tell apart lines which would otherwise lie on top of each other (solid first). */
export const LINE_DASHES: readonly (readonly number[])[] = [[1, 0], [8, 4], [2, 3], [10, 3, 2, 3], [5, 5], [1, 4]];

/** Point shapes, in the same spirit. */
export const POINT_SHAPES: readonly string[] = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down'];

/** The machines to colour: the caller's list when given (plus any row machine it forgot, at the end), else sorted distinct names. */
export function machineDomain(rows: readonly { machine: string }[], machines?: readonly string[]): string[] {
  const inRows = distinctInOrder(rows.map((row) => row.machine));
  if (machines === undefined) return inRows.sort(compareCodeUnits);
  const domain = distinctInOrder(machines);
  for (const machine of inRows.sort(compareCodeUnits)) if (!domain.includes(machine)) domain.push(machine);
  return domain;
}

/** Distinct values in first-seen order: "categories ordered as given". */
export function distinctInOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Locale-independent ordering, so a chart does not change with the machine it is rendered on. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const FONT = '"Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

export const CHART_CONFIG: Config = {
  font: FONT,
  padding: 8,
  view: { stroke: null },
  title: { fontSize: 16, fontWeight: 600, anchor: 'start', offset: 12, subtitleFontSize: 12, subtitleColor: '#5b6474' },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 500,
    titlePadding: 8,
    gridColor: '#e6e9ee',
    domainColor: '#8a93a3',
    tickColor: '#8a93a3',
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 500, orient: 'right' },
  header: { labelFontSize: 12, titleFontSize: 13 },
  line: { strokeWidth: 2 },
  point: { size: 36, filled: true },
};
