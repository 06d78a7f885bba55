import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTopology, loadMachineModel, parseMachineSpec, resolveMachine } from '../../src/topology/index.js';
import { errorOf } from '../support/input-error.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'models');


describe('a hand-checkable topology (test/fixtures/models/tiny.yaml)', () => {
  const tiny = buildTopology(loadMachineModel(join(fixtures, 'tiny.yaml')));

  it('lays CPUs out as the file says', () => {
    expect(tiny.cpus.map((c) => [c.id, c.core, c.thread, c.domain, c.socket, c.node])).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0],
      [2, 2, 0, 1, 1, 1],
      [3, 3, 0, 1, 1, 1],
      [4, 0, 1, 0, 0, 0],
      [5, 1, 1, 0, 0, 0],
      [6, 2, 1, 1, 1, 1],
      [7, 3, 1, 1, 1, 1],
    ]);
    expect(tiny.siblings(1)).toEqual([5]);
    expect(tiny.kind).toBe('mesh');
    expect([tiny.socketCount, tiny.domainCount, tiny.nodeCount, tiny.threadsPerCore]).toEqual([2, 2, 2, 2]);
  });

  it('answers distance, transfer, fan-out and per-CPU read questions', () => {
    expect(tiny.distanceClass(0, 0)).toBe('self');
    expect(tiny.distanceClass(0, 4)).toBe('smt');
    expect(tiny.distanceClass(0, 5)).toBe('domain');
    expect(tiny.distanceClass(0, 2)).toBe('cross-socket');
    expect(tiny.transferNs(0, 0, 0)).toBe(0);
    expect(tiny.transferNs(0, 4, 0)).toBe(8);
    // offsetMax defaults to 0 ns, so the classes are flat.
    expect(tiny.transferNs(0, 1, 0)).toBe(40);
    expect(tiny.transferNs(1, 3, 0)).toBe(130);
    expect(tiny.fanOutUnit(5)).toBe(1);
    expect(tiny.fanOutReadNs(1, 0)).toBe(15);
    expect(tiny.fanOutReadNs(2, 0)).toBe(45);
    expect(tiny.homeOccupancy).toBe(1);
    expect(tiny.smtSlowdown).toBe(1.25);
    expect(tiny.missesInFlight).toBe(10);
  });

  it('costs each per-CPU counter line by where it sits: Modified in a workload CPU, else in its node\'s memory', () => {
    // Every CPU runs the workload: the line comes from the owner's cache at the measured transfer.
    expect(tiny.perCpuLineNs(0, 0)).toBe(0);
    expect(tiny.perCpuLineNs(0, 4)).toBe(8);
    expect(tiny.perCpuLineNs(0, 5)).toBe(40);
    expect(tiny.perCpuLineNs(0, 7)).toBe(130);
    // Socket 0 only: the other socket's CPUs run nothing, their lines sit in node 1's memory.
    const socket0 = buildTopology(loadMachineModel(join(fixtures, 'tiny.yaml')), { sockets: [0] });
    expect(socket0.perCpuLineNs(0, 7)).toBe(180);
    expect(socket0.perCpuLineNs(0, 5)).toBe(40);
    expect(socket0.memoryNs(0, 0)).toBe(90);
    expect(socket0.memoryNs(0, 1)).toBe(180);
  });

  it('gives an upgrade the mean transfer in from the other fan-out units', () => {
    // Into CPU 0 from CPUs 1, 5 (same socket, 40 ns) and 2, 3, 6, 7 (other socket, 130 ns); its sibling 4 shares its core.
    expect(tiny.upgradeNs(0, 0)).toBeCloseTo((2 * 40 + 4 * 130) / 6, 9);
  });

  it('takes HT off two ways: CPU options halve the possible CPUs, nosmt keeps them possible but offline', () => {
    const model = loadMachineModel(join(fixtures, 'tiny.yaml'));
    const options = buildTopology(model, { smt: false });
    const nosmt = buildTopology(model, { nosmt: true });
    expect(options.name).toBe('tiny+ht-off');
    expect(nosmt.name).toBe('tiny+nosmt');
    expect([options.possibleCpus.length, options.onlineCpus.length, options.cpus.length]).toEqual([4, 4, 4]);
    expect([nosmt.possibleCpus.length, nosmt.onlineCpus.length, nosmt.cpus.length]).toEqual([8, 4, 4]);
    // The offline sibling's counter line was only zeroed by alloc_percpu: memory, not a cache.
    expect(nosmt.perCpuLineNs(0, 4)).toBe(90);
    expect(parseMachineSpec('tiny+nosmt').variant).toEqual({ nosmt: true });
    expect(() => buildTopology(model, { smt: false, nosmt: true })).toThrow(/HT off twice/);
  });

  it('with NUMA switched off, prices every cross-socket cost as its same-socket counterpart', () => {
    const flat = buildTopology(loadMachineModel(join(fixtures, 'tiny.yaml')), {}, { numa: false, smtSlowdown: true });
    expect(flat.transferNs(0, 2, 0)).toBe(40);
    expect(flat.transferNs(0, 4, 0)).toBe(8);
    expect(flat.fanOutReadNs(2, 0)).toBe(15);
    expect(flat.memoryNs(0, 1)).toBe(90);
    const noSmt = buildTopology(loadMachineModel(join(fixtures, 'tiny.yaml')), {}, { numa: true, smtSlowdown: false });
    expect([noSmt.smtSlowdown, noSmt.smtSpinSlowdown]).toEqual([1, 1]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(tiny)).toBe(true);
    expect(Object.isFrozen(tiny.cpus)).toBe(true);
    expect(Object.isFrozen(tiny.cpus[0])).toBe(true);
    expect(() => {
      (tiny as { globalsHomeNode: number }).globalsHomeNode = 1;
    }).toThrow(TypeError);
  });
});

