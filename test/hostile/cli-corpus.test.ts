/**
 * The hostile corpus at the command line: inputs and faults from issue 18
 * (and after), each run through the real command line in this process
 * (runCli), with its exit code and its one line. None may exit 70, print a
 * stack, or leave more than a message behind. Add a row for every new
 * hostile input; the file-level corpus is test/fixtures/scenarios/
 * (test/scenario/hostile.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { DEFAULT_MODELS_ROOT } from '../../src/input/catalog.js';
import { recordingContext, TINY_LAUNCH } from '../cli/support.js';

const root = mkdtempSync(join(tmpdir(), 'locksim-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer): string => {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
};
const scenario = (name: string, extra: string): string => file(`${name}.yaml`, `name: ${name}\nmachine: r5.metal\ncontainers: 2\nlayers: 2\nseeds: 1\n${extra}\n`);

// A models folder whose one machine reads its cost table from a device.
const devModels = join(root, 'dev-models');
mkdirSync(devModels);
writeFileSync(
  join(devModels, 'dev.yaml'),
  readFileSync(join(DEFAULT_MODELS_ROOT, 'machines', 'r5.metal.yaml'), 'utf8').replace('name: r5.metal', 'name: dev').replace(/c2c: "data\/c2c\/Intel[^"]*"/, 'c2c: "/dev/zero"'),
);

type Row = [name: string, args: () => string[], code: number, line: RegExp];

const ROWS: Row[] = [
  ['check of a device (stat size 0)', () => ['check', '/dev/zero'], 2, /^\/dev\/zero: the file is too large \(expected a YAML or JSON input file of at most 4194304 bytes, found more than 4194304 bytes\)/],
  ['a machine whose cost table is a device', () => ['models', 'show', 'dev', '--models-dir', devModels, '--out', join(root, 'dev-out')], 2, /\/dev\/zero: the file is too large .*core-to-core latency CSV/],
  ['a binary scenario', () => ['run', file('binary.yaml', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xff])), '--out', join(root, 'o1')], 2, /the file is binary, not text \(.*found a NUL byte at offset 5\)/],
  ['a sampleEvery no memory cap can hold', () => ['run', scenario('sample', 'sampleEvery: "0.001 ns"'), '--jobs', '1', '--out', join(root, 'o2')], 2, /sampleEvery: sampling every 0\.001 ns .*more mount-table samples than a run may hold/],
  ['a self-referencing alias through --set', () => ['run', TINY_LAUNCH, '--set', 'layers=&a [*a]', '--out', join(root, 'o3')], 2, /^--set: layers\[0\]: a YAML alias refers to a node that contains it/],
  ['__proto__ through --set', () => ['run', TINY_LAUNCH, '--set', 'mechanisms={__proto__: {propagation: false}}', '--out', join(root, 'o4')], 2, /^--set: mechanisms\.__proto__: `__proto__` is not a field name/],
  ['a machine name that is a path', () => ['models', 'show', '../../../../etc/passwd'], 2, /^machine: a machine family is named, not given as a path/],
  ['--machines with a path', () => ['compare', TINY_LAUNCH, '--machines', 'r5.metal,../x', '--out', join(root, 'o5')], 2, /^--machines: a machine family is named, not given as a path/],
  ['a duration that overflows', () => ['run', scenario('huge', 'horizon: "1e300 h"'), '--out', join(root, 'o6')], 2, /horizon: "1e300 h" is too large/],
  ['a CPU list past any machine', () => ['run', scenario('cpuset', ''), '--set', 'machine="r5.metal+cpuset=0-99999999999"', '--out', join(root, 'o7')], 2, /^--set: machine: CPU 99999999999 is beyond any machine locksim models/],
  ['a report folder that is not one', () => ['report', root], 2, /cannot read .*resolved\.json/],
];

describe('the hostile corpus at the command line', () => {
  for (const [name, args, code, line] of ROWS) {
    it(`${name}: exit ${code}, one line`, async () => {
      const context = recordingContext();
      expect(await runCli(args(), context)).toBe(code);
      const stderr = context.stderr.join('\n');
      expect(stderr.split('\n')).toHaveLength(1);
      expect(stderr.replace(/^locksim: /, '')).toMatch(line);
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
    });
  }

  it('--jobs 1000 runs (clamped to the cores), exit 0', async () => {
    const context = recordingContext();
    const out = join(root, 'jobs');
    expect(await runCli(['run', TINY_LAUNCH, '--set', 'sweep.containers=[2]', '--seeds', '1', '--jobs', '1000', '--quiet', '--out', out], context)).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });
});
