// Issue 18: a report directory is replaced whole or not at all, under a lock; a full disk or a refused write is
// one line with exit 74 or 2 that says the previous report is intact. Failures are injected through the ReportFs
// layer, so these run anywhere (as root too); one test also fills a real tmpfs, where it may mount one.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/failure.js';
import { executeRun } from '../../src/cli/commands/run.js';
import { InputError } from '../../src/input/errors.js';
import { runScenario, type ScenarioRun } from '../../src/pipeline.js';
import { OutputError } from '../../src/report/output-errors.js';
import { LOCK_FILE, NODE_REPORT_FS, type ReportFs } from '../../src/report/report-dir.js';
import { rerenderReport, writeRunReport } from '../../src/report/write-run.js';
import { loadScenario } from '../../src/pipeline.js';
import { runPointsParallel } from '../support/run-points.js';
import { recordingContext, TINY_LAUNCH } from '../cli/support.js';

const root = mkdtempSync(join(tmpdir(), 'locksim-report-dir-'));
const options = { command: 'locksim run tiny', version: '1' };
/** Report A: two machines; report B: one machine, other seeds (so fewer files, and different bytes). */
let runA: ScenarioRun;
let runB: ScenarioRun;

beforeAll(async () => {
  runA = await runScenario(loadScenario(TINY_LAUNCH, { set: ['sweep.containers=[2]'], seeds: 1 }));
  runB = await runScenario(loadScenario(TINY_LAUNCH, { set: ['sweep.containers=[2]', 'sweep.machine=[r5.metal]', 'seeds=[5]'] }));
});

function bytesOf(dir: string): Map<string, string> {
  return new Map(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, readFileSync(join(dir, e.name)).toString('base64')]));
}

/** A folder holding report A, a checkpoint folder and a file of the user's. */
async function folderWithReportA(): Promise<string> {
  const dir = mkdtempSync(join(root, 'out-'));
  await writeRunReport(runA, dir, options);
  mkdirSync(join(dir, 'checkpoint'));
  writeFileSync(join(dir, 'checkpoint', 'checkpoint.jsonl'), '{}\n');
  writeFileSync(join(dir, 'notes.csv'), 'mine\n');
  return dir;
}

/** Node's file system, with the `n`-th call of `method` failing with `code` (or a plain Error, as a crash would). */
function failing(method: keyof ReportFs, n: number, code?: string): ReportFs {
  let calls = 0;
  const fail = (): never => {
    throw code === undefined ? new Error('the process died here') : Object.assign(new Error(`${code}: simulated`), { code });
  };
  return {
    ...NODE_REPORT_FS,
    [method]: (...args: unknown[]) => (++calls === n ? fail() : (NODE_REPORT_FS[method] as (...a: unknown[]) => unknown)(...args)),
  } as ReportFs;
}

