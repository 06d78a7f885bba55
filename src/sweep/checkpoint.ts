/**
 * A sweep's journal: every finished (point, seed) run, one JSON line each, so
 * an interrupted sweep (Ctrl-C, a pre-empted node, a killed pod) loses only
 * the runs in flight.
 *
 *   line 1:  {"locksimCheckpoint":1,"scenarioName":...,"scenarioHash":...}
 *   then:    {"point":3,"seedIndex":1,"seed":"43","machine":"r5.metal","output":{...}}
 *
 * Each line is written with one write(2) and fsync'd before the next run is
 * recorded, so after any crash the file is a sequence of whole lines, possibly
 * followed by one torn line; loading drops the torn tail (and truncates it
 * before appending, so no line is ever glued to a fragment). Lines are in
 * completion order; the sweep re-sorts them, so a resumed sweep gives the
 * same bytes as an uninterrupted one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, ftruncateSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RunOutput } from '../analysis/summary.js';
import { InputError } from '../input/errors.js';
import { decodeText, readBytesBounded } from '../input/read.js';
import { checkStored } from '../input/stored.js';
import { describeWriteError, errnoCode, outputFailure } from '../report/output-errors.js';
import { RunOutputSchema } from '../analysis/stored-runs.js';
import { Type } from '@sinclair/typebox';
import type { ResolvedScenario } from '../scenario/types.js';
import { decodeJson, encodeJson } from '../input/json-codec.js';
import { modelChange, modelHashes, scenarioHash } from './identity.js';

export const CHECKPOINT_FILE = 'checkpoint.jsonl';

/** A journal holds every finished run of one sweep; past this it is not one (a run's line is well under 10 MB). */
const MAX_JOURNAL_BYTES = 2 ** 31;

export interface CheckpointOptions {
  /** Directory of checkpoint.jsonl (created if needed). One directory per concurrently running process. */
  readonly dir: string;
  /** Load the finished runs and skip them; otherwise any earlier journal is replaced. */
  readonly resume?: boolean;
}

/** One finished run as journalled. */
export interface CheckpointRun {
  readonly point: number;
  readonly seedIndex: number;
  readonly seed: string;
  readonly machine: string;
  readonly output: RunOutput;
}

interface CheckpointHeader {
  readonly locksimCheckpoint: 1;
  readonly scenarioName: string;
  readonly scenarioHash: string;
  /** Content hashes of the models the runs used (to say so when a model file changed). */
  readonly models?: readonly string[];
}

/** Key of one run in the journal: point index and seed position. */
export function runKey(point: number, seedIndex: number): string {
  return `${point}/${seedIndex}`;
}

export class Checkpoint {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
    /** Runs found in the journal when resuming, by runKey. */
    readonly finished: ReadonlyMap<string, CheckpointRun>,
  ) {}

  /** Opens (and with `resume`, reads) the journal of `scenario` in `options.dir`. */
  static open(scenario: ResolvedScenario, options: CheckpointOptions): Checkpoint {
    const file = join(options.dir, CHECKPOINT_FILE);
    createCheckpointDir(options.dir);
    try {
      return Checkpoint.openJournal(file, scenario, options);
    } catch (error) {
      throw outputFailure(error, `cannot write the checkpoint journal ${file}`, options.resume === true ? 'its journalled runs are kept' : 'no run was journalled') ?? error;
    }
  }

  private static openJournal(file: string, scenario: ResolvedScenario, options: CheckpointOptions): Checkpoint {
    const header: CheckpointHeader = { locksimCheckpoint: 1, scenarioName: scenario.name, scenarioHash: scenarioHash(scenario), models: modelHashes(scenario) };
    if (options.resume === true && existsSync(file)) {
      const { runs, validBytes } = readJournal(file, header, scenario);
      const fd = openSync(file, 'r+');
      // Drop a torn last line so the next append starts on a line of its own.
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
      closeSync(fd);
      return new Checkpoint(file, openSync(file, 'a'), runs);
    }
    const fd = openSync(file, 'w');
    writeSync(fd, `${JSON.stringify(header)}\n`);
    fsyncSync(fd);
    return new Checkpoint(file, fd, new Map());
  }

  /** Journals one finished run durably before returning. */
  append(run: CheckpointRun): void {
    if (this.fd === undefined) throw new Error(`checkpoint ${this.file} is closed`);
    try {
      writeSync(this.fd, `${encodeJson(run)}\n`);
      fsyncSync(this.fd);
    } catch (error) {
      // A torn last line is dropped on resume, so everything before it stays usable.
      throw outputFailure(error, `cannot journal a finished run in ${this.file}`, 'the runs journalled before it are kept; free space and continue with --resume') ?? error;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Creates the checkpoint directory one level at a time: Node's recursive
 * mkdir reports ENOENT where a level cannot be made (a read-only mount), and
 * the user needs the real reason.
 */
function createCheckpointDir(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') continue;
      const failure = outputFailure(error, `cannot create the checkpoint directory ${dir}`, 'nothing was run');
      if (failure?.kind === 'device') throw failure;
      throw new InputError(`cannot create the checkpoint directory ${dir}`, {
        file: '--checkpoint',
        expected: 'a directory that can be created and written',
        found: describeWriteError(error) ?? errnoCode(error) ?? String(error),
        hint: 'Choose a writable directory with --checkpoint.',
      });
    }
  }
}

