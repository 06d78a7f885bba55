import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, runShard, type RunScenarioOptions } from '../../src/pipeline.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';
import { InputError } from '../../src/input/errors.js';
import { SimulationLimitError } from '../../src/engine/index.js';
import { CHECKPOINT_FILE } from '../../src/sweep/checkpoint.js';
import { createExecutor, poolThreads, SweepInterruptedError } from '../../src/sweep/executor.js';
import { rebuildError, serializeError } from '../../src/sweep/task-errors.js';
import { interruptOnSignals } from '../../src/cli/signals.js';
import { runPointsParallel } from '../support/run-points.js';
import { launchScenario, pauseBenchScenario } from './tiny-scenario.js';

/** The scenario's point runs on `jobs` threads (the executor closed afterwards). */
async function runPointsOn(scenario: ResolvedScenario, jobs: number | undefined, options: RunScenarioOptions = {}) {
  const executor = createExecutor(jobs);
  try {
    return (await runScenario(scenario, { ...options, executor })).points;
  } finally {
    await executor.close();
  }
}

const scenario = launchScenario();
const reference = JSON.stringify((await runScenario(scenario)).points);
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-sweep-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('executors', () => {
  it('give the bytes of an in-thread run with a pool of 2 threads', async () => {
    const progress: number[] = [];
    const points = await runPointsOn(scenario, 2, { onProgress: (done, total) => progress.push(done * 100 + total) });
    expect(JSON.stringify(points)).toBe(reference);
    expect(progress).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 100 + 10));
  });

  it('gives the same bytes in process (jobs 1), for pause_bench too', async () => {
    expect(JSON.stringify(await runPointsOn(scenario, 1))).toBe(reference);
    const pause = pauseBenchScenario();
    expect(JSON.stringify(await runPointsOn(pause, 2))).toBe(JSON.stringify((await runScenario(pause)).points));
  });

  it('a shard runs only its points, in point order, with the bytes of the whole run', async () => {
    const partial = await runShard(scenario, { index: 1, count: 2 });
    expect(partial.points.map((p) => p.point.index)).toEqual([1, 3]);
    const whole = JSON.parse(reference) as { point: { index: number } }[];
    expect(JSON.stringify(partial.points)).toBe(JSON.stringify(whole.filter((p) => p.point.index % 2 === 1)));
  });

  it('resumes an interrupted sweep from its checkpoint and ends with the same bytes', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    // "Crash" the pool after half of the 10 runs: runs in flight are abandoned, not waited for.
    const interrupted = runPointsOn(scenario, 2, { checkpoint: { dir }, signal: controller.signal, onProgress: (done) => { if (done === 5) controller.abort(); } });
    await expect(interrupted).rejects.toThrow(SweepInterruptedError);
    const journal = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8').trimEnd().split('\n');
    expect(journal).toHaveLength(1 + 5);
    expect(JSON.parse(journal[0])).toMatchObject({ locksimCheckpoint: 1, scenarioName: 'tiny-launch' });
    for (const line of journal.slice(1)) expect(JSON.parse(line)).toMatchObject({ machine: 'r5.metal', output: { kind: 'launch' } });
    // A kill mid-write leaves a torn last line; resuming drops it.
    appendFileSync(join(dir, CHECKPOINT_FILE), '{"point":2,"seedIndex":1,"se');
    const progress: number[] = [];
    const resumed = await runPointsOn(scenario, 1, { checkpoint: { dir, resume: true }, onProgress: (done) => { progress.push(done); } });
    expect(JSON.stringify(resumed)).toBe(reference);
    expect(progress).toEqual([6, 7, 8, 9, 10]);
    expect(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8').trimEnd().split('\n')).toHaveLength(1 + 10);
    // Everything journalled: a second resume runs nothing and still gives the bytes.
    const again: number[] = [];
    expect(JSON.stringify(await runPointsOn(scenario, undefined, { checkpoint: { dir, resume: true }, onProgress: (done) => { again.push(done); } }))).toBe(reference);
    expect(again).toEqual([]);
  });

  it('abandons results already on their way when an interrupted pool is destroyed, without an uncaught error', async () => {
    const controller = new AbortController();
    const hold = new Int32Array(new SharedArrayBuffer(4));
    const interrupted = runPointsParallel(scenario, {
      jobs: 2,
      signal: controller.signal,
      onProgress: (done) => {
        if (done !== 1) return;
        // Hold this thread while the other one finishes its run: its result is queued when the pool is destroyed.
        Atomics.wait(hold, 0, 0, 400);
        controller.abort();
      },
    });
    await expect(interrupted).rejects.toThrow(SweepInterruptedError);
    // Before the fix, piscina raised "Unexpected message from Worker" here, as an uncaught exception.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('interrupts an in-process sweep between runs (costliest points first)', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const interrupted = runPointsOn(scenario, 1, { checkpoint: { dir }, signal: controller.signal, onProgress: (done) => { if (done === 3) controller.abort(); } });
    await expect(interrupted).rejects.toThrow(/interrupted after 3 of 10 runs; finished runs are kept in/);
    const journal = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8').trimEnd().split('\n');
    expect(journal.slice(1).map((line) => JSON.parse(line) as { point: number; seed: string }).map((run) => `${run.point}/${run.seed}`)).toEqual(['4/1', '4/2', '3/1']);
  });

  it('refuses to resume the checkpoint of another scenario', async () => {
    const dir = tempDir();
    const small = launchScenario([2]);
    await runPointsOn(small, 1, { checkpoint: { dir } });
    const other = launchScenario([3]);
    await expect(runPointsOn(other, 1, { checkpoint: { dir, resume: true } })).rejects.toThrow(/belongs to another scenario/);
    // Without resume the journal is replaced.
    await runPointsOn(other, 1, { checkpoint: { dir } });
    expect(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8').trimEnd().split('\n')).toHaveLength(1 + 2);
  });

  it('caps the threads at the runs and the cores: --jobs 1000 on two cores is two threads, and the same bytes', async () => {
    expect(poolThreads(1000, 24, 2)).toBe(2);
    expect(poolThreads(1000, 1, 24)).toBe(1);
    expect(poolThreads(4, 24, 24)).toBe(4);
    expect(poolThreads(3, 0, 8)).toBe(1);
    expect(JSON.stringify(await runPointsOn(scenario, 1000))).toBe(JSON.stringify(await runPointsOn(scenario, 1)));
  });

  it('refuses a job count that is not a whole number of at least 1', () => {
    expect(() => createExecutor(0)).toThrow(InputError);
    expect(() => createExecutor(1.5)).toThrow(/invalid job count/);
  });

  it('stops at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runPointsOn(scenario, 1, { signal: controller.signal })).rejects.toThrow(/interrupted after 0 of 10 runs/);
  });
});

describe('interruptOnSignals', () => {
  it('aborts on the first SIGINT and then steps aside', () => {
    const before = process.listenerCount('SIGINT');
    const { signal, dispose } = interruptOnSignals();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT');
    expect(signal.aborted).toBe(true);
    // A second Ctrl-C gets Node's default: the process ends.
    expect(process.listenerCount('SIGINT')).toBe(before);
    dispose();
  });
});

describe('errors across the thread boundary', () => {
  it('keep their class, so the CLI keeps its exit code', () => {
    const input = rebuildError(serializeError(new InputError('unknown machine', { file: 'x.yaml', line: 3, hint: 'try r5.metal' })));
    expect(input).toBeInstanceOf(InputError);
    expect((input as InputError).format()).toBe('x.yaml:3: unknown machine. try r5.metal');
    const limit = rebuildError(serializeError(new SimulationLimitError('maxEvents', 10, 'too many events')));
    expect(limit).toBeInstanceOf(SimulationLimitError);
    expect((limit as SimulationLimitError).limit).toBe('maxEvents');
  });
});
