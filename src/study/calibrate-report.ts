/**
 * What `locksim calibrate` prints and writes: the fitted values with their
 * one-sigma ranges and identifiability, the residuals (before and after),
 * and calibration.json (schemas/calibration.schema.json).
 */
import { Type } from '@sinclair/typebox';
import { OutputHeadSchema, JsonNumber } from '../report/documents.js';
import { formatSignificant } from '../charts/format.js';
import { formatDurationNs } from '../input/units.js';
import type { CalibrationResult } from './calibrate.js';

function measuredText(value: number, metric: string): string {
  return metric === 'failureRate' ? `${formatSignificant(value * 100)}%` : `${formatSignificant(value)} s`;
}

/** The fitted parameters: header and rows. */
export function fittedTable(result: CalibrationResult): { header: string[]; rows: string[][] } {
  const format = (p: CalibrationResult['parameters'][number], value: number): string => (p.isDuration ? formatDurationNs(Number(value.toPrecision(3))) : formatSignificant(value));
  return {
    header: ['parameter', 'was', 'fitted', 'one sigma', 'range', 'identified by the data'],
    rows: result.parameters.map((p) => [p.name, format(p, p.initial), format(p, p.fitted), `${format(p, p.low)} .. ${format(p, p.high)}`, `${format(p, p.range[0])} .. ${format(p, p.range[1])}`, p.identified ? 'yes' : `no (${p.note.replace(/^not identifiable(: )?/, '')})`]),
  };
}

/** Residuals per measured value: header and rows. */
export function residualTable(result: CalibrationResult): { header: string[]; rows: string[][] } {
  return {
    header: ['point', 'measured', 'value', 'sd', 'model before', 'model fitted', 'residual (sigma)'],
    rows: result.residuals.map((r) => [r.point, r.measured, measuredText(r.value, r.metric), measuredText(r.sd, r.metric), measuredText(r.initialModel, r.metric), measuredText(r.model, r.metric), r.residual.toFixed(2)]),
  };
}

function markdownTable(table: { header: string[]; rows: string[][] }): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)];
}

export function calibrationMarkdown(result: CalibrationResult, command: string): string {
  const unidentified = result.parameters.filter((p) => !p.identified).map((p) => `\`${p.name}\``);
  return [
    `## Calibration: ${result.name}`,
    '',
    `Fitted to ${result.file} (${result.measuredValues} measured values, ${result.seeds} seeds per point, the same every evaluation), ${result.evaluations.length} evaluations. Chi-square ${result.chiSquare.toFixed(2)}, from ${result.initialChiSquare.toFixed(2)} at the values before.`,
    '',
    ...markdownTable(fittedTable(result)),
    '',
    unidentified.length === 0 ? 'The data identify every parameter fitted.' : `The data cannot identify ${unidentified.join(', ')}: those stay where the model files put them unless a move improves the fit, and any value across the one-sigma range fits about as well.`,
    '',
    ...markdownTable(residualTable(result)),
    '',
    `Optimiser: ${result.optimiser}.`,
    '',
    `Reproduce with \`${command}\`.`,
    '',
  ].join('\n');
}

export const CalibrationDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    command: Type.String(),
    name: Type.String(),
    file: Type.String({ description: 'The measurement file.' }),
    seeds: Type.Integer(),
    budget: Type.Integer({ description: 'Most evaluations allowed.' }),
    optimiser: Type.String(),
    chiSquare: Type.Number(),
    initialChiSquare: Type.Number(),
    measuredValues: Type.Integer(),
    parameters: Type.Array(
      Type.Object({
        name: Type.String(),
        file: Type.String({ description: 'The model file it is defined in.' }),
        isDuration: Type.Boolean({ description: 'Values in ns when true.' }),
        range: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
        initial: Type.Number(),
        fitted: Type.Number(),
        fittedText: Type.String(),
        unitSd: Type.Number({ description: 'Posterior standard deviation on the range scaled to [0, 1].' }),
        low: Type.Number(),
        high: Type.Number(),
        identified: Type.Boolean(),
        note: Type.String(),
      }),
    ),
    residuals: Type.Array(
      Type.Object({
        point: Type.String(),
        measured: Type.String(),
        metric: Type.String(),
        value: Type.Number(),
        sd: Type.Number(),
        model: JsonNumber,
        modelSe: JsonNumber,
        residual: JsonNumber,
        initialModel: JsonNumber,
      }),
    ),
    evaluations: Type.Array(
      Type.Object({
        index: Type.Integer(),
        phase: Type.String(),
        values: Type.Record(Type.String(), Type.Number()),
        unit: Type.Array(Type.Number()),
        chiSquare: JsonNumber,
        model: Type.Array(Type.Array(Type.Object({ mean: JsonNumber, se: JsonNumber }))),
      }),
      { description: 'Every parameter set run, in order.' },
    ),
    finalStep: Type.Number(),
  },
  { description: '`locksim calibrate`: the fit, its residuals, identifiability and every evaluation.' },
);
