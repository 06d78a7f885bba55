// The one bounded reader: a size cap that holds for devices and pipes too, and binary files refused by name.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextBounded } from '../../src/input/read.js';
import { loadDocument } from '../../src/input/load.js';
import { importC2cMatrix } from '../../src/topology/index.js';
import { errorOf } from '../support/input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'locksim-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = { maxBytes: 1000, expected: 'a test file' };

describe('readTextBounded', () => {
  it('reads a regular file under the cap, and refuses one over it before reading', () => {
    const file = join(dir, 'small.txt');
    writeFileSync(file, 'héllo\n');
    expect(readTextBounded(file, limits)).toBe('héllo\n');
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(1001));
    const error = errorOf(() => readTextBounded(join(dir, 'big.txt'), limits));
    expect(error.format()).toMatch(/the file is too large \(expected a test file of at most 1000 bytes, found 1001 bytes\)/);
  });

  it.skipIf(!existsSync('/dev/zero'))('counts the bytes of a device, whose size stat gives as 0, and stops past the cap', () => {
    const error = errorOf(() => readTextBounded('/dev/zero', limits));
    expect(error.format()).toMatch(/too large .*found more than 1000 bytes/);
    // Scenario and model files, and c2c matrices, go through it.
    expect(errorOf(() => loadDocument('/dev/zero')).message).toBe('the file is too large');
    expect(errorOf(() => importC2cMatrix('/dev/zero')).message).toBe('the file is too large');
  });

  it('refuses a binary file by name and quotes none of it', () => {
    const file = join(dir, 'binary.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('name: x\n'), Buffer.from([0, 1, 2, 0x1b, 0x5b, 0x32, 0x4a]), Buffer.from('y'.repeat(500))]));
    const error = errorOf(() => loadDocument(file));
    expect(error.format()).toBe(`${file}: the file is binary, not text (expected a YAML or JSON input file, found a NUL byte at offset 8). Check that this is the right file.`);
    writeFileSync(file, Buffer.from([0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(errorOf(() => loadDocument(file)).message).toBe('the file is not UTF-8 text');
  });

  it('names a missing file, a directory and an unreadable path', () => {
    expect(errorOf(() => readTextBounded(join(dir, 'none'), limits)).detail.found).toBe('no such file');
    expect(errorOf(() => readTextBounded(dir, limits)).detail.found).toBe('a directory');
    expect(errorOf(() => readTextBounded(join(dir, 'small.txt', 'x'), limits)).detail.found).toBe('a path through a file that is not a directory');
  });
});
