// writeRunReport / rerenderReport and the documents behind them, on a one-machine launch run.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type ScenarioRun } from '../../src/pipeline.js';
import { loadScenario } from '../../src/pipeline.js';
import { rerenderReport, writeRunReport } from '../../src/report/write-run.js';
import { launchResult } from '../../src/workloads/launch/index.js';
import { reportCharts, reportData, resolvedDocument, resultsDocument, scenarioFromDocument, summaryCsv, type ResolvedDocument, type ResultsDocument } from '../../src/report/run-report.js';
import { withRelativeFiles } from '../../src/scenario/models.js';

const TINY = 'test/cli/fixtures/tiny-launch.yaml';
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

let run: ScenarioRun;
let dir: string;
let files: string[];
beforeAll(async () => {
  run = await runScenario(loadScenario(TINY, { set: ['sweep.machine=[r5.metal]', 'sweep.containers=[2, 3]'], seeds: 2 }));
  dir = await mkdtemp(join(tmpdir(), 'locksim-write-run-'));
  files = await writeRunReport(run, dir, { command: 'locksim run tiny', version: '9.9.9' });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('writeRunReport', () => {
  it('returns every path it wrote, the documents first and the page last', () => {
    expect(files[0]).toBe(join(dir, 'resolved.json'));
    expect(files[1]).toBe(join(dir, 'results.json'));
    expect(files[files.length - 1]).toBe(join(dir, 'index.html'));
    expect(files).toContain(join(dir, 'flamegraph-r5.metal.on-cpu.folded'));
    expect(files).toContain(join(dir, 'flamegraph-r5.metal.off-cpu.folded'));
    expect(files).toContain(join(dir, 'runs.csv'));
    expect(new Set(files).size).toBe(files.length);
  });

  it('writes the summary the run computed, with its head and metric catalogue', async () => {
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ schemaVersion: 1, kind: 'launch', ...roundTrip(run.summary) });
    expect(summary.metrics.find((m: { name: string }) => m.name === 'p99LatencyS')).toMatchObject({ unit: 's', better: 'lower' });
  });

  it('re-renders byte for byte from the stored documents', async () => {
    const before = await Promise.all(files.map((f) => readFile(f)));
    const again = await rerenderReport(dir, { version: '9.9.9' });
    expect(again).toEqual(files.slice(2));
    const after = await Promise.all(files.map((f) => readFile(f)));
    after.forEach((bytes, i) => expect(bytes.equals(before[i]), files[i]).toBe(true));
  });

  it('merges the runs\' folded stacks per machine, in simulated ns, on-CPU and off-CPU apart', async () => {
    const expected = run.points.flatMap((p) => p.runs).reduce((sum, r) => sum + (r.kind === 'launch' ? launchResult(r).folded.reduce((s, f) => s + f.weight, 0) : 0), 0);
    const weigh = (text: string): number => text.trimEnd().split('\n').reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    const on = await readFile(join(dir, 'flamegraph-r5.metal.on-cpu.folded'), 'utf8');
    const off = await readFile(join(dir, 'flamegraph-r5.metal.off-cpu.folded'), 'utf8');
    expect(Math.abs(weigh(on) + weigh(off) - expected) / expected).toBeLessThan(1e-6);
    expect(on).toMatch(/^container launch;/);
    // Leaves say where the time went: spinning and critical sections are on a CPU, sleeping is not.
    const leaves = (text: string): string[] => text.trimEnd().split('\n').map((line) => line.slice(0, line.lastIndexOf(' ')).split(';').at(-1)!);
    expect(leaves(on).some((leaf) => leaf.startsWith('sleep:'))).toBe(false);
    expect(leaves(off).every((leaf) => !leaf.startsWith('spin:') && !leaf.startsWith('cs:'))).toBe(true);
  });
});

describe('report documents', () => {
  it('resolved.json restores the scenario that ran, naming model files relative to the working directory', () => {
    const doc = roundTrip(resolvedDocument(run.scenario, { command: 'c', version: 'v' }));
    expect(doc.locksim).toEqual({ version: 'v', command: 'c' });
    expect(scenarioFromDocument(doc)).toEqual(roundTrip({ ...run.scenario, models: withRelativeFiles(run.scenario.models, process.cwd()) }));
    const machine = Object.values(doc.models.machines)[0];
    expect(machine.file).toBe(`models/machines/${machine.name}.yaml`);
    expect(JSON.stringify(doc.models)).not.toContain(process.cwd());
    // Elsewhere than the checkout, the paths stay absolute.
    expect(Object.values(resolvedDocument(run.scenario, { command: 'c', version: 'v', base: '/nonexistent' }).models.machines)[0].file).toBe(Object.values(run.scenario.models.machines)[0].file);
  });

  it('results.json recomputes the same summary', () => {
    const resolved = roundTrip(resolvedDocument(run.scenario, { command: 'c', version: 'v' }));
    const results = roundTrip(resultsDocument(run, { version: 'v' }));
    expect(results.omitted).toEqual([]);
    expect(reportData(resolved, results).summary).toEqual(roundTrip(run.summary));
  });

  it('over budget, drops only the mount-table samples no chart draws', () => {
    const resolved: ResolvedDocument = roundTrip(resolvedDocument(run.scenario, { command: 'c', version: 'v' }));
    const full: ResultsDocument = roundTrip(resultsDocument(run, { version: 'v' }));
    const slim: ResultsDocument = roundTrip(resultsDocument(run, { version: 'v', budgetBytes: 1000 }));
    expect(slim.omitted).toHaveLength(1);
    const samples = (doc: ResultsDocument) => doc.points.map((p) => p.runs.map((r) => (r.kind === 'launch' ? launchResult(r).mountTable.samples.length : 0)));
    expect(samples(slim)[0].every((n) => n === 0)).toBe(true);
    expect(samples(slim)[1]).toEqual(samples(full)[1]);
    expect(reportCharts(reportData(resolved, slim))).toEqual(reportCharts(reportData(resolved, full)));
  });

  it('summary.csv has one row per point', () => {
    const csv = summaryCsv(run.summary, 'launch').trimEnd().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[1].startsWith('0,r5.metal,2,r5.metal,')).toBe(true);
  });
});

describe('the family-pair study beside a report', () => {
  it('shows on a launch report that compares its machines, and not on another kind\'s', async () => {
    const root = await mkdtemp(join(tmpdir(), 'locksim-pairs-beside-'));
    await mkdir(join(root, 'hardware-pairs'));
    const study = { scenario: 'hardware-pairs', seeds: 2, rows: [{ pair: { label: 'r5 vs m7i', a: 'r5.metal', b: 'm7i.metal-24xl' }, full: { a: 8.86, b: 8.15, diff: 0.71 }, mechanisms: [{ mechanism: 'numaHandoffs', share: 0.86 }], restsOn: [] }] };
    await writeFile(join(root, 'hardware-pairs', 'pairs.json'), JSON.stringify(study));
    await writeRunReport(run, join(root, 'launch'), { command: 'c', version: 'v' });
    const pause = await runScenario(loadScenario('test/cli/fixtures/tiny-pause.yaml', { set: ['sweep.machine=[r5.metal]'] }));
    await writeRunReport(pause, join(root, 'pause'), { command: 'c', version: 'v' });
    expect(await readFile(join(root, 'launch', 'index.html'), 'utf8')).toContain('<section id="hardware-pairs">');
    expect(await readFile(join(root, 'pause', 'index.html'), 'utf8')).not.toContain('hardware-pairs');
    await rm(root, { recursive: true, force: true });
  });
});
