/**
 * The one error type for bad input. Everything a user wrote (scenario and model
 * files, command-line flags) that cannot be used is reported through it, with
 * where it came from and what was expected, and the CLI turns it into one line
 * and exit code 2, never a stack trace.
 */
export interface InputErrorDetail {
  /** File the value came from, or a pseudo-source such as `--set` or `argv`. */
  file?: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** 1-based column in that file, when known. */
  column?: number;
  /** Field path such as `machine.variant` or `topology.sockets[1].cores`. */
  path?: string;
  /** What a valid value looks like. */
  expected?: string;
  /** What was found instead. */
  found?: string;
  /** One sentence on how to fix it. */
  hint?: string;
}

export class InputError extends Error {
  readonly detail: InputErrorDetail;

  constructor(message: string, detail: InputErrorDetail = {}) {
    super(message);
    this.name = 'InputError';
    this.detail = detail;
  }

  /**
   * `file:line:column: path: message (expected X, found Y). hint`, one line.
   * Every part is quoted through `excerpt`: what came from a file is shown
   * in part, never whole, and cannot steer the terminal.
   */
  format(): string {
    const d = this.detail;
    let where = d.file ?? '';
    if (d.file !== undefined && d.line !== undefined) where += `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
    const parts: string[] = [];
    if (where !== '') parts.push(`${excerpt(where, LONG_PART)}:`);
    if (d.path !== undefined && d.path !== '') parts.push(`${excerpt(d.path, LONG_PART)}:`);
    parts.push(excerpt(this.message, LONG_PART));
    let text = parts.join(' ');
    if (d.expected !== undefined || d.found !== undefined) {
      const bits: string[] = [];
      if (d.expected !== undefined) bits.push(`expected ${excerpt(d.expected, LONG_PART)}`);
      if (d.found !== undefined) bits.push(`found ${excerpt(d.found, FOUND_CHARS)}`);
      text += ` (${bits.join(', ')})`;
    }
    if (d.hint !== undefined) text += `. ${excerpt(d.hint, LONG_PART)}`;
    return text;
  }
}

/** Longest "found" text a message quotes: a value from a file is shown, never the file. */
const FOUND_CHARS = 200;
/** Longest message, expectation, path or hint (field lists and model lists stay whole below it). */
const LONG_PART = 2000;

/**
 * `text` as a message may quote it: at most `maxChars` characters, with
 * control characters (newlines included) and bidirectional overrides escaped,
 * so a value read from a file can neither flood the terminal nor break, reorder
 * or recolour the line.
 */
export function excerpt(text: string, maxChars: number = FOUND_CHARS): string {
  let shown = text;
  if (shown.length > maxChars) {
    shown = shown.slice(0, maxChars - 3);
    // Never end on half of a surrogate pair.
    if (/[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
    shown += '...';
  }
  return shown.replace(/\p{Cc}|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
