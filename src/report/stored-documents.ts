/**
 * The schema of a report's stored results.json, for checkStored (`locksim
 * report DIR` reads it back), and the checks across the stored documents that
 * a schema cannot make.
 */
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../input/errors.js';
import { StoredNumber } from '../input/stored.js';
import { RunOutputSchema } from '../analysis/stored-runs.js';
import { ScenarioKindSchema } from '../scenario/stored-scenario.js';
import type { ResultsDocument } from './run-report.js';

export const ResultsDocumentSchema = Type.Object({
  locksim: Type.Object({ version: Type.String() }),
  scenario: Type.String(),
  kind: ScenarioKindSchema,
  seeds: Type.Array(Type.String(), { minItems: 1 }),
  points: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0 }),
      coordinates: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
      machine: Type.String(),
      runs: Type.Array(RunOutputSchema, { minItems: 1 }),
    }),
    { minItems: 1 },
  ),
  folded: Type.Array(Type.Object({ machine: Type.String(), stacks: Type.Array(Type.Object({ stack: Type.Array(Type.String()), weight: StoredNumber() })) })),
  omitted: Type.Array(Type.String()),
});

// What the schema admits is what the report code reads; tsc checks it here. (resolved.json is read by
// scenario/document.ts, which checks its models by content hash.)
const _results = (stored: Static<typeof ResultsDocumentSchema>): ResultsDocument => stored as ResultsDocument;
void _results;

/**
 * Runs and documents that agree: one run per seed at every point, each of the
 * scenario's kind. A schema checks each run alone; a summary needs them to agree.
 */
export function checkRunsAgree(points: readonly { readonly runs: readonly { readonly kind: string }[] }[], seeds: readonly string[], kind: string, file: string, pointsPath: string): void {
  points.forEach((point, index) => {
    if (point.runs.length !== seeds.length) {
      throw new InputError('a point does not hold one run per seed', { file, path: `${pointsPath}[${index}].runs`, expected: `${seeds.length} runs (seeds ${seeds.join(', ')})`, found: `${point.runs.length} runs`, hint: 'The file was edited or damaged; run the scenario again.' });
    }
    const other = point.runs.findIndex((run) => run.kind !== kind);
    if (other !== -1) {
      throw new InputError('a run is of another kind than its scenario', { file, path: `${pointsPath}[${index}].runs[${other}].kind`, expected: JSON.stringify(kind), found: JSON.stringify(point.runs[other].kind), hint: 'The file was edited or damaged; run the scenario again.' });
    }
  });
}
