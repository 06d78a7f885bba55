import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { ensureWritableDir, writeFileAtomic } from '../../src/report/atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'locksim-atomic-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the content and leaves no temporary file', async () => {
    await writeFileAtomic(join(dir, 'results.json'), '{"ok":true}\n');
    await writeFileAtomic(join(dir, 'chart.png'), new Uint8Array([137, 80, 78, 71]));
    expect(await readFile(join(dir, 'results.json'), 'utf8')).toBe('{"ok":true}\n');
    expect([...(await readFile(join(dir, 'chart.png')))]).toEqual([137, 80, 78, 71]);
    expect((await readdir(dir)).sort()).toEqual(['chart.png', 'results.json']);
  });

  it('replaces an existing file', async () => {
    const path = join(dir, 'report.html');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['report.html']);
  });

  it('on failure keeps the old target and removes its temporary file', async () => {
    // A non-empty directory at the target makes the final rename fail after the data was written.
    const path = join(dir, 'results.json');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'x');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['results.json']);
    expect(await readFile(join(path, 'keep'), 'utf8')).toBe('x');
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'a.txt'), 'data')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('never lets a concurrent reader see a partial file', async () => {
    const path = join(dir, 'big.txt');
    const sizeBytes = 1 << 20;
    const versions = ['a', 'b', 'c', 'd'].map((c) => c.repeat(sizeBytes));
    await writeFileAtomic(path, versions[0]);
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 12; round++) await writeFileAtomic(path, versions[round % versions.length]);
      writing = false;
    })();
    const seen: string[] = [];
    while (writing) {
      const content = await readFile(path, 'utf8');
      expect(content.length).toBe(sizeBytes);
      expect(content).toBe(content[0].repeat(sizeBytes));
      seen.push(content[0]);
    }
    await writer;
    expect(seen.length).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(['big.txt']);
  });
});

describe('ensureWritableDir', () => {
  it('creates missing parents', async () => {
    const out = join(dir, 'reports', 'mount-storm', 'run-1');
    await ensureWritableDir(out);
    await writeFileAtomic(join(out, 'x.txt'), 'ok');
    expect(await readdir(out)).toEqual(['x.txt']);
  });

  it('accepts an existing directory', async () => {
    await expect(ensureWritableDir(dir)).resolves.toBeUndefined();
  });

  it('rejects a file in the way with an InputError and a hint', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, '');
    const error = await ensureWritableDir(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toMatch(/^--out: the output path .* is not a directory \(expected a directory, found a file or other non-directory\)\. /);
  });

  it('rejects a path below a file, naming the source of the path', async () => {
    const file = join(dir, 'file');
    await writeFile(file, '');
    const error = await ensureWritableDir(join(file, 'sub'), 'scenario output.dir').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const detail = (error as InputError).detail;
    expect(detail.file).toBe('scenario output.dir');
    expect(detail.found).toBe('a file where a directory is needed');
    expect(detail.hint).toMatch(/regular file/);
  });

  // Node's own recursive mkdir spins forever here; ours must answer.
  it.skipIf(process.platform !== 'linux')('fails, rather than hangs, where the file system refuses new entries (/proc)', async () => {
    const error = await ensureWritableDir('/proc/locksim-no-such-dir').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/cannot create the output directory/);
  }, 30_000);

  // root ignores permission bits, so this only means something for ordinary users.
  it.skipIf(process.getuid?.() === 0)('rejects a directory without write permission', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o555 });
    const error = await ensureWritableDir(locked).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).detail.found).toBe('permission denied');
    await chmod(locked, 0o755);
  });
});
