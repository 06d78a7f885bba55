/**
 * A shard's results on disk, and merging the shards back into one sweep.
 *
 *   partial-I-of-N.json  { locksimPartial, scenarioName, scenarioHash, shard, command?, scenario, points }
 *
 * The partial carries the resolved scenario itself, so `locksim merge` needs
 * nothing but the partials to write the report a single run would write.
 * Merging checks that every shard 0..N-1 of one scenario hash is there exactly
 * once and holds exactly its points, then lays the points out in the
 * scenario's point order: the same PointRuns[], byte for byte, as one run.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PointRuns } from '../analysis/summary.js';
import { InputError } from '../input/errors.js';
import { MAX_JSON_DOCUMENT_BYTES, readTextBounded } from '../input/read.js';
import { checkStored } from '../input/stored.js';
import { RunOutputSchema } from '../analysis/stored-runs.js';
import { ResolvedScenarioSchema, RunPointSchema } from '../scenario/stored-scenario.js';
import { checkRunsAgree } from '../report/stored-documents.js';
import { Type } from '@sinclair/typebox';
import { writeFileAtomic } from '../report/atomic.js';
import { outputFailure } from '../report/output-errors.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { modelChange, modelHashes, scenarioHash } from './identity.js';
import { decodeJson, encodeJson } from '../input/json-codec.js';
import { shardHasPoint, type Shard } from './shard.js';

export interface PartialResult {
  readonly locksimPartial: 1;
  readonly scenarioName: string;
  readonly scenarioHash: string;
  readonly shard: Shard;
  /** The command line of the whole sweep (no shard flag), for the merged report's "how to reproduce". */
  readonly command?: string;
  readonly scenario: ResolvedScenario;
  /** This shard's points, in point order. */
  readonly points: readonly PointRuns[];
}

/** A merged sweep: the scenario and every point's runs, in point order. */
export interface MergedSweep {
  readonly scenario: ResolvedScenario;
  readonly points: PointRuns[];
  /** The sweep's command line, when the partials recorded one. */
  readonly command?: string;
}

const PARTIAL_NAME = /^partial-(\d+)-of-(\d+)\.json$/;

const PartialResultSchema = Type.Object({
  locksimPartial: Type.Literal(1),
  scenarioName: Type.String(),
  scenarioHash: Type.String(),
  shard: Type.Object({ index: Type.Integer({ minimum: 0 }), count: Type.Integer({ minimum: 1 }) }),
  command: Type.Optional(Type.String()),
  scenario: ResolvedScenarioSchema,
  points: Type.Array(Type.Object({ point: RunPointSchema, machine: Type.String(), runs: Type.Array(RunOutputSchema) })),
});

export function partialFileName(shard: Shard): string {
  return `partial-${shard.index}-of-${shard.count}.json`;
}

export function makePartial(scenario: ResolvedScenario, shard: Shard, points: readonly PointRuns[], command?: string): PartialResult {
  return { locksimPartial: 1, scenarioName: scenario.name, scenarioHash: scenarioHash(scenario), shard: { index: shard.index, count: shard.count }, command, scenario, points };
}

/** Writes `<dir>/partial-I-of-N.json` atomically; returns its path. The directory must exist. */
export async function writePartial(dir: string, partial: PartialResult): Promise<string> {
  const file = join(dir, partialFileName(partial.shard));
  try {
    await writeFileAtomic(file, `${encodeJson(partial)}\n`);
  } catch (error) {
    throw outputFailure(error, `cannot write the shard's partial result ${file}`, 'its previous version, if any, is intact; run the shard again') ?? error;
  }
  return file;
}

