/**
 * `locksim check --json`: the check report with its head, and its schema
 * (emitted to schemas/check.schema.json).
 */
import { Type } from '@sinclair/typebox';
import { OutputHeadSchema } from '../report/documents.js';

const Limit = Type.Union([Type.Number(), Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]);

export const CheckRowSchema = Type.Object({
  scenario: Type.String(),
  file: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  expectation: Type.String({ description: 'The expectation in words.' }),
  expected: Type.String({ description: 'What was expected, in words.' }),
  got: Type.String({ description: 'What came out, in words.' }),
  observed: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'The deciding value (the comparison with the least margin); null when missing.' })),
  limit: Type.Optional(Type.Union([Limit], { description: 'The limit it was held to: a number, or [low, high]; tolerance not included.' })),
  margin: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'How far inside the limit, tolerance included, in the metric unit; negative outside.' })),
  passed: Type.Boolean(),
  knownGap: Type.Optional(Type.String({ description: 'Set for a known gap: reported, never fails the check.' })),
});

export const CheckDocumentSchema = Type.Object(
  {
    ...OutputHeadSchema,
    scenarios: Type.Array(
      Type.Object({
        scenario: Type.String(),
        file: Type.String(),
        rows: Type.Array(CheckRowSchema),
        baselineDiffs: Type.Array(Type.Object({}, { additionalProperties: true })),
        baselineWritten: Type.Optional(Type.String()),
        skipped: Type.Optional(Type.Boolean()),
      }),
    ),
    skipped: Type.Integer({ description: 'Scenarios not run: nothing to check.' }),
    passed: Type.Integer(),
    failed: Type.Integer(),
    knownGaps: Type.Integer(),
  },
  { description: '`locksim check --json`: every expectation and baseline row of every scenario.' },
);
