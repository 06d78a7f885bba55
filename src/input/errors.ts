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

  /** `file:line:column: path: message (expected X, found Y). hint` */
  format(): string {
    const d = this.detail;
    let where = d.file ?? '';
    if (d.file !== undefined && d.line !== undefined) where += `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
    const parts: string[] = [];
    if (where !== '') parts.push(`${where}:`);
    if (d.path !== undefined && d.path !== '') parts.push(`${d.path}:`);
    parts.push(this.message);
    let text = parts.join(' ');
    if (d.expected !== undefined || d.found !== undefined) {
      const bits: string[] = [];
      if (d.expected !== undefined) bits.push(`expected ${d.expected}`);
      if (d.found !== undefined) bits.push(`found ${d.found}`);
      text += ` (${bits.join(', ')})`;
    }
    if (d.hint !== undefined) text += `. ${d.hint}`;
    return text;
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
