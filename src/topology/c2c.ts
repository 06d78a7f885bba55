/**
 * Import of measured core-to-core latency matrices in the CSV layout written by
 * nviennot/core-to-core-latency (`--csv`): no header, one row per logical CPU in
 * Linux numbering, row i holding the one-way latency (ns) to CPUs 0..i-1 and
 * empty cells elsewhere (a lower triangle). Full matrices are accepted too; a
 * pair given both ways is averaged. Empty and `NaN` cells are missing values,
 * kept as NaN so the topology can fall back to its class model for that pair.
 */
import { InputError } from '../input/errors.js';
import { MAX_CPUS } from '../input/cpulist.js';
import { readTextBounded } from '../input/read.js';
import type { C2cMatrix } from './schema.js';

/** Larger than any published matrix (a 2×128-core Turin with SMT is ~2.5 MB). */
const MAX_C2C_BYTES = 16 * 1024 * 1024;

export interface C2cImportOptions {
  /** Rows (CPUs) the matrix must have; checked on the text, before the rows-squared matrix is built. */
  readonly rows?: number;
  /** Reports a wrong row count (the caller knows where the expectation was written); must throw. */
  readonly onWrongRows?: (rows: number) => never;
}

export function importC2cMatrix(file: string, options: C2cImportOptions = {}): C2cMatrix {
  const text = readTextBounded(file, { maxBytes: MAX_C2C_BYTES, expected: 'a core-to-core latency CSV', hint: 'Larger than any published matrix; check that this is the right file.' });
  return parseC2cCsv(text, file, options);
}

export function parseC2cCsv(text: string, file: string, options: C2cImportOptions = {}): C2cMatrix {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const n = lines.length;
  if (n === 0) throw new InputError('the c2c matrix is empty', { file, expected: 'one row per logical CPU', found: 'no rows' });
  if (options.rows !== undefined && n !== options.rows) {
    options.onWrongRows?.(n);
    throw new InputError('the c2c matrix does not have one row per CPU', { file, expected: `${options.rows} rows`, found: `${n} rows` });
  }
  if (n > MAX_CPUS) throw new InputError('the c2c matrix has more rows than any machine locksim models has CPUs', { file, expected: `at most ${MAX_CPUS} rows`, found: `${n} rows` });
  const cells: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  lines.forEach((line, row) => {
    const fields = line.split(',');
    if (fields.length > n) {
      throw new InputError('row has more cells than the matrix has rows', {
        file,
        line: row + 1,
        expected: `at most ${n} cells (a square matrix of ${n} CPUs)`,
        found: `${fields.length} cells`,
      });
    }
    let column = 1;
    fields.forEach((field, col) => {
      const cell = field.trim();
      if (cell !== '' && !/^nan$/i.test(cell)) {
        const value = Number(cell);
        if (!Number.isFinite(value) || value < 0) {
          throw new InputError(`latency between CPU ${row} and CPU ${col} is not a non-negative number`, {
            file,
            line: row + 1,
            column,
            expected: 'a latency in ns >= 0, or an empty cell',
            found: JSON.stringify(cell),
          });
        }
        if (row !== col) cells[row][col] = value;
      }
      column += field.length + 1;
    });
  });
  const latencyNs = cells.map((rowValues, i) =>
    rowValues.map((_, j) => {
      if (i === j) return 0;
      const a = cells[i][j];
      const b = cells[j][i];
      if (Number.isNaN(a)) return b;
      if (Number.isNaN(b)) return a;
      return (a + b) / 2;
    }),
  );
  return { cpus: n, latencyNs };
}
