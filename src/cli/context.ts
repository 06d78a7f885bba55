/** What a command may do to the outside world; the only place argv, stdout and exit codes meet. */
export interface CommandContext {
  out(text: string): void;
  err(text: string): void;
  /** Sets the exit code without throwing (1: checks failed, 2: bad input). */
  fail(code: number): void;
  /** True when stderr is a terminal: progress bars are drawn there, whatever stdout is (a pipe, a file, --json). */
  readonly isTty: boolean;
}
