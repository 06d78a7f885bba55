/**
 * The malformed corpus (test/fixtures/scenarios/): every file is refused with
 * one InputError naming the file, the line and the field path, and saying
 * what was expected; the CLI turns that into exit 2 before anything runs.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { loadScenario, loadScenarioText } from '../../src/pipeline.js';

const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'scenarios');

function errorOf(file: string): InputError {
  try {
    loadScenario(join(CORPUS, file));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`${file} loaded, but it is malformed`);
}

/** file -> [line, field path, message pattern]; line undefined where the file has no line to point at. */
const CASES: Record<string, [number | undefined, string | undefined, RegExp]> = {
  'syntax-error.yaml': [5, undefined, /YAML syntax error/],
  'wrong-type.yaml': [3, 'containers', /invalid value \(expected an integer >= 1 and <= 100000, found "lots"\)/],
  'unknown-field.yaml': [3, 'contaners', /unknown field `contaners`.*Did you mean `containers`\?/],
  'missing-field.yaml': [1, 'machine', /missing required field `machine`/],
  'bad-unit.yaml': [6, 'deadlines.launch', /unknown unit "fortnights"/],
  'length-for-time.yaml': [5, 'horizon', /"m" is a unit of length, not of duration/],
  'size-for-time.yaml': [5, 'sampleEvery', /"MiB" is a unit of size, not of duration/],
  'bare-number-time.yaml': [5, 'deadlines.launch', /a bare number has no unit.*e\.g\. "30 s"/],
  'zero-containers.yaml': [3, 'containers', /value too small/],
  'negative-layers.yaml': [4, 'layers', /value too small.*found -5/],
  'negative-duration.yaml': [5, 'arrival.over', /cannot be negative/],
  'zero-deadline.yaml': [6, 'sweep.deadlines.launch[1]', /longer than zero/],
  'billion-containers.yaml': [3, 'containers', /value too large.*<= 100000.*found 1000000000\).*at most 100000 containers/],
  'million-point-sweep.yaml': [6, 'sweep', /expands to 1200000 points \(200 containers x 100 layers x 3 placement x 20 deadlines\.launch\), over the limit of 10000 points.*Split the sweep/],
  'too-many-runs.yaml': [5, 'seeds', /12 points x 10000 seeds = 120000 runs, over the limit of 100000 runs.*fewer seeds/],
  'unknown-family.yaml': [2, 'machine', /unknown machine family `r5\.metl`.*Did you mean `r5\.metal`\?/],
  'unknown-family-in-sweep.yaml': [8, 'sweep.machine[1]', /unknown machine family `m7a\.24xlarg`.*Did you mean `m7a\.24xlarge`\?/],
  'unknown-runtime.yaml': [3, 'runtime', /unknown runtime model `containerd-idmp`.*Did you mean `containerd-idmap`\?/],
  'bad-variant.yaml': [2, 'machine', /unknown machine variant "\+ht-of".*Did you mean `ht-off`\?/],
  'unknown-parameter.yaml': [6, 'parameters.ml_sectoin', /unknown model parameter `ml_sectoin`.*Did you mean `ml_section`\?/],
  'where-no-match.yaml': [8, 'expect[0].where', /where matches no point.*containers in \[10, 20, 50\].*found containers=60/],
  'target-where-no-match.yaml': [10, 'expect[0].below.where', /where matches no point/],
  'unknown-metric.yaml': [6, 'expect[0].metric', /unknown metric `failurRate`.*Did you mean `failureRate`\?/],
  'unknown-where-key.yaml': [9, 'expect[0].where.containres', /unknown coordinate `containres`.*Did you mean `containers`\?/],
  'two-comparators.yaml': [8, 'expect[0].above', /two comparators/],
  'no-comparator.yaml': [6, 'expect[0]', /no comparator/],
  'unknown-sweep-key.yaml': [6, 'sweep.contaners', /unknown field path `contaners` in sweep.*Did you mean `containers`\?/],
  'sweep-value-wrong-type.yaml': [6, 'sweep.containers[1]', /invalid value.*found "many"/],
  'duplicate-sweep-value.yaml': [6, 'sweep.containers[2]', /appears twice/],
  'too-many-threads.yaml': [4, 'threads', /value too large.*<= 4096.*at most 4096 threads/],
  'threads-do-not-fit.yaml': [4, 'threads', /200 threads do not fit m7a\.24xlarge/],
  'unknown-kind.yaml': [2, 'kind', /unknown scenario kind.*Did you mean `pause-bench`\?/],
  'path-in-name.yaml': [1, 'name', /invalid value.*found "\.\.\/\.\.\/etc\/passwd"/],
  'not-a-mapping.yaml': [1, undefined, /a scenario file is a mapping of fields.*found a list/],
  'empty.yaml': [undefined, undefined, /a scenario file is a mapping of fields.*empty document/],
  'alias-bomb.yaml': [undefined, undefined, /cannot expand the document/],
  'layers-normal-missing-sd.yaml': [5, 'layers', /missing required field `sd`/],
  'layers-bad-inner.yaml': [4, 'layers.max', /invalid value.*found "many"/],
  'unknown-mechanism.yaml': [6, 'mechanisms.propagaton', /unknown field `propagaton`.*Did you mean `propagation`\?/],
  'arrival-wrong-field.yaml': [7, 'arrival.perSecond', /`perSecond` does not apply to burst arrivals/],
  // Issue 18: YAML that no field can hold, refused where it is written.
  'alias-self.yaml': [4, 'layers[0]', /a YAML alias refers to a node that contains it/],
  'alias-self-seeds.yaml': [5, 'seeds[1]', /a YAML alias refers to a node that contains it/],
  'proto-mechanisms.yaml': [6, 'mechanisms.__proto__', /`__proto__` is not a field name/],
  'proto-variant.yaml': [4, 'machine.variant.__proto__', /`__proto__` is not a field name/],
  'proto-sweep.yaml': [6, 'sweep.__proto__', /`__proto__` is not a field name/],
  'proto-where.yaml': [6, 'expect[0].where.__proto__', /`__proto__` is not a field name/],
  'huge-deadline.yaml': [6, 'deadlines.launch', /"1e300 h" is too large \(expected at most 9007199254740992 ns/],
  'huge-arrival.yaml': [5, 'arrival.over', /"1e300 h" is too large/],
  'negative-count-parameter.yaml': [6, 'parameters.runc_setup_mounts', /value too small \(expected a number >= 0, found -5\)/],
  'nan-value.yaml': [3, 'containers', /invalid value \(expected an integer >= 1 and <= 100000, found NaN\)/],
};