export function readPartial(file: string): PartialResult {
  const text = readTextBounded(file, { maxBytes: MAX_JSON_DOCUMENT_BYTES, expected: 'a partial result written by `locksim run --shard`' });
  let value: unknown;
  try {
    value = decodeJson(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON`, { file, found: error instanceof Error ? error.message : String(error), hint: 'The shard may have been interrupted while writing; run that shard again.' });
  }
  const record = typeof value === 'object' && value !== null ? (value as Partial<PartialResult>) : {};
  if (record.locksimPartial !== 1 || typeof record.scenarioHash !== 'string' || record.shard === undefined || record.scenario === undefined || !Array.isArray(record.points)) {
    throw new InputError(`${file} is not a locksim partial result`, { file, expected: 'fields locksimPartial, scenarioHash, shard, scenario, points', hint: 'Pass the partial-I-of-N.json files (or their directories) written by `locksim run --shard`.' });
  }
  const partial = checkStored(PartialResultSchema, record, file, { expected: 'a partial result written by `locksim run --shard`', hint: 'The file was edited or damaged; run that shard again' }) as unknown as PartialResult;
  checkRunsAgree(partial.points, partial.scenario.seeds, partial.scenario.kind, file, 'points');
  return partial;
}

/**
 * The partial files among `inputs`: files as given, directories searched
 * (recursively, so one directory per downloaded CI artifact works) for
 * partial-I-of-N.json. Sorted, so the same inputs give the same order.
 */
export function findPartialFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(input).isDirectory();
    } catch {
      throw new InputError(`${input} does not exist`, { file: input, expected: 'a partial-I-of-N.json file or a directory holding some', hint: 'Pass the --out directories of the shards.' });
    }
    if (!isDirectory) files.push(input);
    else {
      const found = searchDirectory(input);
      if (found.length === 0) {
        throw new InputError(`no partial results in ${input}`, { file: input, expected: 'partial-I-of-N.json files', found: 'none', hint: 'Run each shard with `locksim run SCENARIO --shard I/N --out DIR` first.' });
      }
      files.push(...found);
    }
  }
  return files;
}

function searchDirectory(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...searchDirectory(path));
    else if (entry.isFile() && PARTIAL_NAME.test(entry.name)) found.push(path);
  }
  return found;
}

/** Reads the partials of `inputs` (files or directories) and merges them; see mergePartialResults. */
export function mergeSweep(inputs: readonly string[]): MergedSweep {
  const files = findPartialFiles(inputs);
  return mergePartialResults(files.map((file) => ({ file, partial: readPartial(file) })));
}

/** The merged PointRuns[] of partial files (or directories of them), in point order. */
export function mergePartials(files: readonly string[]): PointRuns[] {
  return mergeSweep(files).points;
}

/**
 * Checks that the partials are the shards 0..N-1 of one scenario, each once
 * and each holding exactly its points, and merges them in point order.
 * Every problem is an InputError naming the shard and files concerned.
 */
export function mergePartialResults(partials: readonly { readonly file: string; readonly partial: PartialResult }[]): MergedSweep {
  if (partials.length === 0) {
    throw new InputError('no partial results to merge', { file: 'argv', expected: 'one or more partial-I-of-N.json files or directories', found: 'none' });
  }
  const first = partials[0];
  for (const { file, partial } of partials) {
    if (partial.scenarioHash !== first.partial.scenarioHash) {
      const models = modelChange(modelHashes(first.partial.scenario), modelHashes(partial.scenario));
      throw new InputError(models === undefined ? 'the partials come from different scenarios or settings' : `the partials were run with different models: ${models}`, {
        file,
        expected: `scenario "${first.partial.scenarioName}" with hash ${first.partial.scenarioHash.slice(0, 12)} (as in ${first.file})`,
        found: `"${partial.scenarioName}" with hash ${partial.scenarioHash.slice(0, 12)}`,
        hint: 'Merge only the shards of one sweep: same scenario file, models, --set, --seed and --seeds.',
      });
    }
    if (partial.shard.count !== first.partial.shard.count) {
      throw new InputError('the partials split the sweep into different numbers of shards', { file, expected: `shard i/${first.partial.shard.count} (as in ${first.file})`, found: `shard ${partial.shard.index}/${partial.shard.count}`, hint: 'Run every shard with the same N.' });
    }
  }
  const count = first.partial.shard.count;
  const byIndex = new Map<number, string>();
  for (const { file, partial } of partials) {
    const seen = byIndex.get(partial.shard.index);
    if (seen !== undefined) {
      throw new InputError(`shard ${partial.shard.index}/${count} appears twice`, { file, found: `also in ${seen}`, hint: 'Pass each shard once (a directory and a file inside it count twice).' });
    }
    byIndex.set(partial.shard.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new InputError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, {
      file: 'argv',
      expected: `all ${count} shards of "${first.partial.scenarioName}"`,
      found: `${byIndex.size}: ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`).join(', ')}`,
      hint: `Run the missing shard${missing.length === 1 ? '' : 's'} (locksim run SCENARIO --shard ${missing[0]}/${count}) or pass ${missing.length === 1 ? 'its' : 'their'} output.`,
    });
  }
  const scenario = first.partial.scenario;
  const byPoint = new Map<number, PointRuns>();
  for (const { file, partial } of partials) {
    const expected = scenario.points.filter((p) => shardHasPoint(partial.shard, p.index)).map((p) => p.index);
    const found = partial.points.map((p) => p.point.index);
    if (expected.length !== found.length || expected.some((index, i) => found[i] !== index)) {
      throw new InputError(`shard ${partial.shard.index}/${count} does not hold its points`, { file, expected: `points ${expected.join(', ') || 'none'}`, found: `points ${found.join(', ') || 'none'}`, hint: 'The file was edited or written by an interrupted run; run that shard again.' });
    }
    for (const point of partial.points) byPoint.set(point.point.index, point);
  }
  return { scenario, points: scenario.points.map((p) => byPoint.get(p.index)!), command: first.partial.command };
}
