/**
 * The JSON Schema of every input-file kind, so editors (yaml-language-server,
 * VS Code) complete and check model and scenario files. src/schemas.ts
 * writes them, with the output documents' schemas, to <repo>/schemas/
 * (`npx tsx src/schemas.ts`). The files are generated; edit the TypeBox
 * schemas, not them.
 */
import type { TSchema } from '@sinclair/typebox';
import { MachineFileSchema } from '../topology/index.js';
import { ScenarioFileSchema } from './registry.js';
import { MODEL_FILE_SCHEMAS } from '../models/schema.js';
import { ParameterFileSchema } from '../scenario/parameter-file.js';
import { MeasurementFileSchema } from '../scenario/measurements.js';

/** Every file kind with a schema; the scenario loader adds its own here. */
export const INPUT_KINDS: Readonly<Record<string, TSchema>> = {
  machine: MachineFileSchema,
  scenario: ScenarioFileSchema,
  ...MODEL_FILE_SCHEMAS,
  parameters: ParameterFileSchema,
  measurements: MeasurementFileSchema,
};

/** The JSON Schema document for one kind (TypeBox's symbols drop out in JSON). */
export function jsonSchemaFor(kind: string, schema: TSchema): string {
  const document = { $schema: 'http://json-schema.org/draft-07/schema#', $id: `locksim/${kind}.schema.json`, ...JSON.parse(JSON.stringify(schema)) };
  return `${JSON.stringify(document, null, 2)}\n`;
}
