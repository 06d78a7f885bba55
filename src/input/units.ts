/**
 * Quantities written with units, parsed in one place.
 *
 * Model and scenario files write times as "46.8 ns" or "30 s" and sizes as
 * "4 MiB", never as bare numbers whose unit a reader has to guess. Each parser
 * checks the dimension: a size or a length where a time is expected is an
 * error that says so, not a silent reinterpretation.
 */
import { InputError, type InputErrorDetail } from './errors.js';
import { didYouMean } from './did-you-mean.js';

type Dimension = 'duration' | 'size' | 'length' | 'frequency' | 'ratio';

/** Nanoseconds per unit. `m` is deliberately not here: it reads as metres; minutes are `min`. */
const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  nanosecond: 1,
  nanoseconds: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  microsecond: 1e3,
  microseconds: 1e3,
  ms: 1e6,
  millisecond: 1e6,
  milliseconds: 1e6,
  s: 1e9,
  sec: 1e9,
  second: 1e9,
  seconds: 1e9,
  min: 60e9,
  minute: 60e9,
  minutes: 60e9,
  h: 3600e9,
  hour: 3600e9,
  hours: 3600e9,
};

/** Bytes per unit. */
const SIZE_UNITS: Record<string, number> = {
  B: 1,
  byte: 1,
  bytes: 1,
  kB: 1e3,
  KB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3,
  TB: 1e12,
  TiB: 1024 ** 4,
};

/** Units of other dimensions, recognised only to name the mistake. */
const OTHER_UNITS: Record<string, Dimension> = {
  m: 'length',
  cm: 'length',
  mm: 'length',
  km: 'length',
  nm: 'length',
  pc: 'length',
  parsec: 'length',
  parsecs: 'length',
  Hz: 'frequency',
  kHz: 'frequency',
  MHz: 'frequency',
  GHz: 'frequency',
  '%': 'ratio',
};

const QUANTITY = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([^\s\d].*?)?\s*$/;

export const DURATION_EXPECTED = 'a duration such as "30 s" or "46.8 ns"';
export const SIZE_EXPECTED = 'a size such as "4 MiB" or "64 B"';

/** Anchored regular expression source that a duration string must match (for JSON Schema `pattern`). */
export const DURATION_PATTERN = `^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*(${Object.keys(DURATION_UNITS).join('|')})\\s*$`;
export const SIZE_PATTERN = `^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*(${Object.keys(SIZE_UNITS).join('|')})\\s*$`;

export interface QuantityOptions {
  /** Accept values below zero (an offset, a correction). Default false. */
  allowNegative?: boolean;
  /** The unit a bare number most likely meant here, for the hint ("30" for a deadline: "30 s"). Default ns or B. */
  bareNumberUnit?: string;
}

/** The unit of a quantity written with one ("30 s" -> "s"), else undefined. */
export function unitOfQuantity(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text);
  return match?.[2]?.trim() || undefined;
}

function dimensionOf(unit: string): Dimension | undefined {
  if (unit in DURATION_UNITS) return 'duration';
  if (unit in SIZE_UNITS) return 'size';
  return OTHER_UNITS[unit];
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

function parseQuantity(
  value: unknown,
  dimension: Dimension,
  units: Record<string, number>,
  expected: string,
  at: InputErrorDetail,
  options: QuantityOptions,
): number {
  const fail = (message: string, hint?: string): never => {
    throw new InputError(message, { ...at, expected, found: describe(value), hint: hint ?? at.hint });
  };
  const bareUnit = options.bareNumberUnit !== undefined && options.bareNumberUnit in units ? options.bareNumberUnit : dimension === 'duration' ? 'ns' : 'B';
  if (typeof value === 'number') {
    fail(`a bare number has no unit`, `Write the unit, e.g. "${value} ${bareUnit}".`);
  }
  if (typeof value !== 'string') fail(`expected a ${dimension} written with a unit`);
  const text = value as string;
  const match = QUANTITY.exec(text);
  if (match === null) fail(`cannot read ${describe(text)} as a ${dimension}`);
  const [, numberText, unitText] = match as RegExpExecArray;
  if (unitText === undefined) {
    fail(`a bare number has no unit`, `Write the unit, e.g. "${numberText} ${bareUnit}".`);
  }
  const unit = unitText.trim();
  const factor = units[unit];
  if (factor === undefined) {
    const other = dimensionOf(unit);
    if (other !== undefined && other !== dimension) fail(`"${unit}" is a unit of ${other}, not of ${dimension}`);
    fail(`unknown unit "${unit}"`, didYouMean(unit, Object.keys(units)));
  }
  const amount = Number(numberText);
  if (!Number.isFinite(amount)) fail(`${describe(text)} is not a finite ${dimension}`);
  if (amount < 0 && options.allowNegative !== true) {
    throw new InputError(`a ${dimension} cannot be negative here`, {
      ...at,
      expected: `a non-negative ${dimension === 'duration' ? 'duration' : dimension}`,
      found: describe(value),
    });
  }
  const result = amount * factor;
  if (!(Math.abs(result) <= MAX_QUANTITY)) {
    throw new InputError(`${describe(text)} is too large`, {
      ...at,
      expected: dimension === 'duration' ? `at most ${MAX_QUANTITY} ns (about 104 days)` : `at most ${MAX_QUANTITY} bytes (8 PiB)`,
      found: describe(value),
      hint: dimension === 'duration' ? 'Past 2^53 ns a time in nanoseconds is no longer exact; no run lasts that long.' : at.hint,
    });
  }
  return result;
}

/** Largest quantity in base units (ns, bytes): 2^53, the last integer a double holds exactly (104 days in ns). */
export const MAX_QUANTITY = Number.MAX_SAFE_INTEGER + 1;

/** `"46.8 ns"` → 46.8, `"0.5us"` → 500, `"1.5 min"` → 9e10. Bare numbers and other dimensions are InputErrors. */
export function parseDurationNs(value: unknown, at: InputErrorDetail = {}, options: QuantityOptions = {}): number {
  return parseQuantity(value, 'duration', DURATION_UNITS, DURATION_EXPECTED, at, options);
}

/** `"4 MiB"` → 4194304. */
export function parseSizeBytes(value: unknown, at: InputErrorDetail = {}, options: QuantityOptions = {}): number {
  return parseQuantity(value, 'size', SIZE_UNITS, SIZE_EXPECTED, at, options);
}

/** True when `text` reads as a duration (used by schema glue to pick the precise message). */
export function isDuration(text: unknown): boolean {
  try {
    parseDurationNs(text, {}, { allowNegative: true });
    return true;
  } catch {
    return false;
  }
}

/** Short human form of a duration in ns: "7.6 ns", "1.25 us", "30 s". */
export function formatDurationNs(ns: number): string {
  const abs = Math.abs(ns);
  const pick = (divisor: number, unit: string): string => `${Number((ns / divisor).toPrecision(4))} ${unit}`;
  if (abs < 1e3) return pick(1, 'ns');
  if (abs < 1e6) return pick(1e3, 'us');
  if (abs < 1e9) return pick(1e6, 'ms');
  return pick(1e9, 's');
}
