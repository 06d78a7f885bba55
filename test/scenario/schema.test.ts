import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, type TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { INPUT_KINDS, jsonSchemaFor } from '../../src/workloads/schemas.js';
import { ScenarioFileSchema } from '../../src/workloads/registry.js';

describe('scenario schema', () => {
  it('is registered for emission and the emitted file is up to date', () => {
    expect(INPUT_KINDS.scenario).toBe(ScenarioFileSchema);
    const emitted = readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'scenario.schema.json'), 'utf8');
    expect(emitted, 'run `npx tsx src/schemas.ts`').toBe(jsonSchemaFor('scenario', ScenarioFileSchema));
  });

  it('describes every field and closes every object', () => {
    const missing: string[] = [];
    const visit = (schema: TSchema, path: string): void => {
      const s = schema as TSchema & Record<string, unknown>;
      if (s[Kind] === 'Object') {
        if (s.additionalProperties !== false) missing.push(`${path}: additionalProperties`);
        for (const [key, child] of Object.entries(s.properties as Record<string, TSchema>)) {
          if (typeof (child as Record<string, unknown>).description !== 'string' && key !== 'kind') missing.push(`${path}.${key}: description`);
          visit(child, `${path}.${key}`);
        }
      }
      for (const branch of (s.anyOf as TSchema[] | undefined) ?? []) visit(branch, path);
      if (s.items !== undefined) visit(s.items as TSchema, `${path}[]`);
    };
    visit(ScenarioFileSchema, '');
    expect(missing).toEqual([]);
  });
});
