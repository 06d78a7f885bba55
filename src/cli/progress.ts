/**
 * A progress bar for long runs (sweeps, many replications), drawn with
 * cli-progress: done/total, percentage and ETA.
 *
 * It appears only when it helps: the caller passes `enabled` (a terminal, not
 * --quiet), and the bar itself waits `delayMs` (1 s) of wall time before
 * drawing, so a run that finishes quickly prints nothing at all instead of a
 * flicker, and piped or CI output is never polluted. It writes to stderr by
 * default so stdout stays clean for results. Wall-clock time is allowed here:
 * it only decides whether to show a bar, never what the simulation computes.
 */
import { SingleBar } from 'cli-progress';
import { createExecutor, type Executor } from '../sweep/executor.js';

export interface ProgressOptions {
  /** Units of work in the whole job (runs, replications, sweep points). */
  total: number;
  /** Shown before the bar, e.g. "simulating". */
  label: string;
  /** False: no timer, no output, tick/stop do nothing. */
  enabled: boolean;
  /** Where to draw (default process.stderr; drawn only if it is a TTY). */
  stream?: NodeJS.WritableStream;
  /** Wall time before the bar first appears, in ms (default 1000). */
  delayMs?: number;
}

export interface Progress {
  /** Records `n` (default 1) more units done. */
  tick(n?: number): void;
  /** Removes the bar (if shown) and stops its timers; safe to call twice. */
  stop(): void;
}

const DISABLED: Progress = { tick() {}, stop() {} };

export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled || options.total <= 0) return DISABLED;
  const total = options.total;
  let done = 0;
  let stopped = false;
  let bar: SingleBar | undefined;

  const showBar = (): void => {
    // Work that already finished needs no bar; the caller's own summary follows.
    if (stopped || done >= total) return;
    bar = new SingleBar({
      stream: options.stream ?? process.stderr,
      format: '{label} [{bar}] {value}/{total} ({percentage}%) | ETA {eta_formatted}',
      barsize: 30,
      clearOnComplete: true,
      // No hideCursor/gracefulExit: gracefulExit installs a SIGINT listener, which stops Node from exiting on
      // Ctrl-C, and a hidden cursor would stay hidden without it. The bar is a visitor; it must not change exit behaviour.
    });
    bar.start(total, done, { label: options.label });
  };
  const delayTimer = setTimeout(showBar, options.delayMs ?? 1000);
  // A pending bar must not keep a finished process alive.
  delayTimer.unref();

  return {
    tick(n = 1) {
      if (stopped) return;
      done = Math.min(total, done + n);
      bar?.update(done);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(delayTimer);
      bar?.stop();
      bar = undefined;
    },
  };
}

/** The executor a study's runs share, with one progress bar over all of them (its total known at the first run). */
export interface StudyExecution {
  readonly executor: Executor;
  readonly onProgress: (done: number, total: number) => void;
  /** Stops the bar and the executor's threads. */
  close(): Promise<void>;
}

export function studyExecution(jobs: number | undefined, showProgress: boolean): StudyExecution {
  const executor = createExecutor(jobs);
  let progress: Progress | undefined;
  return {
    executor,
    onProgress: (_done, total) => {
      progress ??= createProgress({ total, label: 'simulating', enabled: showProgress });
      progress.tick();
    },
    async close() {
      progress?.stop();
      await executor.close();
    },
  };
}

/** A command-line word as a shell reads it back: quoted when the shell would split or expand it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
