/**
 * Issue 18's fuzz: random edits of valid scenarios and machine files, each
 * loaded and run as `locksim run --jobs 1` would (fuzz-worker.ts), never exit
 * 70 and never crash: every outcome is 0 (ran), 2 (bad input, one line) or 3
 * (a run limit), inside a thread whose V8 heap is capped, so "never crash"
 * includes "never outgrow a memory bound". No case may touch Object.prototype.
 *
 * The seed is fixed, so `npm test` is the same test every time; set
 * LOCKSIM_FUZZ_SEED (a number, or "random") and LOCKSIM_FUZZ_RUNS to explore.
 */
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzCase, FuzzOutcome } from './fuzz-worker.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** The thread's V8 heap (old generation), MiB: the memory bound every case must stay inside. */
const HEAP_BOUND_MB = 640;

const seedSetting = process.env.LOCKSIM_FUZZ_SEED;
const SEED = seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : seedSetting === undefined ? 18 : Number(seedSetting);
const RUNS = Number(process.env.LOCKSIM_FUZZ_RUNS ?? 1);
const settings = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: Math.max(1, Math.round(numRuns * RUNS)), seed: SEED, endOnFailure: true });

// ---------------------------------------------------------------- the thread

const models = mkdtempSync(join(tmpdir(), 'locksim-fuzz-models-'));
let worker: Worker;
let pending: { resolve(outcome: FuzzOutcome): void; reject(error: Error): void } | undefined;
let died: Error | undefined;

