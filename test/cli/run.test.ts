// `locksim run`, `compare` and `report` through their handlers, on scenarios small enough to run in seconds.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun, loadRunScenario, seedList } from '../../src/cli/commands/run.js';
import { executeReport } from '../../src/cli/commands/report.js';
import { machineSweepOverride, parseMachineList } from '../../src/cli/commands/compare.js';
import { directoryBytes, recordingContext, TINY_LAUNCH, TINY_PAUSE } from './support.js';

const LAUNCH_FILES = [
  'resolved.json',
  'results.json',
  'summary.json',
  'summary.csv',
  'runs.csv',
  ...['latency', 'failures', 'time-breakdown', 'handoffs', 'mount-table'].flatMap((c) => [`${c}.vl.json`, `${c}.csv`, `${c}.svg`, `${c}.png`]),
  'flamegraph-r5.metal.on-cpu.folded',
  'flamegraph-r5.metal.off-cpu.folded',
  'flamegraph-m7a.24xlarge.on-cpu.folded',
  'flamegraph-m7a.24xlarge.off-cpu.folded',
  'index.html',
].sort();

describe('locksim run on a tiny launch scenario', () => {
  let root: string;
  let out: string;
  const context = recordingContext();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'locksim-cli-'));
    out = join(root, 'report');
    await executeRun({ scenario: TINY_LAUNCH, out, jobs: 1, command: `locksim run ${TINY_LAUNCH}` }, context);
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('writes every report file', () => {
    expect([...directoryBytes(out).keys()]).toEqual(LAUNCH_FILES);
  });

  it('prints the summary table and where the report is', () => {
    const text = context.stdout.join('\n');
    expect(text).toMatch(/containers\s+machine\s+p50 latency \(s\)\s+p99 latency \(s\)\s+failed\s+lock waiting share/);
    expect(text.split('\n').filter((line) => /^\s+[24]\s+(r5\.metal|m7a\.24xlarge)\s/.test(line))).toHaveLength(4);
    expect(text).toContain(join(out, 'index.html'));
  });

  it('writes one summary.csv row per sweep point with coordinates, machine, mean and ci95', async () => {
    const lines = (await readFile(join(out, 'summary.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(lines[0].startsWith('point,sweep.machine,containers,machine,p50LatencyS,p50LatencyS_ci95,')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(lines[1].startsWith('0,r5.metal,2,r5.metal,')).toBe(true);
  });

  it('records the resolved scenario, version and command in resolved.json', async () => {
    const resolved = JSON.parse(await readFile(join(out, 'resolved.json'), 'utf8'));
    expect(Object.keys(resolved)).toEqual(['locksim', 'name', 'description', 'file', 'kind', 'seeds', 'points', 'expectations', 'source', 'models']);
    expect(resolved.locksim.command).toBe(`locksim run ${TINY_LAUNCH}`);
    expect(resolved.seeds).toEqual(['1', '2']);
    expect(resolved.points).toHaveLength(4);
  });

  it('draws every chart and the reproduce command into index.html', async () => {
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html.match(/<figure /g)).toHaveLength(5);
    expect(html).toContain(`locksim run ${TINY_LAUNCH}`);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('`report DIR` redraws the same bytes without simulating', async () => {
    const before = directoryBytes(out);
    const again = recordingContext();
    const files = await executeReport(out, {}, again);
    expect(files.length).toBe(LAUNCH_FILES.length - 2);
    const after = directoryBytes(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(after.get(name)?.equals(bytes), name).toBe(true);
  });

  it('gives byte-identical files when run again on two threads into another directory', async () => {
    const second = join(root, 'second');
    await executeRun({ scenario: TINY_LAUNCH, out: second, jobs: 2, command: `locksim run ${TINY_LAUNCH}` }, recordingContext());
    const a = directoryBytes(out);
    const b = directoryBytes(second);
    for (const [name, bytes] of a) expect(b.get(name)?.equals(bytes), name).toBe(true);
  });
});

describe('locksim run --json and pause_bench', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'locksim-cli-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('prints the summary as JSON that parses, and draws the pause_bench charts', async () => {
    const context = recordingContext();
    const out = join(root, 'pause');
    await executeRun({ scenario: TINY_PAUSE, out, json: true, seed: '42', jobs: 1, command: 'locksim run' }, context);
    expect(context.stdout).toHaveLength(1);
    const summary = JSON.parse(context.stdout[0]);
    expect(summary.scenario).toBe('tiny-pause');
    expect(summary.seeds).toEqual(['42', '43']);
    expect(summary.points).toHaveLength(4);
    expect(summary.points[0].metrics.latencyNs.perSeed).toHaveLength(2);
    const files = [...directoryBytes(out).keys()];
    expect(files).toContain('pause-bench.png');
    expect(files).toContain('handoffs.vl.json');
    expect(files.some((f) => f.endsWith('.folded'))).toBe(false);
  });

  it('--quiet prints only the report path', async () => {
    const context = recordingContext();
    const out = join(root, 'quiet');
    await executeRun({ scenario: TINY_PAUSE, out, quiet: true, seeds: 1, jobs: 1, set: ['sweep.threads=[2]'], command: 'locksim run' }, context);
    expect(context.stdout).toEqual([join(out, 'index.html')]);
  });
});

describe('seeds and overrides', () => {
  it('--seed S gives S, S+1, ... when S is a number, S-1, S-2, ... otherwise', () => {
    expect(seedList('7', 3)).toEqual(['7', '8', '9']);
    expect(seedList('nightly', 2)).toEqual(['nightly-1', 'nightly-2']);
    expect(seedList('nightly', 1)).toEqual(['nightly']);
    expect(() => seedList('a b', 1)).toThrow(/invalid seed/);
  });

  it('--seed keeps the file\'s seed count unless --seeds is given, and keeps "007" a string', () => {
    expect(loadRunScenario({ scenario: TINY_LAUNCH, seed: '10' }).seeds).toEqual(['10', '11']);
    expect(loadRunScenario({ scenario: TINY_LAUNCH, seed: 'x', seeds: 3 }).seeds).toEqual(['x-1', 'x-2', 'x-3']);
    expect(loadRunScenario({ scenario: TINY_LAUNCH, seeds: 1 }).seeds).toEqual(['1']);
  });

  it('compare sweeps the machine over the list, replacing the file\'s machine sweep', () => {
    const machines = parseMachineList('r5.metal, m7i.metal-24xl+ht-off');
    const scenario = loadRunScenario({ scenario: TINY_LAUNCH, set: [machineSweepOverride(machines)] });
    expect(scenario.points.map((p) => p.coordinates.machine)).toEqual(['r5.metal', 'r5.metal', 'm7i.metal-24xl+ht-off', 'm7i.metal-24xl+ht-off']);
    expect(() => parseMachineList('r5.metal,,m7a.24xlarge')).toThrow(/invalid machine list/);
    expect(() => parseMachineList('r5.metal,r5.metal')).toThrow(/twice/);
  });
});
