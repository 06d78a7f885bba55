import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { registerModels } from '../../src/cli/commands/models.js';
import type { CommandContext } from '../../src/cli/context.js';
import { buildTopology, loadMachineModel } from '../../src/topology/index.js';
import { hostTopology, importHostMachine, pairClass, readSysfsLayout, type ImportHostOptions } from '../../src/topology/index.js';
import { errorOf } from '../support/input-error.js';

const FIXTURES = resolve('test/fixtures/sysfs');
const tree = (shape: string): string => join(FIXTURES, shape);

/** A stand-in for the ping-pong: a fixed cost per class, so the written numbers are known. */
function fakeMeasure(root: string): NonNullable<ImportHostOptions['measure']> {
  const cpus = hostTopology(readSysfsLayout(root)).cpus;
  const cost = { smt: 10, sameDomain: 60, crossDomain: 110, crossSocket: 150 } as const;
  return (a, b) => ({ cpus: [a, b], oneWayNs: cost[pairClass(cpus[a], cpus[b])] });
}

/** Imports a fixture into a temporary file and loads it the way any machine file is loaded. */
function importFixture(shape: string, extra: Partial<ImportHostOptions> = {}): { text: string; file: string; imported: ReturnType<typeof importHostMachine> } {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-import-'));
  const file = join(dir, `${shape}.yaml`);
  const imported = importHostMachine({ sysfsRoot: tree(shape), name: shape, cpuModel: 'test CPU', price: { usdPerHour: 1, date: '2026-12-02' }, outFile: file, measure: fakeMeasure(tree(shape)), ...extra });
  writeFileSync(file, imported.text);
  return { text: imported.text, file, imported };
}

describe('readSysfsLayout', () => {
  it('reads packages, cores, siblings, L3s and nodes of a 2-socket SMT tree', () => {
    const layout = readSysfsLayout(tree('intel-2s-smt'));
    expect(layout.cpus).toHaveLength(16);
    expect(layout.cpus[9]).toEqual({ id: 9, packageId: 0, coreId: 1, siblings: [1, 9], l3: [0, 1, 2, 3, 8, 9, 10, 11], node: 0 });
    expect(layout.cpus[12]).toMatchObject({ packageId: 1, coreId: 0, siblings: [4, 12], node: 1 });
  });

  it.skipIf(!existsSync('/sys/devices/system/cpu/online'))('reads the machine it runs on: every online CPU, each in its own core list and L3', () => {
    const layout = readSysfsLayout();
    expect(layout.cpus.length).toBeGreaterThanOrEqual(Math.min(availableParallelism(), layout.cpus.length));
    for (const cpu of layout.cpus) {
      expect(cpu.siblings).toContain(cpu.id);
      expect(cpu.l3).toContain(cpu.id);
    }
    expect(() => hostTopology(layout)).not.toThrow();
  });

  it('names the missing or damaged file', () => {
    const root = mkdtempSync(join(tmpdir(), 'locksim-sysfs-'));
    cpSync(tree('this-host'), root, { recursive: true });
    rmSync(join(root, 'cpu/cpu1/topology/core_id'));
    expect(errorOf(() => readSysfsLayout(root)).format()).toMatch(/cpu\/cpu1\/topology\/core_id: a sysfs file is missing \(expected the core number of the CPU within its package, found no such file\)/);
    writeFileSync(join(root, 'cpu/cpu1/topology/core_id'), 'one\n');
    expect(errorOf(() => readSysfsLayout(root)).format()).toMatch(/core_id: a sysfs file does not hold an integer .*found "one"/);
    writeFileSync(join(root, 'cpu/cpu1/topology/core_id'), '1\n');
    writeFileSync(join(root, 'cpu/cpu1/cache/index3/level'), '2\n');
    expect(errorOf(() => readSysfsLayout(root)).format()).toMatch(/cpu\/cpu1\/cache: CPU 1 reports no level-3 cache/);
    expect(errorOf(() => readSysfsLayout(join(root, 'nowhere'))).format()).toMatch(/not a sysfs tree: it has no cpu\/ directory/);
  });
});

