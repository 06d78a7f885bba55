/**
 * Every model file builds, and its cost model reproduces the measured matrices
 * it cites: per distance class, the model's median is within 10% of the
 * median of the CSV (classified within the measured machine's own layout,
 * since a proxy may have fewer cores than the family).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTopology, importC2cMatrix, listMachineModels, type MachineModel } from '../../src/topology/index.js';
import { REPO_ROOT } from '../../src/input/catalog.js';
import type { DistanceClass, Topology } from '../../src/topology/topology.js';
import { jsonSchemaFor } from '../../src/workloads/schemas.js';
import { MachineFileSchema } from '../../src/topology/schema.js';

type ClassMedians = Partial<Record<DistanceClass, number>>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mediansOf(groups: Map<DistanceClass, number[]>): ClassMedians {
  const result: ClassMedians = {};
  for (const [cls, values] of groups) if (values.length > 0) result[cls] = median(values);
  return result;
}

function push(groups: Map<DistanceClass, number[]>, cls: DistanceClass, value: number): void {
  if (Number.isNaN(value)) return;
  groups.set(cls, [...(groups.get(cls) ?? []), value]);
}

/** Medians of a CSV by class, classified in the measured machine's Linux numbering (threads last). */
function csvMedians(file: string, layout: { sockets: number; coresPerSocket: number; threadsPerCore: number; l3DomainsPerSocket?: number }): ClassMedians {
  const matrix = importC2cMatrix(file);
  const { sockets, coresPerSocket, threadsPerCore } = layout;
  const domains = layout.l3DomainsPerSocket ?? 1;
  const cores = sockets * coresPerSocket;
  expect(matrix.cpus).toBe(cores * threadsPerCore);
  const socketOf = (i: number): number => Math.floor(i / coresPerSocket);
  const domainOf = (i: number): number => socketOf(i) * domains + Math.floor((i % coresPerSocket) / (coresPerSocket / domains));
  const groups = new Map<DistanceClass, number[]>();
  if (threadsPerCore > 1) for (let i = 0; i < cores; i++) push(groups, 'smt', matrix.latencyNs[i][i + cores]);
  for (let i = 0; i < cores; i++) {
    for (let j = i + 1; j < cores; j++) {
      const cls: DistanceClass = domainOf(i) === domainOf(j) ? 'domain' : socketOf(i) === socketOf(j) ? 'cross-domain' : 'cross-socket';
      push(groups, cls, matrix.latencyNs[i][j]);
    }
  }
  return mediansOf(groups);
}

/** The model's medians by class over physical cores (SMT over sibling pairs), line homed at the globals' node; cross-domain on the home socket only. */
function modelMedians(topology: Topology, homeNode = topology.globalsHomeNode, crossDomainSocket?: number): ClassMedians {
  const homeSocket = topology.possibleCpus.find((c) => c.node === homeNode)?.socket ?? 0;
  const wantedSocket = crossDomainSocket ?? homeSocket;
  const firstThreads = topology.possibleCpus.filter((c) => c.thread === 0);
  const groups = new Map<DistanceClass, number[]>();
  for (const cpu of firstThreads) for (const sibling of topology.siblings(cpu.id)) push(groups, 'smt', topology.transferNs(cpu.id, sibling, homeNode));
  for (let a = 0; a < firstThreads.length; a++) {
    for (let b = a + 1; b < firstThreads.length; b++) {
      const from = firstThreads[a];
      const to = firstThreads[b];
      const cls = topology.distanceClass(from.id, to.id);
      if (cls === 'cross-domain' && from.socket !== wantedSocket) continue;
      push(groups, cls, topology.transferNs(from.id, to.id, homeNode));
    }
  }
  return mediansOf(groups);
}

function expectWithin(actual: ClassMedians, expected: ClassMedians, tolerance = 0.1): number {
  let compared = 0;
  for (const [cls, want] of Object.entries(expected) as [DistanceClass, number][]) {
    const got = actual[cls];
    if (got === undefined) continue;
    expect(Math.abs(got - want) / want, `${cls}: model median ${got.toFixed(1)} ns vs measured ${want.toFixed(1)} ns`).toBeLessThanOrEqual(tolerance);
    compared++;
  }
  return compared;
}

const models = listMachineModels();

