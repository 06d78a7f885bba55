/**
 * A report directory is replaced whole, or not at all.
 *
 * Each file was already written atomically (atomic.ts); this makes the report
 * as a set atomic too, so a full disk, a permission problem or a crash never
 * leaves index.html from one run beside results.json from another:
 *
 *   lock     DIR/.locksim.lock, created exclusively: a second locksim writing
 *            a report into DIR is refused at once (exit 2), not interleaved.
 *   stage    every file of the new report into DIR/.locksim-staging-<id>/.
 *            Any failure here (ENOSPC, EACCES...) removes the staging folder:
 *            the previous report is untouched, and the message says so.
 *   commit   DIR/.locksim-commit names the staging folder and the old report
 *            files the new one drops; then each staged file is renamed over
 *            its old self (rename within a directory: atomic, no new data
 *            blocks), the dropped files are removed, and so is the marker.
 *   recover  a marker found on the next write to DIR (a crash mid-commit) is
 *            finished first: the staged report was whole, so it goes in.
 *
 * Only report files are touched: a checkpoint folder, shard partials or the
 * user's own files in DIR stay. The staging folder lives inside DIR, so the
 * renames never cross a file system, and DIR may be a mount point or the
 * current directory.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as nodeFs } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../input/errors.js';
import { errnoCode, outputFailure } from './output-errors.js';

/** The file-system calls a report write makes (injectable, so tests can fail any of them). */
export interface ReportFs {
  mkdir(path: string): Promise<unknown>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { recursive?: boolean; force?: boolean }): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

/** Node's own: staged files are written and flushed like any atomic file. */
export const NODE_REPORT_FS: ReportFs = {
  mkdir: (path) => nodeFs.mkdir(path),
  writeFile: (path, data) => writeFileSynced(path, data),
  rename: (from, to) => nodeFs.rename(from, to),
  rm: (path, options) => nodeFs.rm(path, options),
  readdir: (path) => nodeFs.readdir(path),
};

export const LOCK_FILE = '.locksim.lock';
const COMMIT_FILE = '.locksim-commit';
const STAGING_PREFIX = '.locksim-staging-';

/** Files of a report that always exist; chart and flame-graph files are recognised by their names (isReportFile). */
const FIXED_REPORT_FILES = new Set(['resolved.json', 'results.json', 'summary.json', 'summary.csv', 'index.html']);
const CHART_EXTENSIONS = ['.vl.json', '.csv', '.svg', '.png'];

/** Writes one staged file; returns the path it will have once the report is committed. */
export type StageFile = (name: string, data: string | Uint8Array) => Promise<string>;

export interface ReportWriteOptions {
  /** Where the directory came from, for messages (`--out`, `DIR`). */
  readonly source?: string;
  /** Report files this write leaves as they are (a redraw keeps resolved.json and results.json). */
  readonly keep?: readonly string[];
  readonly fs?: ReportFs;
}

/**
 * Writes a whole report into `dir` (which must exist): `build` stages every
 * file through `stage`, then the set replaces the previous report. On any
 * failure the previous report is left as it was; a write the machine or the
 * place refused is an OutputError saying so (exit 74 or 2).
 */
