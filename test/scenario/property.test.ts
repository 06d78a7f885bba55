/**
 * Property tests over generated scenario files: whatever a file contains,
 * loadScenario returns a ResolvedScenario or throws its own InputError, never
 * anything else (no TypeError from a missing check, no RangeError from a
 * model); and small valid files always run.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { loadScenarioText } from '../../src/pipeline.js';
import { runScenario } from '../../src/pipeline.js';

function loadsOrInputError(text: string, set: string[] = []): boolean {
  try {
    const scenario = loadScenarioText(text, 'generated.yaml', { set });
    expect(scenario.points.length).toBeGreaterThan(0);
    return true;
  } catch (error) {
    if (error instanceof InputError) {
      expect(error.format()).toMatch(/^(generated\.yaml|--set)/);
      return true;
    }
    throw error;
  }
}

const FIELDS = [
  'name', 'description', 'kind', 'machine', 'kernel', 'node', 'runtime', 'containers', 'layers', 'arrival', 'placement',
  'deadlines', 'horizon', 'sampleEvery', 'mechanisms', 'parameters', 'seeds', 'sweep', 'expect', 'threads', 'lock', 'hold',
  'think', 'duration', '__proto__', 'constructor',
];

const plausible = fc.oneof(
  fc.constantFrom('r5.metal', 'm7a.24xlarge', 'm7i.metal-24xl+ht-off', 'r5.metal+socket1', 'r5.metal+cpuset=0-3', 'r5.metal+cpuset=999', 'r5.metal+home9', 'nope'),
  fc.constantFrom('30 s', '0 s', '-1 s', '4 us', '2 ms', '1e400 s', '5 m', '4 MiB', 'NaN s', '', ' '),
  fc.constantFrom('launch', 'pause-bench', 'burst', 'ramp', 'poisson', 'staggered', 'normal', 'uniform', 'spread', 'compact', 'one-socket', 'ttas', 'qspinlock'),
  fc.constantFrom('failureRate', 'p50LatencyS', 'latencyNs', 'mount_lock.meanWaitUs', 'every-seed', 'mean'),
  fc.integer({ min: -5, max: 300 }),
  fc.constantFrom(0, 1, 2, 1e9, 1e21, -0, 0.5, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plausible, fc.constant(null), fc.string({ maxLength: 8 }), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS, 'kind', 'over', 'perSecond', 'mean', 'sd', 'min', 'max', 'metric', 'where', 'below', 'equals', 'between', 'factor', 'containers', 'machine', 'launch', 'propagation', 'ml_section'), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 5 }),
})).value;

const VALID = {
  name: 'valid',
  machine: 'r5.metal',
  containers: 10,
  layers: 5,
  seeds: 2,
  deadlines: { launch: '30 s' },
  arrival: { kind: 'ramp', over: '1 s' },
  mechanisms: { propagation: false },
  parameters: { ml_section: '4 us' },
  sweep: { machine: ['r5.metal', 'm7a.24xlarge'], containers: [5, 10] },
  expect: [
    { metric: 'failureRate', where: { machine: 'r5.metal', containers: 10 }, below: 0.05 },
    { metric: 'p50LatencyS', where: { machine: 'm7a.24xlarge' }, below: { where: { machine: 'r5.metal' }, factor: 0.9 } },
  ],
};

const PATHS: (string | number)[][] = [
  ['name'], ['machine'], ['containers'], ['layers'], ['seeds'], ['kind'], ['deadlines'], ['deadlines', 'launch'], ['arrival'], ['arrival', 'kind'],
  ['arrival', 'over'], ['mechanisms', 'propagation'], ['parameters', 'ml_section'], ['parameters'], ['sweep'], ['sweep', 'machine'],
  ['sweep', 'machine', 1], ['sweep', 'containers', 0], ['sweep', 'deadlines.launch'], ['expect'], ['expect', 0], ['expect', 0, 'metric'],
  ['expect', 0, 'where'], ['expect', 0, 'where', 'containers'], ['expect', 1, 'below'], ['expect', 1, 'below', 'where', 'machine'],
  ['expect', 1, 'below', 'factor'], ['expect', 0, 'over'], ['threads'], ['horizon'],
];

function mutate(base: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null) node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

describe('loadScenario never throws anything but InputError', () => {
  it('on random documents built from scenario-like fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }), (document) => loadsOrInputError(stringify(document))),
      { numRuns: 300 },
    );
  });

  it('on random mutations of a valid file', () => {
    expect(loadsOrInputError(stringify(VALID))).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), value, fc.boolean()), { minLength: 1, maxLength: 3 }), (mutations) => {
        let document: unknown = VALID;
        for (const [path, replacement, remove] of mutations) document = mutate(document, path, replacement, remove);
        return loadsOrInputError(stringify(document));
      }),
      { numRuns: 300 },
    );
  });

  it('on random edits of the text', () => {
    const text = stringify(VALID);
    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.nat({ max: 6 }), fc.string({ maxLength: 4, unit: fc.constantFrom('{', '}', '[', ']', ':', ',', '-', ' ', '\n', '&', '*', '!', '#', '"', 'x', '9') }), (at, cut, insert) =>
        loadsOrInputError(text.slice(0, at) + insert + text.slice(at + cut)),
      ),
      { numRuns: 300 },
    );
  });

  it('on random --set overrides', () => {
    const text = stringify(VALID);
    const pathText = fc.oneof(
      fc.constantFrom('containers', 'machine', 'deadlines.launch', 'mechanisms.propagation', 'sweep.containers', 'sweep.layers', 'parameters.ml_section', 'expect[0].below', 'kind', 'seeds', 'arrival.over', 'machine.family', 'name'),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(pathText, value), { maxLength: 3 }), (sets) => loadsOrInputError(text, sets.map(([path, v]) => `${path}=${JSON.stringify(v) ?? 'null'}`))),
      { numRuns: 200 },
    );
  });
});

describe('small valid scenarios always run', () => {
  const launch = fc.record({
    name: fc.constant('gen'),
    machine: fc.constantFrom('r5.metal', 'm7a.24xlarge', 'm7i.metal-24xl+ht-off'),
    runtime: fc.constantFrom('containerd-idmap', 'containerd-common-parent', 'docker-shifted', 'lowerdir-fd'),
    containers: fc.integer({ min: 1, max: 3 }),
    layers: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant({ kind: 'uniform', min: 1, max: 3 })),
    arrival: fc.constantFrom({ kind: 'burst' }, { kind: 'ramp', over: '100 ms' }, { kind: 'poisson', perSecond: 20 }, { kind: 'staggered', over: '50 ms' }),
    placement: fc.constantFrom('spread', 'random', 'compact'),
    mechanisms: fc.record({ propagation: fc.boolean(), heterogeneity: fc.boolean(), mountinfoReaders: fc.boolean() }),
    seeds: fc.constant(1),
  });
  const pauseBench = fc.record({
    name: fc.constant('gen'),
    kind: fc.constant('pause-bench'),
    machine: fc.constantFrom('r5.metal', 'm7a.24xlarge'),
    threads: fc.integer({ min: 1, max: 16 }),
    placement: fc.constantFrom('compact', 'spread', 'one-socket'),
    lock: fc.constantFrom('ttas', 'ticket', 'qspinlock'),
    duration: fc.constant('20 us'),
    seeds: fc.constant(1),
  });

  it('load, run and summarize one point per RunPoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(launch, pauseBench), async (document) => {
        const scenario = loadScenarioText(stringify(document), 'gen.yaml');
        const { summary } = await runScenario(scenario);
        expect(summary.points.map((p) => p.index)).toEqual(scenario.points.map((p) => p.index));
        const metric = scenario.kind === 'launch' ? 'failureRate' : 'latencyNs';
        expect(Number.isFinite(summary.points[0].metrics[metric].mean)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });
});
