/**
 * The one way locksim reads a file it did not write in this run: scenario and
 * model files, c2c matrices, a report's results.json, checkpoint journals,
 * shard partials and baselines.
 *
 * Every read is bounded. `stat` gives no size for a device, a pipe or a
 * /proc file (0 for /dev/zero), so the reader never trusts it alone: it
 * refuses a regular file whose size is over the cap before reading a byte,
 * and counts the bytes of anything else as they arrive, stopping one byte
 * past the cap. Text must be UTF-8 without NUL bytes, so a binary file is
 * refused by name, never parsed (or echoed back in an error).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.js';

export interface ReadLimits {
  /** Most bytes the file may hold. */
  readonly maxBytes: number;
  /** What the file should be, for messages ("a scenario or model file"). */
  readonly expected: string;
  /** Why the cap is where it is, for the message about a file over it. */
  readonly hint?: string;
}

const CHUNK_BYTES = 1 << 16;

/**
 * Cap of a JSON document locksim wrote (results.json, a shard's partial): one
 * JSON text, and V8 holds no string longer than 2^29 - 24 characters, so
 * nothing larger was written by JSON.stringify or can be parsed back.
 */
export const MAX_JSON_DOCUMENT_BYTES = 2 ** 29;

/** Reads `file` whole, as bytes, never more than `limits.maxBytes`; every problem is an InputError naming the file. */
export function readBytesBounded(file: string, limits: ReadLimits): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw cannotRead(file, limits, error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError('cannot read the file', { file, expected: limits.expected, found: 'a directory' });
    if (stat.isFile() && stat.size > limits.maxBytes) throw tooLarge(file, limits, `${stat.size} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Never ask for more than one byte past the cap: a device may never end.
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limits.maxBytes + 1 - total));
      let count: number;
      try {
        count = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw cannotRead(file, limits, error);
      }
      if (count === 0) break;
      total += count;
      if (total > limits.maxBytes) throw tooLarge(file, limits, `more than ${limits.maxBytes} bytes`);
      chunks.push(count === buffer.length ? buffer : buffer.subarray(0, count));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** Reads `file` whole as UTF-8 text (see readBytesBounded); a binary file is an InputError that quotes none of it. */
export function readTextBounded(file: string, limits: ReadLimits): string {
  return decodeText(readBytesBounded(file, limits), file, limits);
}

/** UTF-8 text of `bytes`, or an InputError: a NUL byte or an invalid sequence means the file is not text. */
export function decodeText(bytes: Uint8Array, file: string, limits: Pick<ReadLimits, 'expected'>): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new InputError('the file is binary, not text', { file, expected: limits.expected, found: `a NUL byte at offset ${nul}`, hint: 'Check that this is the right file.' });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError('the file is not UTF-8 text', { file, expected: `${limits.expected} in UTF-8`, found: 'bytes that are not UTF-8', hint: 'Save the file as UTF-8.' });
  }
}

function tooLarge(file: string, limits: ReadLimits, found: string): InputError {
  return new InputError('the file is too large', { file, expected: `${limits.expected} of at most ${limits.maxBytes} bytes`, found, hint: limits.hint ?? 'Check that this is the right file.' });
}

function cannotRead(file: string, limits: ReadLimits, error: unknown): InputError {
  return new InputError('cannot read the file', { file, expected: `an existing, readable file (${limits.expected})`, found: describeReadError(error) });
}

function describeReadError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a directory';
    case 'ENOTDIR':
      return 'a path through a file that is not a directory';
    case 'ELOOP':
      return 'a loop of symbolic links';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
