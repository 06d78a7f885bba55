/**
 * Writes the JSON Schema of every input-file kind to <repo>/schemas/<kind>.schema.json,
 * so editors (yaml-language-server, VS Code) complete and check model and
 * scenario files. Run: `npx tsx src/workloads/schemas.ts`. The files are
 * generated; edit the TypeBox schemas, not them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { MachineFileSchema } from '../topology/index.js';
import { ScenarioFileSchema } from './registry.js';
import { MODEL_FILE_SCHEMAS } from '../models/schema.js';

/** Every file kind with a schema; the scenario loader adds its own here. */
export const INPUT_KINDS: Readonly<Record<string, TSchema>> = {
  machine: MachineFileSchema,
  scenario: ScenarioFileSchema,
  ...MODEL_FILE_SCHEMAS,
};

/** The JSON Schema document for one kind (TypeBox's symbols drop out in JSON). */
export function jsonSchemaFor(kind: string, schema: TSchema): string {
  const document = { $schema: 'http://json-schema.org/draft-07/schema#', $id: `locksim/${kind}.schema.json`, ...JSON.parse(JSON.stringify(schema)) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function emitSchemas(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return Object.entries(INPUT_KINDS).map(([kind, schema]) => {
    const file = join(outDir, `${kind}.schema.json`);
    writeFileSync(file, jsonSchemaFor(kind, schema));
    return file;
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (const file of emitSchemas(join(repo, 'schemas'))) process.stdout.write(`wrote ${file}\n`);
}