describe('hostTopology', () => {
  it('finds the numbering rule of each shape, or writes explicit lists', () => {
    const intel = hostTopology(readSysfsLayout(tree('intel-2s-smt')));
    expect(intel).toMatchObject({ coherence: 'mesh', sockets: 2, coresPerSocket: 4, threadsPerCore: 2, l3DomainsPerSocket: 1, numaNodesPerSocket: 1, numbering: 'threads-last', notes: [] });
    expect(intel.siblings).toBeUndefined();
    const amd = hostTopology(readSysfsLayout(tree('amd-multi-ccd')));
    expect(amd).toMatchObject({ coherence: 'chiplet', sockets: 1, coresPerSocket: 16, threadsPerCore: 2, l3DomainsPerSocket: 4, numaNodesPerSocket: 2, notes: [] });
    const odd = hostTopology(readSysfsLayout(tree('interleaved-2s')));
    expect(odd.siblings).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(odd.l3Domains).toEqual(['0,2,4,6', '1,3,5,7']);
    expect(odd.cpus.filter((c) => c.socket === 1).map((c) => c.id)).toEqual([1, 3, 5, 7]);
  });

  it('notes hotplug slots: possible CPUs beyond the present ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'locksim-sysfs-'));
    cpSync(tree('this-host'), root, { recursive: true });
    writeFileSync(join(root, 'cpu/possible'), '0-7\n');
    expect(hostTopology(readSysfsLayout(root)).notes).toEqual([expect.stringMatching(/reserves 6 possible CPU\(s\) beyond the 2 present \(2-7, hotplug slots\)/)]);
  });

  it('refuses offline CPUs and cores of different sizes', () => {
    const root = mkdtempSync(join(tmpdir(), 'locksim-sysfs-'));
    cpSync(tree('intel-2s-smt'), root, { recursive: true });
    writeFileSync(join(root, 'cpu/online'), '0-7\n');
    expect(errorOf(() => hostTopology(readSysfsLayout(root))).format()).toMatch(/cpu\/online: some present CPUs are offline.*found 0-7 online, 8-15 offline/);
    writeFileSync(join(root, 'cpu/online'), '0-15\n');
    writeFileSync(join(root, 'cpu/cpu0/topology/thread_siblings_list'), '0\n');
    expect(errorOf(() => hostTopology(readSysfsLayout(root))).message).toMatch(/cores of different sizes/);
  });
});