beforeAll(() => {
  cpSync(join(REPOSITORY, 'models'), models, { recursive: true });
  worker = new Worker(new URL('./fuzz-thread.mjs', import.meta.url), {
    workerData: { models },
    resourceLimits: { maxOldGenerationSizeMb: HEAP_BOUND_MB },
  });
  worker.on('message', (outcome: FuzzOutcome) => {
    pending?.resolve(outcome);
    pending = undefined;
  });
  const fail = (error: Error): void => {
    died = error;
    pending?.reject(error);
    pending = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the fuzz thread exited with code ${code}`)));
});
afterAll(async () => {
  worker.removeAllListeners('exit');
  await worker.terminate();
  rmSync(models, { recursive: true, force: true });
});

function run(job: FuzzCase): Promise<FuzzOutcome> {
  if (died !== undefined) return Promise.reject(died);
  return new Promise((resolve, reject) => {
    pending = { resolve, reject };
    worker.postMessage(job);
  });
}

const tally = new Map<number, number>();
afterAll(() => {
  if (process.env.LOCKSIM_FUZZ_TALLY !== undefined) console.log(`fuzz seed ${SEED}, outcomes by exit code`, Object.fromEntries(tally));
});

async function expectCleanOutcome(job: FuzzCase): Promise<void> {
  const outcome = await run(job);
  tally.set(outcome.code, (tally.get(outcome.code) ?? 0) + 1);
  expect([0, 2, 3], `${outcome.message}\n--- case ---\n${JSON.stringify(job, null, 2)}`).toContain(outcome.code);
  if (outcome.code !== 0) expect(outcome.message).not.toMatch(/\n\s+at /);
  expect(outcome.polluted).toEqual([]);
}

// ---------------------------------------------------------------- edits

type Doc = Record<string, unknown>;

const HOSTILE = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 3, 7, 64, 300, 20_000, 1e6, 1e9, 1e21, 0.5, -0, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom('1e300 h', '0.001 ns', '1 ns', '-5 s', '0 s', '4 MiB', '30 s', '2 us', '1e7 h', 'NaN s', '', ' ', 'x'.repeat(300), '\u202e\u0000\u001b[2J'),
  fc.constantFrom('r5.metal', 'm7a.24xlarge+ht-off', 'r5.metal+cpuset=0-99999999999', 'r5.metal+socket9', '../../../../etc/passwd', '/dev/zero', '.hidden', '__proto__', 'constructor'),
  fc.constantFrom('launch', 'pause-bench', 'burst', 'ramp', 'poisson', 'staggered', 'normal', 'uniform', 'ticket', 'mesh', 'chiplet', 'siblings-adjacent', 'measured'),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(1, 2, 'a', '0-3', '0-99999', null), { maxLength: 4 }),
  fc.constant(JSON.parse('{"__proto__": {"propagation": false, "smt": false}}') as unknown),
  fc.dictionary(fc.constantFrom('kind', 'over', 'mean', 'sd', 'min', 'max', 'value', 'base', 'basis', 'source', 'c2c'), fc.constantFrom(1, -1, '2 us', 'estimate', 'normal', '/dev/zero'), { maxKeys: 3 }),
);

function setAt(doc: Doc, path: readonly (string | number)[], value: unknown, remove: boolean): Doc {
  const copy = structuredClone(doc);
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) {
    if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** Text edits: cut, insert YAML punctuation, or turn a value into an alias of its own node. */
const textEdit = (text: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 12 }), fc.string({ maxLength: 6, unit: fc.constantFrom('{', '}', '[', ']', ':', ',', '-', ' ', '\n', '&a ', '*a', '!', '#', '"', '9', 'e', '\u0000') })).map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut)),
    fc.nat({ max: Math.max(0, text.split('\n').length - 1) }).map((line) => {
      const lines = text.split('\n');
      lines[line] = lines[line].replace(/:\s.*$/, ': &a [*a]');
      return lines.join('\n');
    }),
  );

const structural = <P extends readonly (string | number)[]>(paths: readonly P[]) => fc.array(fc.tuple(fc.constantFrom(...paths), HOSTILE, fc.boolean()), { minLength: 1, maxLength: 3 });

// ---------------------------------------------------------------- scenarios

const LAUNCH: Doc = {
  name: 'fuzz',
  machine: 'r5.metal',
  containers: 3,
  layers: 2,
  seeds: 2,
  arrival: { kind: 'staggered', over: '50 ms' },
  deadlines: { launch: '30 s' },
  mechanisms: { propagation: true },
  parameters: { ml_section: '4 us', runc_setup_mounts: 10 },
  sweep: { containers: [2, 3] },
  limits: { maxSimulatedTime: '1 h' },
  expect: [{ metric: 'failureRate', where: { containers: 3 }, below: 0.5 }],
};
const PAUSE: Doc = { name: 'fuzz', kind: 'pause-bench', machine: 'm7a.24xlarge', threads: 4, lock: 'ticket', duration: '20 us', seeds: 1 };
const SCENARIO_PATHS = [
  ['name'], ['kind'], ['machine'], ['machine', 'family'], ['machine', 'variant'], ['machine', 'variant', 'cpuset'], ['containers'], ['layers'], ['layers', 'kind'], ['seeds'],
  ['arrival'], ['arrival', 'kind'], ['arrival', 'over'], ['arrival', 'perSecond'], ['deadlines', 'launch'], ['horizon'], ['sampleEvery'], ['placement'],
  ['mechanisms'], ['mechanisms', 'propagation'], ['parameters'], ['parameters', 'ml_section'], ['parameters', 'runc_setup_mounts'], ['runtime'], ['kernel'],
  ['sweep'], ['sweep', 'containers'], ['sweep', 'machine'], ['sweep', 'deadlines.launch'], ['limits'], ['limits', 'maxEvents'], ['limits', 'maxMemory'],
  ['limits', 'maxSimulatedTime'], ['expect', 0, 'where'], ['expect', 0, 'below'], ['threads'], ['lock'], ['hold'], ['duration'],
] as const;

describe('random edits of valid scenarios', () => {
  it('the valid bases run (exit 0)', async () => {
    for (const base of [LAUNCH, PAUSE]) expect((await run({ scenario: stringify(base) })).code).toBe(0);
  });

  it('structural edits exit 0, 2 or 3, inside the heap bound', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(LAUNCH, PAUSE), structural(SCENARIO_PATHS), async (base, edits) => {
        let doc = base;
        for (const [path, value, remove] of edits) doc = setAt(doc, path, value, remove);
        await expectCleanOutcome({ scenario: stringify(doc) });
      }),
      settings(90),
    );
  });

  it('text edits and --set overrides exit 0, 2 or 3', async () => {
    const text = stringify(LAUNCH);
    const set = fc.array(
      fc.tuple(fc.constantFrom('containers', 'machine', 'layers', 'sampleEvery', 'parameters.runc_setup_mounts', 'sweep.containers', 'limits.maxMemory', 'mechanisms'), HOSTILE).map(([path, value]) => `${path}=${JSON.stringify(value) ?? 'null'}`),
      { maxLength: 2 },
    );
    await fc.assert(
      fc.asyncProperty(textEdit(text), set, async (scenario, overrides) => expectCleanOutcome({ scenario, set: overrides })),
      settings(60),
    );
  });
});

// ---------------------------------------------------------------- machine files

const MACHINES = ['r5.metal', 'm7a.24xlarge'].map((name) => parse(readFileSync(join(REPOSITORY, 'models', 'machines', `${name}.yaml`), 'utf8')) as Doc);
const MACHINE_PATHS = [
  ['name'], ['topology', 'coherence'], ['topology', 'sockets'], ['topology', 'coresPerSocket'], ['topology', 'threadsPerCore'], ['topology', 'l3DomainsPerSocket'],
  ['topology', 'numaNodesPerSocket'], ['topology', 'numbering'], ['topology', 'globalsHomeNode'], ['topology', 'siblings'], ['topology', 'l3Domains'],
  ['latency', 'costTable'], ['latency', 'costTable', 'c2c'], ['latency', 'smt'], ['latency', 'smt', 'value'], ['latency', 'sameDomain', 'base'], ['latency', 'sameDomain', 'offsetMax'],
  ['latency', 'crossDomain', 'groupSize'], ['latency', 'crossSocket'], ['latency', 'calibration'], ['coherence', 'homeService', 'value'], ['coherence', 'socketHopFactor', 'value'],
  ['coherence', 'perCpuRead', 'remote'], ['coherence', 'smtSlowdown'], ['price', 'usdPerHour'], ['variantOf'], ['variant'], ['variant', 'smt'], ['variant', 'cpuset'],
] as const;

let machineCount = 0;

describe('random edits of valid machine files', () => {
  it('structural and text edits exit 0, 2 or 3, inside the heap bound', async () => {
    const edited = fc.oneof(
      fc.tuple(fc.constantFrom(...MACHINES), structural(MACHINE_PATHS)).map(([base, edits]) => {
        let doc = base;
        for (const [path, value, remove] of edits) doc = setAt(doc, path, value, remove);
        return (name: string) => stringify({ ...doc, name: doc.name === base.name ? name : doc.name });
      }),
      fc.constantFrom(...MACHINES).chain((base) => textEdit(stringify({ ...base, name: 'NAME' })).map((text) => (name: string) => text.replace('NAME', name))),
    );
    await fc.assert(
      fc.asyncProperty(edited, fc.constantFrom(LAUNCH, PAUSE), async (machineText, base) => {
        // A file of its own per case: model caches key on file names and stamps.
        const name = `fuzzed-${++machineCount}`;
        await expectCleanOutcome({ machine: { name, text: machineText(name) }, scenario: stringify({ ...base, machine: name, sweep: {} }) });
      }),
      settings(70),
    );
  });
});
