/**
 * Writes the JSON Schema of every file locksim reads and every document it
 * writes to <repo>/schemas/<name>.schema.json: input files (machine,
 * scenario, kernel, node, runtime) so editors complete and check them, and
 * outputs (summary, results, check, diff, plan, metrics) so other tools can
 * validate what they read. Run: `npx tsx src/schemas.ts`. The files are
 * generated; edit the TypeBox schemas, not them (a test keeps them current).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { INPUT_KINDS, jsonSchemaFor } from './workloads/schemas.js';
import { MetricsDocumentSchema, ResultsDocumentSchema, SummaryDocumentSchema } from './report/documents.js';
import { CheckDocumentSchema } from './check/report-document.js';
import { DiffDocumentSchema } from './check/diff.js';
import { PlanDocumentSchema } from './study/plan.js';
import { CalibrationDocumentSchema } from './study/calibrate-report.js';
import { UncertaintyDocumentSchema } from './study/uncertainty-report.js';

/** The documents locksim writes, each with `schemaVersion` and the locksim version. */
export const OUTPUT_KINDS: Readonly<Record<string, TSchema>> = {
  summary: SummaryDocumentSchema,
  results: ResultsDocumentSchema,
  check: CheckDocumentSchema,
  diff: DiffDocumentSchema,
  plan: PlanDocumentSchema,
  metrics: MetricsDocumentSchema,
  calibration: CalibrationDocumentSchema,
  uncertainty: UncertaintyDocumentSchema,
};

export const ALL_SCHEMAS: Readonly<Record<string, TSchema>> = { ...INPUT_KINDS, ...OUTPUT_KINDS };

export function emitSchemas(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return Object.entries(ALL_SCHEMAS).map(([name, schema]) => {
    const file = join(outDir, `${name}.schema.json`);
    writeFileSync(file, jsonSchemaFor(name, schema));
    return file;
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  for (const file of emitSchemas(join(repo, 'schemas'))) process.stdout.write(`wrote ${file}\n`);
}
