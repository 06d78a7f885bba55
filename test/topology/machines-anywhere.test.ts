// Issue 16: machines from anywhere: a search path (--models, LOCKSIM_MODELS_PATH), a machine file by
// its path relative to the scenario, overrides of any machine field, socket hops, derived-machine warnings.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_ROOT, ModelCatalog, modelSearchPath } from '../../src/input/catalog.js';
import { loadScenario, loadScenarioText } from '../../src/pipeline.js';
import { machineWarnings } from '../../src/scenario/models.js';
import { buildTopology, loadMachineModel } from '../../src/topology/index.js';
import { runCli } from '../../src/cli/cli.js';
import { recordingContext } from '../cli/support.js';
import { errorOf } from '../support/input-error.js';

const root = mkdtempSync(join(tmpdir(), 'locksim-anywhere-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const m7i = readFileSync(join(DEFAULT_MODELS_ROOT, 'machines', 'm7i.metal-24xl.yaml'), 'utf8');
/** A copy of m7i.metal-24xl named `name`, with `edit` applied to its text. */
function machineFile(dir: string, name: string, edit: (text: string) => string = (t) => t): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, edit(m7i.replace('name: m7i.metal-24xl', `name: ${name}`)));
  return file;
}

const tinyBench = (machine: string): string => `name: t\nkind: lock-bench\nmachine: "${machine}"\nthreads: 2\nduration: 20 us\nseeds: 1\n`;

describe('the model search path', () => {
  const mine = join(root, 'mine');
  machineFile(mine, 'my-box');

  it('finds a family in a folder of machine files before the repository, and lists both', () => {
    const catalog = new ModelCatalog(DEFAULT_MODELS_ROOT, {}, [mine]);
    expect(catalog.find('machines', 'my-box')).toBe(join(mine, 'my-box.yaml'));
    expect(catalog.names('machines')).toContain('my-box');
    expect(catalog.names('machines')).toContain('r5.metal');
    // Names are still names: a path is never looked up.
    expect(catalog.find('machines', '../mine/my-box')).toBeUndefined();
  });

  it('reads LOCKSIM_MODELS_PATH like PATH', () => {
    expect(modelSearchPath({ LOCKSIM_MODELS_PATH: `${mine}:${root}` })).toEqual([mine, root]);
    expect(modelSearchPath({})).toEqual([]);
  });

  it('--models DIR makes a family of the folder known to the command, and only to it', async () => {
    const scenario = join(root, 'by-name.yaml');
    writeFileSync(scenario, tinyBench('my-box'));
    const context = recordingContext();
    expect(await runCli(['run', scenario, '--models', mine, '--out', join(root, 'out-by-name'), '--quiet'], context)).toBe(0);
    expect(process.env.LOCKSIM_MODELS_PATH).toBeUndefined();
    const without = recordingContext();
    expect(await runCli(['run', scenario, '--out', join(root, 'out-none'), '--quiet'], without)).toBe(2);
    expect(without.stderr.join('\n')).toMatch(/unknown machine family `my-box`.*--models DIR/s);
    const missing = recordingContext();
    expect(await runCli(['run', scenario, '--models', join(root, 'nowhere')], missing)).toBe(2);
    expect(missing.stderr.join('\n')).toMatch(/--models: the models folder does not exist/);
  }, 30_000);
});

describe('a machine file by its path', () => {
  it('is read relative to the scenario file, and a missing one is named', () => {
    const dir = join(root, 'project');
    machineFile(join(dir, 'machines'), 'lab-box');
    const file = join(dir, 'bench.yaml');
    writeFileSync(file, tinyBench('./machines/lab-box.yaml+ht-off'));
    const scenario = loadScenario(file);
    expect(scenario.points[0].spec.machineModel in scenario.models.machines).toBe(true);
    expect(Object.values(scenario.models.machines)[0].name).toBe('lab-box');
    writeFileSync(file, tinyBench('./machines/no-such.yaml'));
    expect(errorOf(() => loadScenario(file)).format()).toMatch(/bench\.yaml:3:10: machine: the machine file does not exist/);
  });
});