export async function writeReportDir<T>(dir: string, build: (stage: StageFile) => Promise<T>, options: ReportWriteOptions = {}): Promise<T> {
  const fs = options.fs ?? NODE_REPORT_FS;
  return withReportLock(dir, options.source ?? '--out', async () => {
    await finishInterruptedCommit(dir, fs);
    const hadReport = await hasReport(dir, fs);
    const intact = hadReport ? `the previous report in ${dir} is intact` : `nothing was written to ${dir}`;
    const staging = join(dir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    const staged: string[] = [];
    let result: T;
    try {
      await fs.mkdir(staging);
      result = await build(async (name, data) => {
        await fs.writeFile(join(staging, name), data);
        staged.push(name);
        return join(dir, name);
      });
      const names = await fs.readdir(dir);
      const dropped = names.filter((name) => isReportFile(name, names) && !staged.includes(name) && !(options.keep ?? []).includes(name));
      await fs.writeFile(join(dir, COMMIT_FILE), `${JSON.stringify({ staging: staging.slice(dir.length + 1), files: staged, dropped })}\n`);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      await fs.rm(join(dir, COMMIT_FILE), { force: true }).catch(() => undefined);
      throw outputFailure(error, `cannot write the report in ${dir}`, intact) ?? error;
    }
    try {
      await commit(dir, fs);
    } catch (error) {
      throw outputFailure(error, `cannot finish replacing the report in ${dir}`, 'the new report is staged and goes in on the next write to that folder') ?? error;
    }
    return result;
  });
}

/** Moves a staged report into place, as DIR/.locksim-commit lists it; safe to run again after a crash. */
async function commit(dir: string, fs: ReportFs): Promise<void> {
  const marker = join(dir, COMMIT_FILE);
  const plan = JSON.parse(await nodeFs.readFile(marker, 'utf8')) as { staging: string; files: string[]; dropped: string[] };
  const staging = join(dir, plan.staging);
  for (const name of plan.files) {
    try {
      await fs.rename(join(staging, name), join(dir, name));
    } catch (error) {
      // Already moved by an earlier, interrupted commit.
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }
  for (const name of plan.dropped) await fs.rm(join(dir, name), { force: true });
  await fs.rm(staging, { recursive: true, force: true });
  await fs.rm(marker, { force: true });
}

/** A commit a crash interrupted is finished; staging folders left by a crash before it are removed. */
async function finishInterruptedCommit(dir: string, fs: ReportFs): Promise<void> {
  const names = await fs.readdir(dir);
  if (names.includes(COMMIT_FILE)) {
    let valid = true;
    try {
      const plan = JSON.parse(await nodeFs.readFile(join(dir, COMMIT_FILE), 'utf8')) as { staging?: unknown; files?: unknown; dropped?: unknown };
      valid = typeof plan.staging === 'string' && plan.staging.startsWith(STAGING_PREFIX) && !plan.staging.includes('/') && Array.isArray(plan.files) && Array.isArray(plan.dropped);
    } catch {
      valid = false;
    }
    // A marker that does not parse was torn while it was written: that commit never started.
    if (valid) await commit(dir, fs);
    else await fs.rm(join(dir, COMMIT_FILE), { force: true });
  }
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(STAGING_PREFIX)) await fs.rm(join(dir, name), { recursive: true, force: true });
  }
}

async function hasReport(dir: string, fs: ReportFs): Promise<boolean> {
  return (await fs.readdir(dir)).some((name) => FIXED_REPORT_FILES.has(name));
}

/** A file a report writes: the fixed documents and page, flame graphs, and each chart's files (every chart has a .vl.json among `siblings`). */
function isReportFile(name: string, siblings: readonly string[]): boolean {
  if (FIXED_REPORT_FILES.has(name)) return true;
  if (/^flamegraph-.+\.folded$/.test(name)) return true;
  const extension = CHART_EXTENSIONS.find((ext) => name.endsWith(ext));
  if (extension === undefined) return false;
  if (extension === '.vl.json') return true;
  const stem = name.slice(0, -extension.length);
  return siblings.includes(`${stem}.vl.json`);
}

// ---------------------------------------------------------------- the lock

const held = new Map<string, number>();

/**
 * Runs `action` holding DIR/.locksim.lock (DIR must exist). The lock names
 * its holder (pid and host); one left by a process that no longer runs on
 * this host is taken over. Re-entrant within a process: `locksim run` holds
 * it from before the first run until its report is written.
 */
export async function withReportLock<T>(dir: string, source: string, action: () => Promise<T>): Promise<T> {
  const key = resolve(dir);
  const depth = held.get(key) ?? 0;
  if (depth === 0) await takeLock(dir, source);
  held.set(key, depth + 1);
  try {
    return await action();
  } finally {
    const left = (held.get(key) ?? 1) - 1;
    if (left === 0) {
      held.delete(key);
      await nodeFs.rm(join(dir, LOCK_FILE), { force: true }).catch(() => undefined);
    } else held.set(key, left);
  }
}

async function takeLock(dir: string, source: string): Promise<void> {
  const file = join(dir, LOCK_FILE);
  const mine = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await nodeFs.open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      try {
        await handle.writeFile(mine);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') {
        throw outputFailure(error, `cannot lock the output directory ${dir}`, `nothing was written to ${dir}`) ?? error;
      }
    }
    const holder = (await nodeFs.readFile(file, 'utf8').catch(() => '')).trim();
    const [pidText, host] = holder.split(' ');
    const pid = Number(pidText);
    const stale = host === hostname() && Number.isInteger(pid) && pid > 0 && !processRuns(pid);
    if (!stale || attempt > 0) {
      throw new InputError(`another locksim is writing a report into ${dir}`, {
        file: source,
        expected: 'an output directory no other locksim is writing',
        found: holder === '' ? `the lock ${file}` : `the lock ${file} of process ${pidText}${host === undefined ? '' : ` on ${host}`}`,
        hint: 'Wait for it to finish or choose another directory; if no locksim is running there, remove the lock file.',
      });
    }
    // Its holder is gone (a crash): take it over.
    await nodeFs.rm(file, { force: true });
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await nodeFs.open(path, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