function readJournal(file: string, expected: CheckpointHeader, scenario: ResolvedScenario): { runs: Map<string, CheckpointRun>; validBytes: number } {
  const bytes = readBytesBounded(file, { maxBytes: MAX_JOURNAL_BYTES, expected: 'a checkpoint journal written by a locksim sweep' });
  const complete = bytes.lastIndexOf(0x0a) + 1;
  const lines = journalLines(bytes.subarray(0, complete), file);
  const runs = new Map<string, CheckpointRun>();
  if (lines.length === 0) {
    // Not even the header survived: nothing was journalled, start over.
    rewriteHeader(file, expected);
    return { runs, validBytes: Buffer.byteLength(`${JSON.stringify(expected)}\n`) };
  }
  const parsedHeader = parseLine(file, 1, lines[0]);
  const header = (typeof parsedHeader === 'object' && parsedHeader !== null ? parsedHeader : {}) as Partial<CheckpointHeader>;
  if (header.locksimCheckpoint !== 1) {
    throw new InputError(`${file} is not a locksim checkpoint`, { file, line: 1, expected: 'a journal written by a locksim sweep', hint: 'Choose another checkpoint directory, or remove the file.' });
  }
  if (header.scenarioHash !== expected.scenarioHash) {
    const models = modelChange(expected.models ?? [], header.models);
    throw new InputError(models === undefined ? 'the checkpoint belongs to another scenario or other settings' : `the checkpoint was written with other models: ${models}`, {
      file,
      line: 1,
      expected: `scenario "${expected.scenarioName}" with hash ${expected.scenarioHash.slice(0, 12)}`,
      found: `"${String(header.scenarioName)}" with hash ${String(header.scenarioHash).slice(0, 12)}`,
      hint: 'Resume with the same scenario, models, --set and --seed options, or start without resuming (the journal is then replaced).',
    });
  }
  for (let i = 1; i < lines.length; i++) {
    const run = checkLine(file, i + 1, parseLine(file, i + 1, lines[i]));
    const point = scenario.points.find((p) => p.index === run.point);
    if (point === undefined || scenario.seeds[run.seedIndex] !== run.seed || run.output.kind !== point.spec.kind) {
      throw new InputError('a checkpoint line does not match the scenario', { file, line: i + 1, expected: 'a point index and seed of this scenario', found: `point ${run.point}, seed ${JSON.stringify(run.seed)}`, hint: 'Remove the checkpoint and run again.' });
    }
    runs.set(runKey(run.point, run.seedIndex), run);
  }
  return { runs, validBytes: complete };
}

/** The whole lines of a journal, each decoded on its own: the file as one string could pass V8's longest string. */
function journalLines(bytes: Buffer, file: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    lines.push(decodeText(bytes.subarray(start, end), file, { expected: 'a checkpoint journal written by a locksim sweep' }));
    start = end + 1;
  }
  return lines;
}

const CheckpointRunSchema = Type.Object({
  point: Type.Integer({ minimum: 0 }),
  seedIndex: Type.Integer({ minimum: 0 }),
  seed: Type.String(),
  machine: Type.String(),
  output: RunOutputSchema,
});

/** A journal line with the shape of a finished run, every level of it; otherwise an InputError naming the line and field. */
function checkLine(file: string, line: number, value: unknown): CheckpointRun {
  try {
    return checkStored(CheckpointRunSchema, value, file, { expected: 'a journal line of a locksim sweep', hint: 'The journal was edited or damaged; remove it and run again' }) as CheckpointRun;
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { ...error.detail, line });
    throw error;
  }
}

function parseLine(file: string, line: number, text: string): unknown {
  try {
    return decodeJson(text);
  } catch (error) {
    throw new InputError('a checkpoint line is not valid JSON', { file, line, found: error instanceof Error ? error.message : String(error), hint: 'The journal was edited or damaged; remove it and run again.' });
  }
}

function rewriteHeader(file: string, header: CheckpointHeader): void {
  const fd = openSync(file, 'w');
  writeSync(fd, `${JSON.stringify(header)}\n`);
  fsyncSync(fd);
  closeSync(fd);
}