async function rejection(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('a report write that fails', () => {
  it.each([
    ['a full disk (ENOSPC) on the 6th file', 'ENOSPC', 74, 'no space left on the device'],
    ['a refused write (EACCES) on the 6th file', 'EACCES', 2, 'permission denied'],
  ])('leaves the previous report as it was: %s', async (_name, code, exitCode, words) => {
    const dir = await folderWithReportA();
    const before = bytesOf(dir);
    const error = await rejection(writeRunReport(runB, dir, options, { fs: failing('writeFile', 6, code) }));
    expect(error).toBeInstanceOf(OutputError);
    expect(describeFailure(error)).toEqual({ code: exitCode, message: `cannot write the report in ${dir}: ${words}; the previous report in ${dir} is intact` });
    expect(bytesOf(dir)).toEqual(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('says nothing was written when there was no report before', async () => {
    const dir = mkdtempSync(join(root, 'empty-'));
    const error = await rejection(writeRunReport(runB, dir, options, { fs: failing('writeFile', 1, 'ENOSPC') }));
    expect((error as Error).message).toBe(`cannot write the report in ${dir}: no space left on the device; nothing was written to ${dir}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finishes a commit a crash interrupted on the next write, so the folder never keeps a mix', async () => {
    const dir = await folderWithReportA();
    const clean = mkdtempSync(join(root, 'clean-'));
    await writeRunReport(runB, clean, options);
    // The process "dies" after three files of B went in.
    await rejection(writeRunReport(runB, dir, options, { fs: failing('rename', 4) }));
    expect(readdirSync(dir)).toContain('.locksim-commit');
    await rerenderReport(dir, { version: '1' });
    const after = bytesOf(dir);
    for (const [name, bytes] of bytesOf(clean)) expect(after.get(name), name).toBe(bytes);
    // A's second machine is gone; the user's files and the checkpoint stay.
    expect([...after.keys()].filter((name) => !bytesOf(clean).has(name))).toEqual(['notes.csv']);
    expect(existsSync(join(dir, 'checkpoint', 'checkpoint.jsonl'))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('replaces every file of the old report and drops the ones the new report no longer has', async () => {
    const dir = await folderWithReportA();
    expect(readdirSync(dir)).toContain('flamegraph-m7a.24xlarge.on-cpu.folded');
    await writeRunReport(runB, dir, options);
    expect(readdirSync(dir)).not.toContain('flamegraph-m7a.24xlarge.on-cpu.folded');
    expect(readdirSync(dir)).toContain('notes.csv');
  });
});

describe('the output lock', () => {
  it('refuses a second writer while another locksim holds the folder, before simulating', async () => {
    const dir = await folderWithReportA();
    // Process 1 always runs: a live holder on this host.
    writeFileSync(join(dir, LOCK_FILE), `1 ${hostname()}\n`);
    const error = await rejection(writeRunReport(runB, dir, options));
    expect(error).toBeInstanceOf(InputError);
    expect(describeFailure(error).message).toBe(
      `--out: another locksim is writing a report into ${dir} (expected an output directory no other locksim is writing, found the lock ${join(dir, LOCK_FILE)} of process 1 on ${hostname()}). Wait for it to finish or choose another directory; if no locksim is running there, remove the lock file.`,
    );
    const context = recordingContext();
    const refused = await rejection(executeRun({ scenario: TINY_LAUNCH, out: dir, jobs: 1, command: 'locksim run' }, context));
    expect(refused).toBeInstanceOf(InputError);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`1 ${hostname()}\n`);
  });

  it('takes over a lock whose holder no longer runs, and removes it when done', async () => {
    const dir = await folderWithReportA();
    const gone = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    writeFileSync(join(dir, LOCK_FILE), `${gone} ${hostname()}\n`);
    await writeRunReport(runB, dir, options);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

// A real full disk: a small tmpfs holding report A, with no room for a second report beside it. Needs root to mount.
const TINY_FS = join(root, 'tiny-fs');
const READ_ONLY_FS = join(root, 'read-only-fs');
function mountTmpfs(dir: string, options: string): boolean {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') return false;
  try {
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = mountTmpfs(TINY_FS, 'size=800k');
const mountedReadOnly = mountTmpfs(READ_ONLY_FS, 'size=64k,ro');
afterAll(() => {
  if (mounted) execFileSync('umount', [TINY_FS]);
  if (mountedReadOnly) execFileSync('umount', [READ_ONLY_FS]);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a report on a full tmpfs (root only)', () => {
  it('exits 74 with one line and leaves the previous report intact', async () => {
    const dir = join(TINY_FS, 'r');
    const reportA = await folderWithReportA();
    // Room for report A and a quarter more: not for report B staged beside it.
    const bytesA = [...bytesOf(reportA).values()].reduce((sum, text) => sum + Buffer.from(text, 'base64').length, 0);
    execFileSync('mount', ['-o', `remount,size=${Math.ceil((bytesA * 1.25) / 1024) + 64}k`, TINY_FS], { stdio: 'ignore' });
    cpSync(reportA, dir, { recursive: true });
    const before = bytesOf(dir);
    const error = await rejection(writeRunReport(runB, dir, { ...options, version: '2' }));
    expect(describeFailure(error)).toEqual({ code: 74, message: `cannot write the report in ${dir}: no space left on the device; the previous report in ${dir} is intact` });
    expect(bytesOf(dir)).toEqual(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe.skipIf(!mountedReadOnly)('a checkpoint on a read-only mount (root only)', () => {
  it('says the file system is read-only (it said ENOENT)', async () => {
    const scenario = loadScenario(TINY_LAUNCH, { set: ['sweep.containers=[2]'], seeds: 1 });
    const error = await rejection(runPointsParallel(scenario, { jobs: 1, checkpoint: { dir: join(READ_ONLY_FS, 'cp') } }));
    expect(describeFailure(error)).toEqual({
      code: 2,
      message: `--checkpoint: cannot create the checkpoint directory ${join(READ_ONLY_FS, 'cp')} (expected a directory that can be created and written, found a read-only file system). Choose a writable directory with --checkpoint.`,
    });
  });
});
