/**
 * resolved.json: a resolved scenario as a file. Every run writes one next to
 * its results, holding every point and every model it ran on (by content
 * hash), plus who ran it how; `locksim run resolved.json` runs it again
 * exactly, reading no model file. Non-finite numbers (missing cells of a
 * cost table) travel tagged (input/json-codec.ts).
 *
 * Reading one back checks its shape and recomputes every model's hash, so a
 * document edited by hand, or damaged, is an InputError rather than a run of
 * something other than what it says.
 */
import { Type } from '@sinclair/typebox';
import { InputError } from '../input/errors.js';
import { decodeJson, encodeJson } from '../input/json-codec.js';
import { validate } from '../input/schema.js';
import { modelHash, withRelativeFiles, type ResolvedModels } from './models.js';
import type { ResolvedScenario } from './types.js';

export interface ResolvedDocument extends ResolvedScenario {
  readonly locksim: { readonly version: string; readonly command: string };
}

/** The document of a resolved scenario; model files under `base` (default: the working directory) are named relative to it. */
export function resolvedDocument(scenario: ResolvedScenario, options: { command: string; version: string; base?: string }): ResolvedDocument {
  return {
    locksim: { version: options.version, command: options.command },
    name: scenario.name,
    description: scenario.description,
    file: scenario.file,
    kind: scenario.kind,
    seeds: [...scenario.seeds],
    points: scenario.points,
    expectations: scenario.expectations,
    source: scenario.source,
    models: withRelativeFiles(scenario.models, options.base ?? process.cwd()),
  };
}

export function encodeResolvedDocument(document: ResolvedDocument): string {
  return `${encodeJson(document, 2)}\n`;
}

/** The resolved scenario back from its document (for `locksim report`, or to run it again). */
export function scenarioFromDocument(document: ResolvedScenario): ResolvedScenario {
  const { name, description, file, kind, seeds, points, expectations, source, models } = document;
  return { name, description, file, kind, seeds, points, expectations, source, models };
}

const ResolvedDocumentShape = Type.Object({
  locksim: Type.Object({ version: Type.String(), command: Type.String() }),
  name: Type.String({ minLength: 1 }),
  description: Type.String(),
  file: Type.String(),
  kind: Type.String({ minLength: 1 }),
  seeds: Type.Array(Type.String(), { minItems: 1 }),
  points: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0 }),
      coordinates: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
      spec: Type.Object({ kind: Type.String(), machineModel: Type.String(), limits: Type.Object({ maxEvents: Type.Number(), maxTimeNs: Type.Number(), maxHeapBytes: Type.Number() }) }),
    }),
    { minItems: 1 },
  ),
  expectations: Type.Array(Type.Object({ metric: Type.String(), op: Type.String(), text: Type.String() })),
  models: Type.Object({ machines: Type.Record(Type.String(), Type.Object({})), launch: Type.Record(Type.String(), Type.Object({})) }),
});

/** True when `value` looks like a resolved document rather than a scenario file. */
export function isResolvedDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'locksim' in value && 'models' in value && 'points' in value;
}

/**
 * Checks a parsed resolved.json: its shape, that every point names a kind in
 * `kinds` and models the document holds, and that every model still hashes
 * to its key. Every problem is an InputError naming the file.
 */
export function readResolvedDocument(text: string, file: string, kinds: ReadonlySet<string>): ResolvedDocument {
  let value: unknown;
  try {
    value = decodeJson(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON`, { file, found: error instanceof Error ? error.message : String(error) });
  }
  const document = validate(ResolvedDocumentShape, value, { file }) as unknown as ResolvedDocument;
  const models: ResolvedModels = document.models;
  const fail = (path: string, message: string, expected: string, found: string): never => {
    throw new InputError(message, { file, path, expected, found, hint: 'resolved.json is written by locksim; run the scenario file again rather than editing it.' });
  };
  if (!kinds.has(document.kind)) fail('kind', 'unknown workload kind', [...kinds].join(' or '), JSON.stringify(document.kind));
  for (const [group, table] of Object.entries(models) as [keyof ResolvedModels, Record<string, unknown>][]) {
    for (const [hash, model] of Object.entries(table)) {
      const actual = modelHash(model);
      if (actual !== hash) fail(`models.${group}.${hash}`, 'a model does not match its content hash', `content hashing to ${hash}`, `content hashing to ${actual} (the model was edited)`);
    }
  }
  document.points.forEach((point, index) => {
    if (point.spec.kind !== document.kind) fail(`points[${index}].spec.kind`, 'a point of another kind', JSON.stringify(document.kind), JSON.stringify(point.spec.kind));
    if (models.machines[point.spec.machineModel] === undefined) fail(`points[${index}].spec.machineModel`, 'the point names a machine model the document does not hold', 'a key of models.machines', point.spec.machineModel);
    const launch = (point.spec as { launchModels?: unknown }).launchModels;
    if (typeof launch === 'string' && models.launch[launch] === undefined) fail(`points[${index}].spec.launchModels`, 'the point names launch models the document does not hold', 'a key of models.launch', launch);
  });
  return document;
}
