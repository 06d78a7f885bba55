/**
 * A file locksim could not write, told as one line.
 *
 * Where to write is the user's choice, so a place that cannot be written
 * (permission denied, a read-only file system) is bad input (`place`: the CLI
 * exits 2). A full disk, a quota or an I/O error is the machine's state
 * (`device`: exit 74, EX_IOERR in sysexits.h). Either way the line says what
 * happened and what became of the files already there; never a stack trace.
 */

export class OutputError extends Error {
  constructor(
    message: string,
    readonly kind: 'place' | 'device',
    readonly code: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/** The place cannot be written, whatever is on it. */
const PLACE_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'a read-only file system',
};

/** The machine's state. */
const DEVICE_CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file is larger than the file system allows',
  EIO: 'an input/output error',
};

/** The errno code of a Node file-system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** What an errno code means for a write, in words ("no space left on the device"), when it is one the user can act on. */
export function describeWriteError(error: unknown): string | undefined {
  const code = errnoCode(error);
  return code === undefined ? undefined : (PLACE_CODES[code] ?? DEVICE_CODES[code]);
}

/**
 * `error` as an OutputError saying `what` failed and `after` (what became of
 * the files already there), or undefined when it is not a write failure the
 * user can act on (then it is a bug, and stays an internal error).
 */
export function outputFailure(error: unknown, what: string, after: string): OutputError | undefined {
  if (error instanceof OutputError) return error;
  const code = errnoCode(error);
  if (code === undefined) return undefined;
  const place = PLACE_CODES[code];
  if (place !== undefined) return new OutputError(`${what}: ${place}; ${after}`, 'place', code);
  const device = DEVICE_CODES[code];
  if (device !== undefined) return new OutputError(`${what}: ${device}; ${after}`, 'device', code);
  return undefined;
}
