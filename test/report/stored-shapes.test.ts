// Issue 18: files locksim reads back (results.json, resolved.json, checkpoint lines, partials) are checked at every level:
// a wrong shape is an InputError naming the file and the field, never a TypeError (exit 70).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { runScenario, type ScenarioRun } from '../../src/pipeline.js';
import { loadScenario } from '../../src/pipeline.js';
import { rerenderReport, writeRunReport } from '../../src/report/write-run.js';
import { CHECKPOINT_FILE } from '../../src/sweep/checkpoint.js';
import { makePartial, readPartial, writePartial } from '../../src/sweep/partial.js';
import { runPointsParallel } from '../support/run-points.js';

const TINY = 'test/cli/fixtures/tiny-launch.yaml';
/** A stored JSON document, edited freely to damage it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the edits reach any depth of an untyped document
type Doc = Record<string, any>;
const root = mkdtempSync(join(tmpdir(), 'locksim-shapes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const report = join(root, 'report');
let run: ScenarioRun;

beforeAll(async () => {
  run = await runScenario(loadScenario(TINY, { set: ['sweep.machine=[r5.metal]', 'sweep.containers=[2, 3]'], seeds: 2 }));
  await writeRunReport(run, report, { command: 'locksim run tiny', version: '1' });
});

async function errorOf(action: () => Promise<unknown> | unknown): Promise<InputError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** A copy of the report with `edit` applied to one of its JSON documents. */
function damaged(file: 'results.json' | 'resolved.json', edit: (doc: Doc) => void): string {
  const dir = mkdtempSync(join(root, 'damaged-'));
  cpSync(report, dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Doc;
  edit(doc);
  writeFileSync(join(dir, file), JSON.stringify(doc));
  return dir;
}

describe('locksim report on a damaged report', () => {
  it.each<[string, 'results.json' | 'resolved.json', (doc: Doc) => void, string, RegExp]>([
    ['points that are not a list', 'results.json', (d) => (d.points = 'oops'), 'points', /expected a list of .*found "oops"/],
    ['runs: null', 'results.json', (d) => (d.points[0].runs = null), 'points[0].runs', /found null/],
    ['a run without its result', 'results.json', (d) => delete d.points[1].runs[0].result, 'points[1].runs[0].result', /missing field `result`/],
    ['a latency that is text, deep in a run', 'results.json', (d) => (d.points[0].runs[1].result.containers[0].timeNs[3] = 'x'), 'points[0].runs[1].result.containers[0].timeNs[3]', /expected a number, found "x"/],
    ['fewer runs than seeds', 'results.json', (d) => d.points[0].runs.pop(), 'points[0].runs', /a point does not hold one run per seed \(expected 2 runs/],
    ['a pause-bench run in a launch report', 'results.json', (d) => (d.points[0].runs[0] = { kind: 'pause-bench', result: { threads: 1, cpus: [], acquisitions: 0, meanLatencyNs: 0, p50LatencyNs: 0, p99LatencyNs: 0, throughputPerSec: 0, handoffsByClass: { self: 0, smt: 0, domain: 0, 'cross-domain': 0, 'cross-socket': 0 } } }), 'points[0].runs[0].kind', /a run is of another kind/],
    ['no points in resolved.json', 'resolved.json', (d) => (d.points = []), 'points', /expected a list of at least 1/],
    ['a point spec of no known kind', 'resolved.json', (d) => (d.points[0].spec = { kind: 'launch' }), 'points[0].spec.machineModel', /machineModel/],
  ])('refuses %s, naming the field', async (_name, file, edit, path, pattern) => {
    const dir = damaged(file, edit);
    const error = await errorOf(() => rerenderReport(dir, { version: '1' }));
    expect(error.detail.file).toBe(join(dir, file));
    expect(error.detail.path).toBe(path);
    expect(error.format()).toMatch(pattern);
  });
});

describe('a damaged checkpoint or partial', () => {
  it('refuses a journal line whose output is {} (or deeper damage), naming the line and field', async () => {
    const scenario = loadScenario(TINY, { set: ['sweep.machine=[r5.metal]', 'sweep.containers=[2]'], seeds: 2 });
    const dir = join(root, 'checkpoint');
    await runPointsParallel(scenario, { jobs: 1, checkpoint: { dir } });
    const file = join(dir, CHECKPOINT_FILE);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const line = JSON.parse(lines[2]) as Doc;
    for (const [output, path] of [[{}, 'output'], [{ kind: 'launch', result: { ...line.output.result, containers: 'x' } }, 'output.result.containers']] as const) {
      writeFileSync(file, `${[...lines.slice(0, 2), JSON.stringify({ ...line, output })].join('\n')}\n`);
      const error = await errorOf(() => runPointsParallel(scenario, { jobs: 1, checkpoint: { dir, resume: true } }));
      expect(error.detail.line).toBe(3);
      expect(error.detail.path).toBe(path);
      expect(error.format()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: ${path.replace('.', '\\.')}:`));
    }
    writeFileSync(file, 'null\n');
    expect((await errorOf(() => runPointsParallel(scenario, { jobs: 1, checkpoint: { dir, resume: true } }))).message).toMatch(/is not a locksim checkpoint/);
  });

  it('refuses a partial with a damaged run', async () => {
    const dir = join(root, 'partial');
    cpSync(report, dir, { recursive: true });
    const file = await writePartial(dir, makePartial(run.scenario, { index: 0, count: 1 }, run.points));
    expect(readPartial(file).points).toHaveLength(2);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
    doc.points[1].runs[0].result = null;
    writeFileSync(file, JSON.stringify(doc));
    const error = await errorOf(() => readPartial(file));
    expect(error.detail.path).toBe('points[1].runs[0].result');
  });
});
