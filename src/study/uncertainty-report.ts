/**
 * An uncertainty study as tables, files and a chart: `uncertainty.md` (the
 * table the README's R-table reads its "holds in x% of the parameter
 * space" from), `uncertainty.csv` (one row per sample and conclusion),
 * `uncertainty.json` (schemas/uncertainty.schema.json), and
 * `uncertainty.svg`/`.png` (per conclusion, the share of samples it holds
 * in).
 */
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { TopLevelSpec } from 'vega-lite';
import { formatSignificant } from '../charts/format.js';
import { CHART_CONFIG, CHART_WIDTH_PX, VEGA_LITE_SCHEMA } from '../charts/theme.js';
import { writeFileAtomic } from '../report/atomic.js';
import { toCsv } from '../report/csv.js';
import { JsonNumber, OutputHeadSchema } from '../report/documents.js';
import { renderChart } from '../report/render.js';
import { outputHead } from '../input/package-info.js';
import { UNCERTAINTY_DEFAULTS, type ConclusionSummary, type Interval, type UncertaintyStudy } from './uncertainty.js';

const LEVEL = `${Math.round(UNCERTAINTY_DEFAULTS.lower * 100)}-${Math.round(UNCERTAINTY_DEFAULTS.upper * 100)}%`;

export function intervalText(interval: Interval | undefined): string {
  if (interval === undefined) return 'n/a';
  return `${formatSignificant(interval.low)} .. ${formatSignificant(interval.high)}`;
}

export function holdsText(conclusion: Pick<ConclusionSummary, 'holds' | 'samples' | 'holdsFraction'>): string {
  return `${Math.round(conclusion.holdsFraction * 100)}% (${conclusion.holds}/${conclusion.samples})`;
}

function atDefaults(conclusion: ConclusionSummary): string {
  const verdict = conclusion.holdsAtDefaults ? 'holds' : conclusion.knownGap === undefined ? 'fails' : 'known gap';
  return `${verdict}: ${conclusion.gotAtDefaults}`;
}

function driverText(conclusion: ConclusionSummary): string {
  return conclusion.driver === undefined ? '-' : `${conclusion.driver.parameter} (${conclusion.driver.rho >= 0 ? '+' : ''}${conclusion.driver.rho.toFixed(2)})`;
}

/** The study's table: one row per conclusion. */
export function uncertaintyTable(study: UncertaintyStudy): { header: string[]; rows: string[][] } {
  return {
    header: ['scenario', 'conclusion', 'at the models as they are', 'holds in', `figure, ${LEVEL} of samples`, `margin, ${LEVEL}`, 'margin ranks most with'],
    rows: study.conclusions.map((c) => [c.scenario, c.expectation, atDefaults(c), holdsText(c), intervalText(c.figure), intervalText(c.margin), driverText(c)]),
  };
}

/** Per scenario, the share of samples in which every one of its conclusions holds. */
export function allHoldLines(study: UncertaintyStudy): string[] {
  return study.scenarios.map((s) => `${s.name}: every conclusion holds in ${Math.round((s.allHold / Math.max(1, s.samples)) * 100)}% of the samples (${s.allHold}/${s.samples}).`);
}

export const UNCERTAINTY_NOTE = `"holds in": the share of Latin hypercube samples of the parameter space in which the conclusion holds (the same seeds in every sample). The figure is the value the conclusion compares; the margin is how far inside its limit it is (negative: outside), both as ${LEVEL} intervals over the samples. "Ranks most with": the parameter whose place in its range has the largest Spearman correlation with the margin (sign: the margin grows as the parameter rises).`;

function markdownTable(table: { header: string[]; rows: string[][] }): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)];
}

export function uncertaintyMarkdown(study: UncertaintyStudy, command: string): string {
  return [
    `## Uncertainty: ${study.scenarios.map((s) => s.name).join(', ')}`,
    '',
    `${study.sampleCount} samples over ${study.parameters.length} parameters (${study.parameters.map((p) => p.name).join(', ')}), seeds: ${study.seeds === 'files' ? "each file's" : study.seeds}, design seed \`${study.lhsSeed}\`.`,
    '',
    ...markdownTable(uncertaintyTable(study)),
    '',
    ...allHoldLines(study),
    '',
    UNCERTAINTY_NOTE,
    '',
    `Method: ${study.method}.`,
    '',
    `Reproduce with \`${command}\`.`,
    '',
  ].join('\n');
}