describe('importHostMachine', () => {
  it('this host: a machine file that loads, with measured classes marked as upper bounds', () => {
    const { text, file } = importFixture('this-host');
    const model = loadMachineModel(file);
    expect(model.vcpus).toBe(2);
    expect(model.latency.sameDomain).toMatchObject({ baseNs: 60, offsetMaxNs: 0, basis: 'measured' });
    expect(model.latency.sameDomain.source).toMatch(/^upper bound: Node ping-pong/);
    expect(text).toContain('not measured on this host');
  });

  it('a 2-socket SMT machine from its c2c matrix: class medians, the matrix as cost table, sockets where sysfs puts them', () => {
    const { file } = importFixture('intel-2s-smt', { c2c: join(FIXTURES, 'intel-2s-smt-c2c.csv'), measure: () => { throw new Error('no measurement with a matrix'); } });
    const model = loadMachineModel(file);
    expect(model.latency.smt?.value).toBe(8);
    expect(model.latency.sameDomain.baseNs).toBe(50);
    expect(model.latency.crossSocket?.baseNs).toBe(130);
    expect(model.costTable?.matrix.cpus).toBe(16);
    expect(model.parameters.dramRemote?.value).toBeGreaterThan(model.parameters.dramLocal.value);
    const topology = buildTopology(model);
    const layout = readSysfsLayout(tree('intel-2s-smt'));
    for (const cpu of topology.possibleCpus) expect(cpu.socket).toBe(layout.cpus[cpu.id].packageId);
    expect(topology.transferNs(0, 8, 0)).toBe(8);
    expect(topology.transferNs(1, 5, 0)).toBe(130 + (1 * 5) % 7);
  });

  it('a multi-CCD part: one L3 domain per CCD, its NUMA nodes, a cross-CCD class', () => {
    const { file } = importFixture('amd-multi-ccd');
    const model = loadMachineModel(file);
    const topology = buildTopology(model);
    const layout = readSysfsLayout(tree('amd-multi-ccd'));
    for (const cpu of topology.possibleCpus) expect(cpu.node).toBe(layout.cpus[cpu.id].node);
    expect(new Set(topology.possibleCpus.map((c) => c.domain)).size).toBe(4);
    expect(model.latency.crossDomain).toMatchObject({ sameGroupNs: 110, otherGroupNs: 110 });
    expect(topology.distanceClass(0, 4)).toBe('cross-domain');
  });

  it('explicit lists load and place every CPU', () => {
    const { file } = importFixture('interleaved-2s');
    const topology = buildTopology(loadMachineModel(file));
    expect(topology.possibleCpus.filter((c) => c.socket === 0).map((c) => c.id)).toEqual([0, 2, 4, 6]);
  });

  it('refuses a matrix of another machine and a measurement that is not a transfer', () => {
    expect(errorOf(() => importFixture('this-host', { c2c: join(FIXTURES, 'intel-2s-smt-c2c.csv') })).format()).toMatch(/intel-2s-smt-c2c\.csv: the c2c matrix does not have one row per CPU of the host \(expected 2 rows/);
    expect(errorOf(() => importFixture('this-host', { measure: (a, b) => ({ cpus: [a, b], oneWayNs: 50_000 }) })).message).toMatch(/gave 50000 ns one way, not a cache-line transfer/);
  });

  it('writes the same text for the same tree and matrix', () => {
    const options = { c2c: join(FIXTURES, 'intel-2s-smt-c2c.csv') };
    expect(importFixture('intel-2s-smt', options).text).toBe(importFixture('intel-2s-smt', options).text);
  });
});

describe('locksim models import', () => {
  const run = async (argv: string[]): Promise<{ output: string; codes: number[] }> => {
    const output: string[] = [];
    const codes: number[] = [];
    const context: CommandContext = { out: (t) => output.push(t), err: (t) => output.push(t), fail: (c) => codes.push(c), isTty: false };
    await registerModels(yargs(argv).strict().exitProcess(false), context).parseAsync();
    return { output: output.join('\n'), codes };
  };

  it('writes a file from a captured tree and its matrix, and prints the layout', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'locksim-import-')), 'lab.yaml');
    const { output } = await run(['models', 'import', '--sysfs', tree('intel-2s-smt'), '--c2c', join(FIXTURES, 'intel-2s-smt-c2c.csv'), '--price', '2.5', '--price-date', '2026-12-01', '--name', 'lab', '--cpu-model', 'Xeon test', '--out', out]);
    expect(output).toMatch(/^lab: Xeon test, mesh\n {2}2 socket\(s\) x 4 cores x 2 thread\(s\)/);
    expect(readFileSync(out, 'utf8')).toMatch(/price: \{ usdPerHour: 2\.5, date: "2026-12-01"/);
  });

  it('names the family after --out, and refuses a --name the file name contradicts before writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'locksim-import-'));
    const args = ['models', 'import', '--sysfs', tree('intel-2s-smt'), '--c2c', join(FIXTURES, 'intel-2s-smt-c2c.csv'), '--price', '2.5', '--cpu-model', 'Xeon test'];
    const { output } = await run([...args, '--out', join(dir, 'bench-box.yaml')]);
    expect(output).toMatch(/^bench-box: Xeon test/);
    expect(loadMachineModel(join(dir, 'bench-box.yaml')).name).toBe('bench-box');
    await expect(run([...args, '--name', 'lab', '--out', join(dir, 'other.yaml')])).rejects.toThrow(/the family name and the file name differ/);
    await expect(run([...args, '--out', join(dir, 'lab.txt')])).rejects.toThrow(/not a YAML file name/);
    expect(existsSync(join(dir, 'other.yaml')) || existsSync(join(dir, 'lab.txt'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a price, and refuses to measure a captured tree', async () => {
    await expect(run(['models', 'import', '--sysfs', tree('this-host'), '--cpu-model', 'x'])).rejects.toThrow(/a machine file needs a price/);
    await expect(run(['models', 'import', '--sysfs', tree('this-host'), '--cpu-model', 'x', '--price', '1'])).rejects.toThrow(/a captured sysfs tree is not this host/);
  });
});