describe('machineOverrides', () => {
  it('changes any field of the machine as if written in its file, and warns that the CPU model and price stayed', () => {
    const scenario = loadScenarioText(`${tinyBench('m7i.metal-24xl')}machineOverrides: {topology: {coresPerSocket: 24}, latency: {sameDomain: {base: 60 ns}}}\n`, 'o.yaml');
    const model = Object.values(scenario.models.machines)[0];
    expect(model.coresPerSocket).toBe(24);
    expect(model.latency.sameDomain.baseNs).toBe(60);
    const warnings = machineWarnings([scenario]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/m7i\.metal-24xl with machineOverrides of its hardware keeps its CPU model .*set machineOverrides\.cpuModel/);
    const priced = loadScenarioText(`${tinyBench('m7i.metal-24xl')}machineOverrides: {topology: {coresPerSocket: 24}, cpuModel: "Xeon 6", price: {usdPerHour: 2, date: 2026-01, source: mine}}\n`, 'o.yaml');
    expect(machineWarnings([priced])).toEqual([]);
  });

  it('is checked like the file, from the scenario and from --set, and can be swept', () => {
    expect(errorOf(() => loadScenarioText(`${tinyBench('m7i.metal-24xl')}machineOverrides: {topology: {cores: 24}}\n`, 'o.yaml')).format()).toMatch(/o\.yaml:7:\d+: machineOverrides\.topology\.cores: unknown field/);
    expect(errorOf(() => loadScenarioText(tinyBench('m7i.metal-24xl'), 'o.yaml', { set: ['machineOverrides.topology.coresPerSocket=-3'] })).format()).toMatch(/^--set: machineOverrides\.topology\.coresPerSocket/);
    const swept = loadScenarioText(`${tinyBench('m7i.metal-24xl')}sweep: {machineOverrides.topology.coresPerSocket: [16, 24]}\n`, 'o.yaml');
    expect(swept.points.map((p) => swept.models.machines[p.spec.machineModel].coresPerSocket)).toEqual([16, 24]);
  });
});

describe('socket hops', () => {
  const hops = '  socketHops: [[0, 1, 2, 1], [1, 0, 1, 2], [2, 1, 0, 1], [1, 2, 1, 0]]\n';
  const fourSockets = (text: string): string =>
    text
      .replace('  sockets: 1', '  sockets: 4')
      .replace('  threadsPerCore: 2\n', `  threadsPerCore: 2\n${hops}`)
      .replace('  sameDomain:', '  crossSocket: { base: 130 ns, basis: estimate, source: test }\n  extraHop: { value: 70 ns, basis: estimate, source: test }\n  sameDomain:')
      .replace('coherence:\n', 'coherence:\n')
      .replace(/memory:\n/, 'memory:\n  dramRemote: { value: 190 ns, range: [150 ns, 230 ns], basis: estimate, source: test }\n');

  it('add the extra hop to moves between sockets two hops apart', () => {
    const file = machineFile(join(root, 'hops'), 'four-socket', fourSockets);
    const topology = buildTopology(loadMachineModel(file));
    const first = (socket: number): number => topology.cpus.find((c) => c.socket === socket)!.id;
    const oneHop = topology.transferNs(first(0), first(1), 0);
    const twoHops = topology.transferNs(first(0), first(2), 0);
    expect(topology.distanceClass(first(0), first(2))).toBe('cross-socket');
    expect(twoHops - oneHop).toBeCloseTo(70, 6);
    expect(topology.memoryNs(first(2), 0) - topology.memoryNs(first(1), 0)).toBeCloseTo(70, 6);
  });

  it('must be a symmetric socket-by-socket table, with extraHop when a pair is two hops apart', () => {
    const bad = machineFile(join(root, 'hops'), 'lopsided', (t) => fourSockets(t).replace(hops, '  socketHops: [[0, 1, 2, 1], [1, 0, 1, 2], [3, 1, 0, 1], [1, 2, 1, 0]]\n'));
    expect(errorOf(() => loadMachineModel(bad)).format()).toMatch(/lopsided\.yaml:\d+:\d+: topology\.socketHops\[0\]: socketHops is not symmetric/);
    const noExtra = machineFile(join(root, 'hops'), 'no-extra', (t) => fourSockets(t).replace(/ {2}extraHop:.*\n/, ''));
    expect(errorOf(() => loadMachineModel(noExtra)).message).toMatch(/missing latency `extraHop`/);
  });
});

describe('derivedFrom', () => {
  it('warns when the copy keeps its parent CPU model or price', () => {
    const file = machineFile(join(root, 'derived'), 'my-m7i', (t) => t.replace('cpuModel:', 'derivedFrom: m7i.metal-24xl\ncpuModel:'));
    expect(loadMachineModel(file).warnings).toEqual([
      expect.stringMatching(/my-m7i \(derived from m7i\.metal-24xl\) keeps its CPU model/),
      expect.stringMatching(/my-m7i \(derived from m7i\.metal-24xl\) keeps its price/),
    ]);
    const own = machineFile(join(root, 'derived'), 'own-m7i', (t) => t.replace('cpuModel:', 'derivedFrom: m7i.metal-24xl\ncpuModel: Xeon 6 #').replace(/usdPerHour: [0-9.]+/, 'usdPerHour: 1.5'));
    expect(loadMachineModel(own).warnings).toBeUndefined();
  });
});