describe('variants', () => {
  it('HT off halves the CPUs, online and possible, and leaves no siblings', () => {
    const on = resolveMachine('m7i.metal-24xl');
    const off = resolveMachine('m7i.metal-24xl+ht-off');
    expect(off.name).toBe('m7i.metal-24xl+ht-off');
    expect(off.family).toBe('m7i.metal-24xl');
    expect(off.cpus).toHaveLength(on.cpus.length / 2);
    expect(off.possibleCpus).toHaveLength(on.possibleCpus.length / 2);
    expect(off.threadsPerCore).toBe(1);
    expect(off.cpus.every((c) => c.thread === 0 && off.siblings(c.id).length === 0)).toBe(true);
    // Same costs for the same pair of cores.
    expect(off.transferNs(0, 47, 0)).toBe(on.transferNs(0, 47, 0));
  });

  it('one socket keeps every CPU possible but only that socket online', () => {
    const one = resolveMachine('r5.metal+one-socket');
    expect(one.name).toBe('r5.metal+socket0');
    expect(one.cpus).toHaveLength(48);
    expect(one.cpus.every((c) => c.socket === 0)).toBe(true);
    expect(one.possibleCpus).toHaveLength(96);
    const socket1 = resolveMachine({ family: 'r5.metal', variant: { sockets: [1] } });
    expect(socket1.cpus.every((c) => c.socket === 1)).toBe(true);
    // The variant file says the same thing without copying numbers.
    const file = resolveMachine('r5.metal-one-socket');
    expect(file.cpus.map((c) => c.id)).toEqual(one.cpus.map((c) => c.id));
    expect(file.transferNs(0, 30, 0)).toBe(one.transferNs(0, 30, 0));
  });

  it('a cpuset restricts the online CPUs; CPUs outside the family are errors', () => {
    const set = resolveMachine({ family: 'm7i.metal-24xl', variant: { cpuset: '0-23,48-71' } });
    expect(set.cpus.map((c) => c.id)).toEqual([...Array.from({ length: 24 }, (_, i) => i), ...Array.from({ length: 24 }, (_, i) => 48 + i)]);
    expect(set.possibleCpus).toHaveLength(96);
    expect(set.name).toBe('m7i.metal-24xl+cpuset=0-23,48-71');
    const error = errorOf(() => resolveMachine({ family: 'm7i.metal-24xl', variant: { smt: false, cpuset: '0-60' } }));
    expect(error.detail.path).toBe('variant.cpuset');
    expect(error.message).toContain('CPU 48 is not an online CPU of m7i.metal-24xl with SMT off');
  });

  it('a different home node moves the chiplet remote-home penalty and the fan-out socket hop', () => {
    const home0 = resolveMachine('m7a.metal-48xl');
    const home1 = resolveMachine('m7a.metal-48xl+home1');
    expect(home1.globalsHomeNode).toBe(1);
    // CPUs 0 and 8 are in CCDs 0 and 1 of socket 0 (same quadrant); 96 and 104 likewise on socket 1.
    expect(home0.transferNs(0, 8, 0)).toBe(90);
    expect(home0.transferNs(0, 8, 1)).toBe(200);
    expect(home0.transferNs(96, 104, 0)).toBe(200);
    expect(home0.transferNs(96, 104, 1)).toBe(90);
    // Inside a CCD the home does not matter.
    expect(home0.transferNs(0, 1, 1)).toBe(home0.transferNs(0, 1, 0));
    expect(home0.fanOutUnit(100)).toBe(12);
    expect(home0.fanOutReadNs(12, 0)).toBeCloseTo(40 * 1.93, 9);
    expect(home0.fanOutReadNs(12, 1)).toBe(40);
    // Intel: no remote-home penalty inside a socket.
    const intel = resolveMachine('m7i.metal-48xl');
    expect(intel.transferNs(0, 1, 1)).toBe(intel.transferNs(0, 1, 0));
    expect(errorOf(() => resolveMachine('m7a.24xlarge+home1')).detail.path).toBe('variant.globalsHomeNode');
  });

  it('is deterministic: two builds give the same cost matrix', () => {
    const a = resolveMachine('m7i.metal-48xl');
    const b = resolveMachine('m7i.metal-48xl+ht-off');
    for (let i = 0; i < 96; i += 7) for (let j = 0; j < 96; j += 5) expect(a.transferNs(i, j, 0)).toBe(b.transferNs(i, j, 0));
  });

  it('parses spec strings and rejects unknown families and suffixes with a did-you-mean', () => {
    expect(parseMachineSpec('r5.metal+ht-off+socket1')).toEqual({ family: 'r5.metal', variant: { smt: false, sockets: [1] } });
    const family = errorOf(() => resolveMachine('m7i.metal-24x'));
    expect(family.message).toBe('unknown machine family `m7i.metal-24x`');
    expect(family.detail.hint).toBe('Did you mean `m7i.metal-24xl`?');
    const suffix = errorOf(() => resolveMachine('m7i.metal-24xl+ht-of'));
    expect(suffix.detail.hint).toBe('Did you mean `ht-off`?');
  });
});

