import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { loadScenario, loadScenarioText } from '../../src/pipeline.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';
import type { PauseBenchPointSpec } from '../../src/workloads/pause-bench/index.js';
import { ALL_MECHANISMS_ON } from '../../src/launch/index.js';
import { DEFAULT_LIMITS } from '../../src/engine/index.js';
import { errorOf } from '../support/input-error.js';


const FIG3 = `# yaml-language-server: $schema=../schemas/scenario.schema.json
name: fig3-baseline
description: Baseline across families
machine: r5.metal
containers: 100
layers: 50
seeds: 3
sweep:
  machine: [r5.metal, m7i.metal-24xl, m7a.24xlarge]
  containers: [10, 20, 50]
expect:
  - {metric: failureRate, where: {machine: r5.metal, containers: 50}, below: 0.05}
  - {metric: p50LatencyS, where: {machine: m7a.24xlarge}, below: {where: {machine: r5.metal}, factor: 0.9}}
  - {metric: mountOpsPerContainer, equals: 10100, over: every-seed, tolerance: 0}
  - {metric: failureRate, where: {containers: [20, 50]}, atMost: 0.5, knownGap: "not modelled yet"}
`;

describe('loadScenario: a launch file', () => {
  const scenario = loadScenarioText(FIG3, 'fig3.yaml');

  it('resolves defaults and units', () => {
    expect(scenario.name).toBe('fig3-baseline');
    expect(scenario.kind).toBe('launch');
    expect(scenario.seeds).toEqual(['1', '2', '3']);
    const spec = scenario.points[0].spec as LaunchPointSpec;
    expect(spec).toEqual({
      kind: 'launch',
      machine: 'r5.metal',
      machineModel: expect.stringMatching(/^[0-9a-f]{16}$/),
      kernel: 'linux-6.12',
      node: 'k8s-node',
      runtime: 'containerd-idmap',
      launchModels: expect.stringMatching(/^[0-9a-f]{16}$/),
      containers: 10,
      layers: { kind: 'fixed', value: 50 },
      arrival: { kind: 'staggered', overNs: 2e9 },
      placement: 'spread',
      deadlines: { launchNs: 30e9, runtimeRequestNs: 120e9, nodeHealthCheckNs: 30e9 },
      horizonNs: 120e9,
      mechanisms: ALL_MECHANISMS_ON,
      parameters: {},
      sampleEveryNs: 1e9,
      limits: DEFAULT_LIMITS,
    });
  });

  it('expands the sweep as a cartesian product, keys and values in written order, first key slowest', () => {
    expect(scenario.points.map((p) => p.coordinates)).toEqual([
      { machine: 'r5.metal', containers: 10 },
      { machine: 'r5.metal', containers: 20 },
      { machine: 'r5.metal', containers: 50 },
      { machine: 'm7i.metal-24xl', containers: 10 },
      { machine: 'm7i.metal-24xl', containers: 20 },
      { machine: 'm7i.metal-24xl', containers: 50 },
      { machine: 'm7a.24xlarge', containers: 10 },
      { machine: 'm7a.24xlarge', containers: 20 },
      { machine: 'm7a.24xlarge', containers: 50 },
    ]);
    expect(scenario.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(scenario.points.map((p) => (p.spec as LaunchPointSpec).machine)).toEqual(scenario.points.map((p) => p.coordinates.machine));
    expect(scenario.points.map((p) => (p.spec as LaunchPointSpec).containers)).toEqual([10, 20, 50, 10, 20, 50, 10, 20, 50]);
  });

  it('binds expectations to points, pairing cross-point targets by the other coordinates', () => {
    const [fail, cross, every, gap] = scenario.expectations;
    expect(fail).toMatchObject({ metric: 'failureRate', op: '<', target: 0.05, over: 'mean', points: [2], line: 12 });
    expect(fail.text).toBe('failureRate @ machine=r5.metal, containers=50 < 0.05');
    expect(cross).toMatchObject({ op: '<', points: [6, 7, 8], targetPoints: [0, 1, 2], target: { metric: 'p50LatencyS', where: { machine: 'r5.metal' }, factor: 0.9 } });
    expect(every).toMatchObject({ op: '==', over: 'every-seed', points: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
    expect(gap).toMatchObject({ op: '<=', knownGap: 'not modelled yet', points: [1, 2, 4, 5, 7, 8] });
  });

  it('keeps the source as written for resolved.json', () => {
    expect((scenario.source as { sweep: unknown }).sweep).toEqual({ machine: ['r5.metal', 'm7i.metal-24xl', 'm7a.24xlarge'], containers: [10, 20, 50] });
  });

  it('reads layer distributions, arrivals, deadlines, mechanisms and parameters', () => {
    const s = loadScenarioText(
      `name: x
machine: {family: m7i.metal-24xl, variant: {smt: false}}
containers: 5
layers: {kind: normal, mean: 40, sd: 5}
arrival: {kind: poisson, perSecond: 12.5}
placement: compact
deadlines: {launch: 45 s, runtimeRequest: 3 min}
horizon: 10 min
sampleEvery: 250 ms
mechanisms: {propagation: false}
parameters: {ml_section: 4 us, sandboxedServices: 20}
`,
      'x.yaml',
    );
    const spec = s.points[0].spec as LaunchPointSpec;
    expect(s.points).toHaveLength(1);
    expect(s.points[0].coordinates).toEqual({});
    expect(spec.machine).toEqual({ family: 'm7i.metal-24xl', variant: { smt: false } });
    expect(spec.layers).toEqual({ kind: 'normal', mean: 40, sd: 5, min: 1, max: 60 });
    expect(spec.arrival).toEqual({ kind: 'poisson', perSecond: 12.5 });
    expect(spec.deadlines).toEqual({ launchNs: 45e9, runtimeRequestNs: 180e9, nodeHealthCheckNs: 30e9 });
    expect(spec.horizonNs).toBe(600e9);
    expect(spec.sampleEveryNs).toBe(250e6);
    expect(spec.mechanisms).toEqual({ ...ALL_MECHANISMS_ON, propagation: false });
    expect(spec.parameters).toEqual({ ml_section: 4000, sandboxedServices: 20 });
    expect(s.seeds).toEqual(['1', '2', '3']);
  });

  it('accepts explicit seeds and sweeps of nested fields', () => {
    const s = loadScenarioText(
      `name: x
machine: r5.metal
containers: 5
layers: 3
seeds: [7, 8]
sweep:
  mechanisms.propagation: [true, false]
  deadlines.launch: [10 s, 20 s]
`,
      'x.yaml',
    );
    expect(s.seeds).toEqual(['7', '8']);
    expect(s.points.map((p) => [(p.spec as LaunchPointSpec).mechanisms.propagation, (p.spec as LaunchPointSpec).deadlines.launchNs])).toEqual([
      [true, 10e9],
      [true, 20e9],
      [false, 10e9],
      [false, 20e9],
    ]);
    // The horizon default follows each point's own launch deadline.
    expect(s.points.map((p) => (p.spec as LaunchPointSpec).horizonNs)).toEqual([40e9, 80e9, 40e9, 80e9]);
  });
});

describe('loadScenario: --set overrides', () => {
  it('sets scalars, durations, switches and sweeps, written as YAML flow values', () => {
    const s = loadScenarioText(FIG3, 'fig3.yaml', {
      set: ['deadlines.launch=45 s', 'mechanisms.propagation=false', 'sweep.containers=[10, 20]', 'seeds=2'],
    });
    expect(s.points.map((p) => p.coordinates.containers)).toEqual([10, 20, 10, 20, 10, 20]);
    const spec = s.points[0].spec as LaunchPointSpec;
    expect(spec.deadlines.launchNs).toBe(45e9);
    expect(spec.mechanisms.propagation).toBe(false);
    expect(s.seeds).toEqual(['1', '2']);
    // The file's expectation about containers=50 no longer has a point: dropped, not an error.
    expect(s.expectations.map((e) => e.metric)).toEqual(['p50LatencyS', 'mountOpsPerContainer', 'failureRate']);
  });

  it('fixing a swept field removes it from the sweep', () => {
    const s = loadScenarioText(FIG3, 'fig3.yaml', { set: ['containers=200', 'machine=m7a.24xlarge'] });
    expect(s.points).toHaveLength(1);
    expect(s.points[0].coordinates).toEqual({});
    expect((s.points[0].spec as LaunchPointSpec).containers).toBe(200);
    expect((s.points[0].spec as LaunchPointSpec).machine).toBe('m7a.24xlarge');
  });

  it('--seeds replaces the seeds', () => {
    expect(loadScenarioText(FIG3, 'fig3.yaml', { seeds: 5 }).seeds).toEqual(['1', '2', '3', '4', '5']);
    expect(errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { seeds: 0 })).detail.file).toBe('--seeds');
  });

  it('names --set as the source of a bad override, with a did-you-mean', () => {
    const unknown = errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['containres=5'] }));
    expect(unknown.format()).toBe(
      '--set: containres: unknown field path `containres` (expected a field of this scenario, e.g. containers, machine, deadlines.launch, mechanisms.propagation, sweep.containers, found `containres`). Did you mean `containers`?',
    );
    const wrongType = errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['containers=lots'] }));
    expect(wrongType.detail).toMatchObject({ file: '--set', path: 'containers', found: '"lots"' });
    const bareNumber = errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['deadlines.launch=45'] }));
    expect(bareNumber.format()).toMatch(/^--set: deadlines\.launch: a bare number has no unit/);
    const family = errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['machine=r5.metl'] }));
    expect(family.format()).toMatch(/^--set: machine: unknown machine family `r5\.metl`.*Did you mean `r5\.metal`\?$/);
    const sweep = errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['sweep.containers=[10, 1e9]'] }));
    expect(sweep.detail).toMatchObject({ file: '--set', path: 'sweep.containers[1]', line: undefined });
    expect(errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['containers'] })).detail.expected).toMatch(/path=value/);
    expect(errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: ['containers=[1, 2'] })).message).toMatch(/cannot read the value/);
  });

  it('refuses prototype paths', () => {
    for (const set of ['__proto__.polluted=1', 'parameters.__proto__=1', 'constructor.prototype.x=1']) {
      expect(errorOf(() => loadScenarioText(FIG3, 'fig3.yaml', { set: [set] })).detail.file).toBe('--set');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadScenario: pause-bench', () => {
  it('resolves threads, placement, lock and durations, and sweeps threads', () => {
    const s = loadScenarioText(
      `name: pb
kind: pause-bench
machine: r5.metal
threads: 1
lock: ticket
hold: 50 ns
sweep:
  machine: [r5.metal, r5.metal+one-socket]
  threads: [1, 8, 48]
expect:
  - {metric: latencyNs, where: {machine: r5.metal+one-socket, threads: 48}, below: {where: {machine: r5.metal}}}
`,
      'pb.yaml',
    );
    expect(s.kind).toBe('pause-bench');
    expect(s.points).toHaveLength(6);
    expect(s.points[5].spec as PauseBenchPointSpec).toEqual({
      kind: 'pause-bench',
      machine: 'r5.metal+one-socket',
      machineModel: expect.stringMatching(/^[0-9a-f]{16}$/),
      threads: 48,
      placement: 'compact',
      lock: 'ticket',
      holdNs: 50,
      thinkNs: 100,
      durationNs: 2e6,
      limits: DEFAULT_LIMITS,
    });
    expect(s.expectations[0]).toMatchObject({ points: [5], targetPoints: [2] });
  });

  it('refuses launch fields in a pause-bench file', () => {
    const error = errorOf(() => loadScenarioText('name: pb\nkind: pause-bench\nmachine: r5.metal\nthreads: 4\ncontainers: 10\n', 'pb.yaml'));
    expect(error.format()).toMatch(/^pb\.yaml:5:1: containers: unknown field `containers`/);
  });
});

describe('every scenario in scenarios/', () => {
  const dir = join(import.meta.dirname, '..', '..', 'scenarios');
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f) && !f.includes('baselines')) : [];
  it.skipIf(files.length === 0)('loads, validates and expands', () => {
    for (const file of files) {
      const scenario = loadScenario(join(dir, file));
      expect(scenario.points.length, file).toBeGreaterThan(0);
      expect(new Set(scenario.points.map((p) => JSON.stringify(p.coordinates))).size, file).toBe(scenario.points.length);
      for (const expectation of scenario.expectations) expect(expectation.points?.length, `${file}: ${expectation.text}`).toBeGreaterThan(0);
    }
  });
  for (const file of files) {
    it(`${file} starts with its schema line`, () => {
      expect(readFileSync(join(dir, file), 'utf8').split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*scenario\.schema\.json$/);
    });
  }
});

describe('loadScenario: run limits', () => {
  it('reads limits with units and names a bad one', () => {
    const text = 'name: limits\nmachine: r5.metal\ncontainers: 5\nlayers: 3\nlimits: {maxEvents: 5000, maxSimulatedTime: 10 s, maxMemory: 512 MiB}\n';
    const spec = loadScenarioText(text, 'limits.yaml').points[0].spec as LaunchPointSpec;
    expect(spec.limits).toEqual({ maxEvents: 5000, maxTimeNs: 10e9, maxHeapBytes: 512 * 2 ** 20 });
    const bad = text.replace('512 MiB', '512 parsecs');
    try {
      loadScenarioText(bad, 'limits.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).format()).toMatch(/^limits\.yaml:5:\d+: limits\.maxMemory: .*parsecs/);
    }
  });
});
