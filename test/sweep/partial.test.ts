import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeRun, runScenario, runShard } from '../../src/pipeline.js';
import { InputError } from '../../src/input/errors.js';
import { decodeJson, encodeJson } from '../../src/input/json-codec.js';
import { scenarioHash } from '../../src/sweep/identity.js';
import { findPartialFiles, mergePartials, mergeSweep, readPartial, writePartial } from '../../src/sweep/partial.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';

/** Runs one shard and writes its partial into `dir`; returns the file. */
async function shardTo(scenario: ResolvedScenario, dir: string, shard: { index: number; count: number }, command?: string): Promise<string> {
  return writePartial(dir, await runShard(scenario, shard, { command }));
}
import { launchScenario } from './tiny-scenario.js';

const scenario = launchScenario();
let root: string;
let shardFiles: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'locksim-partial-'));
  shardFiles = [];
  for (let index = 0; index < 3; index++) {
    const dir = join(root, `shard-${index}`);
    mkdirSync(dir);
    shardFiles.push(await shardTo(scenario, dir, { index, count: 3 }, 'locksim run tiny.yaml'));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sharded sweeps', () => {
  it('write partial-I-of-N.json holding the points with index % N == I', () => {
    expect(shardFiles.map((file) => file.slice(root.length + 1))).toEqual(['shard-0/partial-0-of-3.json', 'shard-1/partial-1-of-3.json', 'shard-2/partial-2-of-3.json']);
    const partial = readPartial(shardFiles[1]);
    expect(partial).toMatchObject({ scenarioName: 'tiny-launch', scenarioHash: scenarioHash(scenario), shard: { index: 1, count: 3 }, command: 'locksim run tiny.yaml' });
    expect(partial.points.map((p) => p.point.index)).toEqual([1, 4]);
  });

  it('merge (0/3, 1/3, 2/3) into the bytes of a single run', async () => {
    const single = (await runScenario(scenario)).points;
    expect(JSON.stringify(mergePartials(shardFiles))).toBe(JSON.stringify(single));
    // Any order of inputs, directories searched recursively.
    expect(JSON.stringify(mergePartials([root]))).toBe(JSON.stringify(single));
    expect(JSON.stringify(mergePartials([shardFiles[2], shardFiles[0], shardFiles[1]]))).toBe(JSON.stringify(single));
    const merged = mergeSweep([root]);
    expect(JSON.stringify(merged.scenario)).toBe(JSON.stringify(scenario));
    expect(merged.command).toBe('locksim run tiny.yaml');
    const { summary } = await runScenario(scenario);
    expect(JSON.stringify(completeRun(merged.scenario, merged.points).summary)).toBe(JSON.stringify(summary));
  });

  it('name a missing shard', () => {
    const error = catchError(() => mergePartials([shardFiles[0], shardFiles[2]]));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('shard 1/3 missing');
    expect(error.format()).toMatch(/found 2: 0\/3, 2\/3\).*--shard 1\/3/);
  });

  it('name a duplicate shard', () => {
    const error = catchError(() => mergePartials([root, shardFiles[1]]));
    expect(error.message).toBe('shard 1/3 appears twice');
  });

  it('refuse partials of another scenario or another shard count', async () => {
    const otherDir = join(root, 'other');
    mkdirSync(otherDir);
    const other = await shardTo(launchScenario([2, 3, 4, 5, 6], ['1']), otherDir, { index: 1, count: 3 });
    expect(catchError(() => mergePartials([shardFiles[0], other, shardFiles[2]])).message).toMatch(/different scenarios/);
    const halves = join(root, 'halves');
    mkdirSync(halves);
    const half = await shardTo(scenario, halves, { index: 1, count: 2 });
    expect(catchError(() => mergePartials([shardFiles[0], half])).message).toMatch(/different numbers of shards/);
  });

  it('refuse a partial that does not hold its points, or is not a partial', () => {
    const tampered = join(root, 'tampered');
    mkdirSync(tampered);
    const partial = readPartial(shardFiles[1]);
    writeFileSync(join(tampered, 'partial-1-of-3.json'), encodeJson({ ...partial, points: partial.points.slice(0, 1) }));
    expect(catchError(() => mergePartials([shardFiles[0], join(tampered, 'partial-1-of-3.json'), shardFiles[2]])).message).toBe('shard 1/3 does not hold its points');
    writeFileSync(join(tampered, 'partial-0-of-3.json'), '{"points": []}');
    expect(catchError(() => readPartial(join(tampered, 'partial-0-of-3.json'))).message).toMatch(/is not a locksim partial result/);
    expect(catchError(() => findPartialFiles([join(root, 'nowhere')])).message).toMatch(/does not exist/);
  });
});

describe('the JSON codec of partials and checkpoints', () => {
  it('brings NaN and infinities back, and drops undefined as JSON.stringify does', () => {
    const value = { a: Number.NaN, b: [Number.POSITIVE_INFINITY, -Infinity, 1.5], c: undefined, d: 'NaN' };
    const decoded = decodeJson(encodeJson(value)) as typeof value;
    expect(decoded.a).toBeNaN();
    expect(decoded.b).toEqual([Infinity, -Infinity, 1.5]);
    expect('c' in decoded).toBe(false);
    expect(decoded.d).toBe('NaN');
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(value));
  });

  it('partials on disk are whole JSON documents', () => {
    expect(() => decodeJson(readFileSync(shardFiles[0], 'utf8'))).not.toThrow();
  });
});

function catchError(body: () => unknown): InputError {
  try {
    body();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
