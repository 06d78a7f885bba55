// Issue 18: a memory cap that holds. The cap binds before V8's own heap limit, in the CLI's thread and in pool threads,
// the engine looks often enough, and a sampleEvery whose samples the cap cannot hold is refused before the run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Simulation, SimulationLimitError, type ProcessBody } from '../../src/engine/index.js';
import { runPointsParallel } from '../support/run-points.js';
import { launchScenario } from '../sweep/tiny-scenario.js';
import { HEAP_SHARE, maxMountTableSamples, runHeapCap, threadHeapMb } from '../../src/limits/heap.js';
import { InputError } from '../../src/input/errors.js';
import { loadScenarioText } from '../../src/pipeline.js';

const MiB = 2 ** 20;
const out = mkdtempSync(join(tmpdir(), 'locksim-heap-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the effective cap', () => {
  it('is the scenario\'s, or 75% of the thread\'s V8 heap limit when that is lower (the default 4 GiB against V8\'s 4144 MiB)', () => {
    expect(runHeapCap(4096 * MiB, 4144 * MiB)).toBe(Math.floor(HEAP_SHARE * 4144 * MiB));
    expect(runHeapCap(64 * MiB, 4144 * MiB)).toBe(64 * MiB);
  });

  it('sizes a pool thread\'s heap from the cap, with room above it', () => {
    expect(threadHeapMb(4096 * MiB)).toBe(Math.ceil(4096 / HEAP_SHARE));
    expect(runHeapCap(4096 * MiB, threadHeapMb(4096 * MiB) * MiB)).toBe(4096 * MiB);
    expect(threadHeapMb(1 * MiB)).toBe(256);
  });

  it('is looked at every 4096 events (not every 65,536)', () => {
    let looks = 0;
    const sim = new Simulation({ heapProbe: () => ++looks, limits: { maxHeapBytes: Number.MAX_SAFE_INTEGER } });
    sim.process((function* (): ProcessBody {
      for (let i = 0; i < 10_000; i++) yield sim.timeout(1);
    })());
    sim.run();
    expect(looks).toBe(2);
  });
});

describe('in pool threads', () => {
  it('a run past its cap stops with the cap (exit 3), in a thread whose heap was sized from it', async () => {
    const tiny = launchScenario([60], ['1', '2']);
    const capped = { ...tiny, points: tiny.points.map((p) => ({ ...p, spec: { ...p.spec, limits: { ...p.spec.limits, maxHeapBytes: 1 * MiB } } })) };
    const error = await runPointsParallel(capped, { jobs: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationLimitError);
    expect((error as SimulationLimitError).limit).toBe('maxHeapBytes');
    expect((error as SimulationLimitError).value).toBe(1 * MiB);
  });
});

describe('mount-table samples', () => {
  const scenario = (extra: string): string => `name: s\nmachine: r5.metal\ncontainers: 5\nlayers: 3\nseeds: 1\n${extra}\n`;
  const refusal = (text: string): InputError => {
    try {
      loadScenarioText(text, 's.yaml');
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('loaded');
  };

  it('refuses a sampleEvery that would store more samples than a run may hold, naming the field', () => {
    expect(refusal(scenario('sampleEvery: "0.001 ns"')).format()).toBe(
      's.yaml:6:14: sampleEvery: sampling every 0.001 ns up to the horizon (120 s) stores more mount-table samples than a run may hold (expected a sampleEvery of at least 121 us (a run stores at most 1000000 samples), found 120000000000001 samples). Sample less often, or shorten the horizon.',
    );
    expect(refusal(scenario('sampleEvery: "1 ms"\nlimits: {maxMemory: "16 MiB"}')).format()).toMatch(/sampleEvery: .*\(expected a sampleEvery of at least 2\.29 ms \(limits\.maxMemory holds 52428 samples of 320 bytes\), found 120001 samples\)/);
    expect(loadScenarioText(scenario('sampleEvery: "121 us"'), 's.yaml').points).toHaveLength(1);
    expect(maxMountTableSamples(4 * 2 ** 30)).toBe(1_000_000);
    expect(refusal(scenario('limits: {maxMemory: "1 B"}')).format()).toMatch(/limits\.maxMemory: the memory cap cannot hold a run's mount-table samples \(expected at least 640 bytes, found 1 bytes\)/);
  });
});

describe('the CLI under a small V8 heap', () => {
  it('stops a run that outgrows it with exit 3 naming the cap, where V8 used to abort the process (exit 134)', async () => {
    const result = await new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', 'src/cli/main.ts', 'run', 'test/cli/fixtures/heap-grower.yaml', '--jobs', '1', '--quiet', '--out', join(out, 'report')], {
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status, signal) => resolve({ status, signal, stderr }));
    });
    expect(result.signal).toBeNull();
    expect(result.stderr).not.toMatch(/FATAL|heap out of memory/);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/^locksim: the run holds \d+ MiB of heap, over its limit of \d+ MiB .*A run in the CLI's own thread \(--jobs 1\) holds at most 75% of its V8 heap limit/);
  });
});
