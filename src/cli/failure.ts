/**
 * What the CLI says, and with which exit code, when a command fails: bad
 * input is one line and exit 2, a run limit one line and exit 3, a file that
 * could not be written one line and exit 2 (the place: permission, read-only)
 * or 74 (the machine: a full disk, an I/O error), anything else an internal
 * error with its stack, exit 70. Kept apart from main.ts so tests can map
 * errors exactly as the CLI does.
 */
import { isInputError } from '../input/errors.js';
import { SimulationLimitError } from '../engine/index.js';
import { HEAP_SHARE, heapLimitBytes, runHeapCap } from '../limits/heap.js';
import { EXIT } from './exit-codes.js';
import { OutputError, outputFailure } from '../report/output-errors.js';

export interface Failure {
  readonly code: number;
  /** One line, without the `locksim: ` prefix. */
  readonly message: string;
}

export function describeFailure(error: unknown): Failure {
  if (isInputError(error)) return { code: EXIT.usage, message: error.format() };
  const output = error instanceof OutputError ? error : writeFailure(error);
  if (output !== undefined) return { code: output.kind === 'place' ? EXIT.usage : EXIT.ioError, message: output.message };
  if (error instanceof SimulationLimitError) {
    const field = { maxEvents: 'maxEvents', maxTimeNs: 'maxSimulatedTime', maxHeapBytes: 'maxMemory' }[error.limit];
    let message = `${error.message}. Raise it with \`limits: {${field}: ...}\` in the scenario or --set limits.${field}=VALUE, or run a smaller scenario.`;
    // In this thread the cap was V8's, not the scenario's: raising maxMemory alone would not help.
    if (error.limit === 'maxHeapBytes' && error.value === runHeapCap(Number.POSITIVE_INFINITY)) {
      message += ` A run in the CLI's own thread (--jobs 1) holds at most ${HEAP_SHARE * 100}% of its V8 heap limit (${Math.round(heapLimitBytes() / 2 ** 20)} MiB): raise that with NODE_OPTIONS=--max-old-space-size=MiB, or run with --jobs 2 or more, whose threads are sized from maxMemory.`;
    }
    return { code: EXIT.limit, message };
  }
  return { code: EXIT.internal, message: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
}

/** A file-system error from a writer that does not say more itself (plan, studies, JUnit): which file, and what happened. */
function writeFailure(error: unknown): OutputError | undefined {
  const path = typeof error === 'object' && error !== null && 'path' in error && typeof error.path === 'string' ? error.path : undefined;
  return path === undefined ? undefined : outputFailure(error, `cannot write ${path}`, 'its previous version, if any, is intact');
}
