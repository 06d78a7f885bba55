import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { parseShard, shardFromEnvironment, shardHasPoint } from '../../src/sweep/shard.js';
import { resolveShard } from '../../src/sweep/shard.js';

describe('parseShard', () => {
  it('reads I/N with I from 0', () => {
    expect(parseShard('0/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 2 / 3 ')).toEqual({ index: 2, count: 3 });
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
  });

  it('rejects what is not a shard, as an InputError', () => {
    for (const text of ['3/3', '1/0', '-1/3', '1', 'a/b', '1/3/4', '1.5/3']) expect(() => parseShard(text)).toThrow(InputError);
    expect(() => parseShard('3/3')).toThrow(/shard index 3 is out of range for 3 shards/);
  });

  it('deals points round-robin: shard I of N runs index % N == I', () => {
    const shards = [0, 1, 2].map((index) => Array.from({ length: 8 }, (_, point) => point).filter((point) => shardHasPoint({ index, count: 3 }, point)));
    expect(shards).toEqual([[0, 3, 6], [1, 4, 7], [2, 5]]);
  });
});

describe('shardFromEnvironment', () => {
  it('is undefined outside a scheduler', () => {
    expect(shardFromEnvironment({ HOME: '/root' })).toBeUndefined();
  });

  it('reads a Kubernetes Indexed Job: JOB_COMPLETION_INDEX and LOCKSIM_SHARD_COUNT', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '4', LOCKSIM_SHARD_COUNT: '8' })).toEqual({ index: 4, count: 8 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '4' })).toThrow(/LOCKSIM_SHARD_COUNT/);
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '8', LOCKSIM_SHARD_COUNT: '8' })).toThrow(/out of range/);
  });

  it('reads a Slurm array, counting from SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP', () => {
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ index: 7, count: 8 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '4' })).toEqual({ index: 3, count: 4 });
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '2' })).toThrow(/SLURM_ARRAY_TASK_COUNT/);
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(/not a whole number/);
  });

  it('prefers Kubernetes when both are set', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '1', LOCKSIM_SHARD_COUNT: '2', SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 1, count: 2 });
  });
});

describe('resolveShard', () => {
  it('takes --shard over the environment, the environment otherwise', () => {
    const env = { JOB_COMPLETION_INDEX: '1', LOCKSIM_SHARD_COUNT: '2' };
    expect(resolveShard({ shard: '0/5' }, env)).toEqual({ index: 0, count: 5 });
    expect(resolveShard({}, env)).toEqual({ index: 1, count: 2 });
    expect(resolveShard({}, {})).toBeUndefined();
    expect(() => resolveShard({ requireEnvironment: true }, {})).toThrow(/--shard-from-env found no shard/);
  });
});