describe('bad model files: each error names the file, line and field', () => {
  const cases: [fixture: string, line: number, path: string, text: string][] = [
    ['bad-siblings', 12, 'topology.siblings[2]', 'siblings do not pair'],
    ['bad-two-domains', 13, 'topology.l3Domains[1]', 'CPU 1 is in two L3 domains'],
    ['bad-negative', 16, 'latency.sameDomain.base', 'cannot be negative'],
    ['bad-missing-latency', 15, 'latency.sameDomain', 'missing required field `sameDomain`'],
    ['bad-missing-smt', 15, 'latency', 'missing latency `smt`'],
    ['bad-unit', 15, 'latency.smt.value', '"parsecs" is a unit of length, not of duration'],
    ['bad-bare-number', 20, 'coherence.fanOutRead.value', 'a bare number has no unit'],
    ['bad-unknown-field', 10, 'topology.coresPerSockett', 'unknown field `coresPerSockett`'],
    ['bad-variant-family', 4, 'variantOf', 'unknown machine family `tiyn`'],
    ['bad-variant-socket', 5, 'variant.sockets', 'socket 3 does not exist on tiny'],
    ['bad-table-size', 18, 'latency.costTable.c2c', 'one row per CPU'],
    ['bad-name', 3, 'name', 'does not match the file name'],
    ['bad-yaml', 3, '', 'YAML syntax error'],
  ];
  it.each(cases)('%s', (fixture, line, path, text) => {
    const file = join(fixtures, `${fixture}.yaml`);
    const error = errorOf(() => loadMachineModel(file));
    expect(error.detail.file).toBe(file);
    expect(error.detail.line).toBe(line);
    if (path !== '') expect(error.detail.path).toBe(path);
    expect(error.format()).toContain(text);
    expect(error.format().startsWith(`${file}:${line}:`)).toBe(true);
    expect(error.detail.expected).toBeDefined();
  });

  it('hints at the right spelling', () => {
    expect(errorOf(() => loadMachineModel(join(fixtures, 'bad-unknown-field.yaml'))).detail.hint).toBe('Did you mean `coresPerSocket`?');
    expect(errorOf(() => loadMachineModel(join(fixtures, 'bad-variant-family.yaml'))).detail.hint).toBe('Did you mean `tiny`?');
  });

  it('a valid variant file of a fixture family works', () => {
    const t = buildTopology(loadMachineModel(join(fixtures, 'tiny-one-socket.yaml')));
    expect(t.cpus.map((c) => c.id)).toEqual([2, 3, 6, 7]);
    expect(t.possibleCpus).toHaveLength(8);
  });
});
