// Issue 18: a machine model's size is checked against MACHINE_LIMITS before any per-CPU or per-pair table is built.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMachineModel, parseC2cCsv } from '../../src/topology/index.js';
import { parseCpuList } from '../../src/input/cpulist.js';
import { loadScenarioText } from '../../src/pipeline.js';
import { errorOf } from '../support/input-error.js';

const TINY = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'models', 'tiny.yaml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'locksim-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tiny.yaml with its generated layout and `edit` applied, written as `name`.yaml in a temp folder. */
function machineFile(name: string, edit: (text: string) => string): string {
  const text = edit(TINY.replace('name: tiny', `name: ${name}`).replace(/^ {2}(siblings|l3Domains):.*\n/gm, ''));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('machine sizes', () => {
  it.each([
    ['cores-20000', 'coresPerSocket: 20000', /topology\.coresPerSocket: value too large \(expected an integer >= 1 and <= 512/],
    ['cores-million', 'coresPerSocket: 1000000', /topology\.coresPerSocket: value too large/],
    ['too-many-cpus', 'coresPerSocket: 512', /topology\.coresPerSocket: the machine has more logical CPUs than locksim models \(expected sockets x coresPerSocket x threadsPerCore at most 1024, found 2 x 512 x 2 = 2048\)/],
  ])('refuses %s before building anything', (name, layout, pattern) => {
    const file = machineFile(name, (text) => text.replace('coresPerSocket: 2', layout));
    expect(errorOf(() => loadMachineModel(file)).format()).toMatch(pattern);
  });

  it('checks a cost table\'s row count on its text, before the rows-squared matrix: 100,000 rows are refused at once', () => {
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, ',\n'.repeat(100_000));
    const file = machineFile('long-c2c', (text) => text.replace(/^latency:\n/m, `latency:\n  costTable: { c2c: "${csv}", source: "fixture" }\n`));
    const error = errorOf(() => loadMachineModel(file));
    expect(error.format()).toMatch(/latency\.costTable\.c2c: the cost table does not have one row per CPU of the family \(expected 8 rows .*found 100000 rows\)/);
    expect(errorOf(() => parseC2cCsv(',\n'.repeat(5000), 'x.csv')).format()).toMatch(/more rows than any machine locksim models has CPUs \(expected at most 1024 rows, found 5000 rows\)/);
  });

  it('refuses a CPU list reaching past the largest machine, before expanding it', () => {
    expect(errorOf(() => parseCpuList('0-99999999999')).format()).toMatch(/CPU 99999999999 is beyond any machine locksim models \(expected CPU ids 0-1023/);
    expect(parseCpuList('0-3,1020-1023:3')).toEqual([0, 1, 2, 3, 1020, 1023]);
    const error = errorOf(() => loadScenarioText('name: x\nmachine: r5.metal+cpuset=0-99999999999\ncontainers: 2\nlayers: 2\n', 'x.yaml'));
    expect(error.format()).toMatch(/^x\.yaml:2:10: machine: CPU 99999999999 is beyond any machine locksim models/);
  });
});
