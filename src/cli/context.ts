/** What a command may do to the outside world; the only place argv, stdout and exit codes meet. */
export interface CommandContext {
  out(text: string): void;
  err(text: string): void;
  /** Sets the exit code without throwing (1: checks failed, 2: bad input). */
  fail(code: number): void;
  /** True when stdout is a terminal (progress bars, colour). */
  readonly isTty: boolean;
}