describe('the malformed scenario corpus', () => {
  it('has a case for every file, and a file for every case', () => {
    expect(readdirSync(CORPUS).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [file, [line, path, pattern]] of Object.entries(CASES)) {
    it(`refuses ${file} with file, line and field path`, () => {
      const error = errorOf(file);
      expect(error.detail.file).toBe(join(CORPUS, file));
      expect(error.detail.line).toBe(line);
      expect(error.detail.path).toBe(path);
      const text = error.format();
      expect(text).toMatch(pattern);
      expect(text.startsWith(`${join(CORPUS, file)}${line === undefined ? '' : `:${line}`}`)).toBe(true);
      if (path !== undefined) expect(text).toContain(` ${path}: `);
      // Every message says what a valid value looks like.
      expect(error.detail.expected).toBeTruthy();
    });
  }
});

describe('hostile --set values', () => {
  const cases: [string, string, RegExp][] = [
    ['layers=&a [*a]', 'layers[0]', /a YAML alias refers to a node that contains it/],
    ['seeds=&s [1, *s]', 'seeds[1]', /a YAML alias refers to a node that contains it/],
    ['mechanisms={__proto__: {propagation: false}}', 'mechanisms.__proto__', /`__proto__` is not a field name/],
    ['parameters={__proto__: {ml_section: "1 us"}}', 'parameters.__proto__', /`__proto__` is not a field name/],
  ];
  for (const [set, path, pattern] of cases) {
    it(`refuses --set ${set}`, () => {
      let caught: unknown;
      try {
        loadScenario(join(CORPUS, '..', '..', 'cli', 'fixtures', 'tiny-launch.yaml'), { set: [set] });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      const error = caught as InputError;
      expect(error.detail.file).toBe('--set');
      expect(error.detail.path).toBe(path);
      expect(error.format()).toMatch(pattern);
    });
  }
});

describe('a sweep past the point limit', () => {
  it('is refused on the lengths of its lists, before a value is read (300,000 values cost 190 s before)', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => `"${i + 1} ms"`).join(',');
    let caught: unknown;
    try {
      loadScenarioText(`name: s\nmachine: r5.metal\ncontainers: 5\nlayers: 3\nsweep:\n  deadlines.launch: [${values}]\n`, 'big.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).format()).toMatch(/^big\.yaml:6:3: sweep: the sweep expands to 300000 points \(300000 deadlines\.launch\), over the limit of 10000 points/);
  });
});
