// Bad input: one `locksim: ...` line saying what to do, exit code 2, never a stack trace.
// A few cases go through the real CLI (a child process, slow to start); the rest call the handlers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInputError } from '../support/input-error.js';
import { EXIT_CODES_EPILOGUE, executeRun } from '../../src/cli/commands/run.js';
import { executeReport } from '../../src/cli/commands/report.js';
import { executePlan, type PlanCommandArgs } from '../../src/cli/commands/plan.js';
import { checkMachineNames } from '../../src/cli/commands/compare.js';
import { locksim, recordingContext, TINY_LAUNCH } from './support.js';

let root: string;
let fileInTheWay: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'locksim-cli-errors-'));
  fileInTheWay = join(root, 'not-a-dir');
  await writeFile(fileInTheWay, 'x');
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('the CLI process', () => {
  it.concurrent.each<[string, string[], RegExp]>([
    ['an unknown command', ['frobnicate'], /^locksim: (Did you mean|Unknown)/],
    ['an unknown flag', ['run', TINY_LAUNCH, '--frobnicate'], /^locksim: Unknown argument: frobnicate/],
    ['a --set path that does not exist', ['run', TINY_LAUNCH, '--set', 'containerz=3'], /^locksim: --set: containerz: unknown field path/],
    ['misspelt flags, with a did-you-mean each', ['run', TINY_LAUNCH, '--sedd', '3', '--josn'], /^locksim: Unknown arguments: sedd, josn\. Did you mean --seed for sedd, --json for josn\?$/],
  ])('exits 2 on %s with a one-line message', async (_name, args, message) => {
    const result = await locksim(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.concurrent('prints a shell completion script', async () => {
    const result = await locksim(['completion']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('locksim --get-yargs-completions');
  });
});


const plan = (overrides: Partial<PlanCommandArgs>): PlanCommandArgs => ({
  containers: 100,
  layers: 50,
  runtime: 'containerd-idmap',
  deadline: '30 s',
  machines: 'r5.metal',
  seeds: 1,
  maxConcurrency: 400,
  out: join(root, 'plan'),
  ...overrides,
});

describe('handlers raise InputError before simulating', () => {
  const run = (extra: { set?: string[]; out?: string; scenario?: string; jobs?: number }) => () =>
    executeRun({ scenario: extra.scenario ?? TINY_LAUNCH, set: extra.set, out: extra.out ?? join(root, 'never'), jobs: extra.jobs, command: 'locksim run' }, recordingContext());

  it('a missing scenario file', () => expectInputError(run({ scenario: join(root, 'missing.yaml') }), /cannot read/));
  it('a --set value of the wrong type', () => expectInputError(run({ set: ['containers=many'] }), /^--set: containers: invalid value/));
  it('an output directory that cannot be written', () => expectInputError(run({ out: join(fileInTheWay, 'report') }), /^--out: .*output directory/));
  it('a bad job count', () => expectInputError(run({ jobs: 0 }), /^--jobs: invalid job count/));
  it('an unknown machine to compare', () => expectInputError(() => checkMachineNames(['r5.metal', 'r9.metal'], '--machines'), /^--machines: unknown machine family `r9.metal`/));
  it('a report directory without results', () => expectInputError(() => executeReport(root, {}, recordingContext()), /resolved\.json/));
  it('an unknown runtime to plan', () => expectInputError(() => executePlan(plan({ runtime: 'podman' }), recordingContext()), /^--runtime: unknown runtime model `podman`/));
  it('a misspelt runtime, with a did-you-mean', () => expectInputError(() => executePlan(plan({ runtime: 'containerd-idmp' }), recordingContext()), /Did you mean `containerd-idmap`\?$/));
  it('a misspelt kernel, with a did-you-mean', () => expectInputError(() => executePlan(plan({ kernel: 'linux-6.21' }), recordingContext()), /^--kernel: unknown kernel model `linux-6\.21`.*Did you mean `linux-6\.12`\?$/));
  it('a bare number as the deadline suggests seconds', () => expectInputError(() => executePlan(plan({ deadline: '30' }), recordingContext()), /^--deadline: a bare number has no unit .*Write the unit, e\.g\. "30 s"\.$/));
  it('a bad plan deadline', () => expectInputError(() => executePlan(plan({ deadline: 'soon' }), recordingContext()), /^--deadline/));
  it('a zero plan deadline', () => expectInputError(() => executePlan(plan({ deadline: '0 s' }), recordingContext()), /^--deadline: invalid --deadline/));
  it('an unknown family to plan', () => expectInputError(() => executePlan(plan({ machines: 'r5.metal,x1.metal' }), recordingContext()), /^--machines: unknown machine family `x1.metal`/));
  it('a plan concurrency of zero', () => expectInputError(() => executePlan(plan({ containers: 0 }), recordingContext()), /^--containers/));
});

it('--help documents the exit codes', () => {
  expect(EXIT_CODES_EPILOGUE).toBe('Exit codes: 0 done, 2 bad input (scenario, --set, flags, output directory), 3 a run hit a simulation limit, 70 internal error, 74 a write the machine refused (full disk; the previous report is intact), 130 interrupted (finished runs kept in the checkpoint).');
});

describe('the CLI around the commands', () => {
  it('suggests the closest flag for each unknown one', async () => {
    const { unknownFlagHint } = await import('../../src/cli/flag-hints.js');
    expect(unknownFlagHint('Unknown argument: contaners', ['containers', 'layers'])).toBe('. Did you mean --containers for contaners?');
    expect(unknownFlagHint('Unknown argument: zzz', ['containers'])).toBe('');
    expect(unknownFlagHint('Missing required argument: scenario', ['containers'])).toBe('');
  });
});