describe('model files', () => {
  it('include every family the issue names, sorted by name', () => {
    const names = models.map((m) => m.name);
    for (const family of ['r5.metal', 'r5.12xlarge', 'm7i.metal-24xl', 'm7i.metal-48xl', 'm7a.24xlarge', 'm7a.metal-48xl', 'm6i.metal', 'm6a.metal', 'm7g.metal', 'm8g.metal-24xl']) {
      expect(names).toContain(family);
    }
    expect(names).toEqual([...names].sort());
  });

  it.each(models.map((m) => [m.name, m] as const))('%s builds into a consistent topology', (_name, model: MachineModel) => {
    const topology = buildTopology(model);
    const expectedOnline = model.variant?.sockets !== undefined ? model.vcpus / model.sockets : model.vcpus;
    expect(topology.possibleCpus.length).toBe(model.vcpus);
    expect(topology.cpus.length).toBe(expectedOnline);
    expect(topology.domainCount).toBe(model.sockets * model.domainsPerSocket);
    expect(new Set(topology.possibleCpus.map((c) => c.core)).size).toBe(model.sockets * model.coresPerSocket);
    expect(topology.possibleCpus.map((c) => c.id)).toEqual(Array.from({ length: model.vcpus }, (_, i) => i));
    for (const cpu of topology.possibleCpus) {
      expect(topology.siblings(cpu.id)).toHaveLength(model.threadsPerCore - 1);
      // Linux numbering on these parts: cpu i and i + cores are siblings.
      if (model.threadsPerCore === 2 && cpu.thread === 0) expect(topology.siblings(cpu.id)).toEqual([cpu.id + model.sockets * model.coresPerSocket]);
    }
    for (const a of [0, model.vcpus - 1, Math.floor(model.vcpus / 3)]) {
      for (const b of topology.possibleCpus.map((c) => c.id)) {
        const cost = topology.transferNs(a, b, topology.globalsHomeNode);
        expect(Number.isFinite(cost) && cost >= 0).toBe(true);
        expect(topology.distanceClass(a, b)).toBe(topology.distanceClass(b, a));
      }
    }
    expect(model.priceUsdPerHour).toBeGreaterThan(0);
    expect(model.priceSource.length).toBeGreaterThan(0);
  });

  it('each file starts with the yaml-language-server schema line, and the emitted schema is up to date', () => {
    for (const model of models) expect(readFileSync(model.file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/machine.schema.json');
    const emitted = readFileSync(join(REPO_ROOT, 'schemas', 'machine.schema.json'), 'utf8');
    expect(emitted, 'run `npx tsx src/schemas.ts`').toBe(jsonSchemaFor('machine', MachineFileSchema));
  });
});

describe('cost model vs the measured matrices it cites (median per class within 10%)', () => {
  const citing = models.filter((m) => m.calibration.length > 0 && m.variantOf === undefined);
  it('some families cite matrices', () => expect(citing.length).toBeGreaterThanOrEqual(5));

  for (const model of citing) {
    for (const entry of model.calibration) {
      it(`${model.name} vs ${entry.c2c}`, () => {
        const compared = expectWithin(modelMedians(buildTopology(model)), csvMedians(entry.file, entry));
        expect(compared).toBeGreaterThan(0);
      });
    }
  }

  // The class model alone (without a cost table) must also match, so variants and fallbacks stay honest.
  for (const model of citing.filter((m) => m.costTable !== undefined)) {
    it(`${model.name}: class model without the cost table`, () => {
      const withoutTable = buildTopology({ ...model, costTable: undefined });
      for (const entry of model.calibration) expect(expectWithin(modelMedians(withoutTable), csvMedians(entry.file, entry))).toBeGreaterThan(0);
    });
  }
});

describe('chiplet families vs derived_class_stats.csv (matrices over 200 KB, not copied)', () => {
  const stats = readFileSync(join(REPO_ROOT, 'data', 'c2c', 'derived_class_stats.csv'), 'utf8');
  const row = (cpu: string, socket: string, cls: string): number => {
    const line = stats.split('\n').find((l) => l.includes(cpu) && l.includes(`,${socket},${cls},`));
    if (line === undefined) throw new Error(`no row ${cpu} ${socket} ${cls}`);
    return Number(line.split(',').at(-4));
  };
  const byName = new Map(models.map((m) => [m.name, m]));

  it('m6a.metal matches the 7R13 (c6a.metal), home-local and home-remote', () => {
    const t = buildTopology(byName.get('m6a.metal') as MachineModel);
    const cpu = 'EPYC 7R13 (c6a.metal, Milan)';
    expectWithin(modelMedians(t, 0), {
      smt: row(cpu, 'all', 'smt_sibling'),
      domain: row(cpu, 'socket0', 'same_L3_domain(CCD/CCX)'),
      'cross-domain': row(cpu, 'socket0', 'cross_L3_domain_same_socket'),
      'cross-socket': row(cpu, 'both', 'cross_socket'),
    });
    // Socket 1's cross-CCD pairs with the line homed on node 0: the measured ~200 ns.
    expectWithin(modelMedians(t, 0, 1), { 'cross-domain': row(cpu, 'socket1', 'cross_L3_domain_same_socket') });
  });

  it.each(['m7a.24xlarge', 'm7a.metal-48xl'])('%s matches the EPYC 9654 proxy', (name) => {
    const t = buildTopology(byName.get(name) as MachineModel);
    const cpu = 'EPYC 9654 x2 (Genoa, SMT off)';
    const compared = expectWithin(modelMedians(t, 0), {
      domain: row(cpu, 'socket0', 'same_L3_domain(CCD/CCX)'),
      'cross-domain': row(cpu, 'socket0', 'cross_L3_domain_same_socket'),
      'cross-socket': row(cpu, 'both', 'cross_socket'),
    });
    expect(compared).toBe(t.socketCount === 2 ? 3 : 2);
  });
});
