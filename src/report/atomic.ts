/**
 * Writing report files so that a reader never sees half of one.
 *
 * A report directory is read by people, by CI diffing `results.json`, and by
 * `locksim report` re-rendering from it; an interrupted run (Ctrl-C, a full disk,
 * a killed worker) must leave either the previous file or the new one, never a
 * truncated mix. So every file is written to a temporary sibling, flushed to disk,
 * then renamed over the target: rename(2) within one directory is atomic on POSIX
 * file systems. The temporary file lives in the same directory because a rename
 * across file systems is a copy, not an atomic swap.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../input/errors.js';

/** Temporary files start with this, so a crash leftover is recognisable (and ignorable) in a listing. */
export const TEMP_FILE_PREFIX = '.locksim-tmp-';

/**
 * Replaces `path` with `data` atomically: readers see the old content or the new
 * content, nothing in between, and no temporary file remains afterwards, even
 * when the write fails.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  // pid + random suffix: two workers writing the same report never share a temp file.
  const tempPath = join(directory, `${TEMP_FILE_PREFIX}${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tempPath, 'wx', 0o644);
    await handle.writeFile(data);
    // Without fsync a crash after rename can leave a zero-length file under the final name.
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tempPath, path);
  } catch (error) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await fs.rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable; some platforms (and file systems) refuse to open a directory, which is harmless. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Durability of the directory entry is best effort; the file content is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Creates `dir` (and its parents) if needed and checks that files can be written
 * in it, before any simulation time is spent. Fails with an InputError naming
 * the directory and how to fix it, because the directory comes from the user
 * (`--out`).
 */
export async function ensureWritableDir(dir: string, source = '--out'): Promise<void> {
  try {
    await makeDirectoryTree(dir);
  } catch (error) {
    // EEXIST: something that is not a directory sits at `dir` itself; the check below says so precisely.
    if (errorCode(error) !== 'EEXIST') {
      throw new InputError(`cannot create the output directory ${dir}`, {
        file: source,
        expected: 'a directory path that can be created',
        found: describeFsError(error),
        hint: hintFor(error, dir),
      });
    }
  }
  const isDirectory = await fs.stat(dir).then((stat) => stat.isDirectory(), () => false);
  if (!isDirectory) {
    throw new InputError(`the output path ${dir} is not a directory`, {
      file: source,
      expected: 'a directory',
      found: 'a file or other non-directory',
      hint: 'Pass a directory path, or remove the file that is in the way.',
    });
  }
  try {
    await fs.access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new InputError(`cannot write to the output directory ${dir}`, {
      file: source,
      expected: 'a writable directory',
      found: describeFsError(error),
      hint: hintFor(error, dir),
    });
  }
}

/**
 * `mkdir -p`, one level at a time. Not `fs.mkdir(dir, { recursive: true })`:
 * on Node 20 that loops forever when the file system answers ENOENT for a path
 * whose parent exists (seen with `--out /proc/x`), and a hung CLI is worse than an error.
 */
async function makeDirectoryTree(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      await fs.stat(current);
      break;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const directory of missing.reverse()) {
    try {
      await fs.mkdir(directory);
    } catch (error) {
      // Another process (a parallel sweep worker) may have created it meanwhile.
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function describeFsError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file where a directory is needed';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

function hintFor(error: unknown, dir: string): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return `Choose a directory you own with --out, or fix the permissions of ${dir}.`;
    case 'EROFS':
      return 'Choose a directory on a writable file system with --out.';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'A path component is a regular file; choose another path with --out or remove that file.';
    case 'ENOSPC':
      return 'Free some disk space or choose another device with --out.';
    default:
      return 'Choose another output directory with --out.';
  }
}