/** Per conclusion, the share of samples it holds in; coloured by its verdict at the models as they are. */
export function uncertaintyChartSpec(study: UncertaintyStudy): TopLevelSpec {
  const rows = study.conclusions.map((c, i) => ({
    conclusion: `${i + 1}. ${c.scenario}: ${c.expectation.length > 70 ? `${c.expectation.slice(0, 67)}...` : c.expectation}`,
    holds: Number((c.holdsFraction * 100).toFixed(1)),
    atDefaults: c.holdsAtDefaults ? 'holds' : c.knownGap === undefined ? 'fails' : 'known gap',
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Share of the parameter space each conclusion holds in', subtitle: `${study.sampleCount} Latin hypercube samples over ${study.parameters.length} uncertain parameters` },
    width: CHART_WIDTH_PX - 500,
    height: { step: 22 },
    config: CHART_CONFIG,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'conclusion', type: 'nominal', sort: null, title: null, axis: { labelLimit: 640 } },
      x: { field: 'holds', type: 'quantitative', title: 'holds in (% of samples)', scale: { domain: [0, 100] } },
      color: { field: 'atDefaults', type: 'nominal', title: 'At the defaults', scale: { domain: ['holds', 'known gap', 'fails'], range: ['#2f7d4f', '#c28a1e', '#b23b3b'] }, legend: { orient: 'bottom' } },
    },
  };
}

const IntervalSchema = Type.Object({ low: Type.Number(), median: Type.Number(), high: Type.Number() });

export const UncertaintyDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    command: Type.String(),
    scenarios: Type.Array(Type.Object({ name: Type.String(), file: Type.String(), allHold: Type.Integer({ description: 'Samples in which every conclusion of the scenario holds.' }), samples: Type.Integer() })),
    parameters: Type.Array(Type.Object({ name: Type.String(), range: Type.String(), machine: Type.Boolean() })),
    sampleCount: Type.Integer(),
    seeds: Type.Union([Type.Integer(), Type.Literal('files')]),
    lhsSeed: Type.String(),
    method: Type.String(),
    conclusions: Type.Array(
      Type.Object({
        scenario: Type.String(),
        file: Type.Optional(Type.String()),
        line: Type.Optional(Type.Integer()),
        expectation: Type.String(),
        knownGap: Type.Optional(Type.String()),
        holdsAtDefaults: Type.Boolean(),
        figureAtDefaults: JsonNumber,
        gotAtDefaults: Type.String(),
        holds: Type.Integer(),
        samples: Type.Integer(),
        holdsFraction: Type.Number({ minimum: 0, maximum: 1 }),
        figure: Type.Optional(IntervalSchema),
        margin: Type.Optional(IntervalSchema),
        driver: Type.Optional(Type.Object({ parameter: Type.String(), rho: Type.Number() })),
      }),
    ),
    samples: Type.Array(
      Type.Object({
        index: Type.Integer(),
        unit: Type.Array(Type.Number(), { description: 'Each parameter\'s place in its range, 0 to 1.' }),
        values: Type.Array(Type.String()),
        rows: Type.Array(Type.Object({ expectation: Type.String(), passed: Type.Boolean(), observed: Type.Optional(JsonNumber), margin: Type.Optional(JsonNumber), got: Type.String() }, { additionalProperties: true })),
      }),
      { description: 'Every sample: where it sits and what each conclusion gave.' },
    ),
  },
  { description: '`locksim uncertainty`: per conclusion of a scenario, the share of the parameter space it holds in and intervals on its figure and margin.' },
);

/** Writes the study's files; returns their names. */
export async function writeUncertaintyReport(study: UncertaintyStudy, out: string, command: string): Promise<string[]> {
  const document = { ...outputHead(), command, ...study };
  const spec = uncertaintyChartSpec(study);
  const rendered = await renderChart(spec);
  const csvRows = study.samples.flatMap((sample) =>
    sample.rows.map((row) => ({
      sample: sample.index,
      scenario: row.scenario,
      conclusion: row.expectation,
      holds: row.passed,
      figure: typeof row.observed === 'number' ? row.observed : '',
      margin: typeof row.margin === 'number' ? row.margin : '',
      ...Object.fromEntries(study.parameters.map((p, i) => [p.name, sample.values[i]])),
    })),
  );
  const files: [string, string | Uint8Array][] = [
    ['uncertainty.json', `${JSON.stringify(document, null, 2)}\n`],
    ['uncertainty.md', uncertaintyMarkdown(study, command)],
    ['uncertainty.csv', toCsv(csvRows)],
    ['uncertainty.vl.json', `${JSON.stringify(spec, null, 2)}\n`],
    ['uncertainty.svg', rendered.svg],
    ['uncertainty.png', rendered.png],
  ];
  for (const [name, content] of files) await writeFileAtomic(join(out, name), content);
  return files.map(([name]) => name);
}
