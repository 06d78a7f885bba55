/**
 * The uncertain parameters as a space `calibrate` searches and
 * `uncertainty` samples: each one mapped to [0, 1] over the range its file
 * states (geometric when the range spans a decade or more, as a range's
 * `mid`; whole numbers stay whole), and written back as the `--set` entry
 * a scenario takes. Kernel and node parameters are values; a machine
 * parameter is a fraction of each family's own range (`{at: u}`), so one
 * sample moves every family to the same place in its range.
 *
 * Latin hypercube samples come from a named seeded stream, so a study is
 * the same whatever runs it.
 */
import { RandomStreams } from '../engine/index.js';
import type { ModelParameter } from '../models/types.js';
import { MACHINE_PARAMETER_NAMES } from '../topology/index.js';
import { formatParameterValue, MACHINE_PREFIX } from './sensitivity.js';

export interface SpaceParameter {
  /** `ml_section`, or `machine.smtSlowdown`. */
  readonly name: string;
  readonly machine: boolean;
  readonly range: readonly [number, number];
  readonly isDuration: boolean;
  /** The value at `u` in [0, 1]. */
  fromUnit(u: number): number;
  /** Where `value` sits in the range, in [0, 1] (clamped). */
  toUnit(value: number): number;
  /** The `--set` entry for `value`. */
  set(value: number): string;
  /** The value as a scenario or a table writes it. */
  format(value: number): string;
  /** The value in the models as they are (a machine parameter: the files' own values, shown as "files"). */
  readonly defaultValue: number;
}

function isLog(range: readonly [number, number]): boolean {
  return range[0] > 0 && range[1] / range[0] >= 10;
}

/** A kernel or node parameter over its stated range. */
export function modelSpaceParameter(parameter: Pick<ModelParameter, 'name' | 'value' | 'range' | 'isDuration'>): SpaceParameter {
  const [low, high] = parameter.range;
  const log = isLog(parameter.range);
  const whole = !parameter.isDuration && Number.isInteger(low) && Number.isInteger(high) && Number.isInteger(parameter.value);
  const fromUnit = (u: number): number => {
    const clamped = Math.min(1, Math.max(0, u));
    const value = log ? low * (high / low) ** clamped : low + clamped * (high - low);
    if (whole) return Math.round(value);
    // Four significant digits (finer than any step the searches take): short values that read back exactly.
    return Number(value.toPrecision(4));
  };
  const toUnit = (value: number): number => {
    if (high === low) return 0.5;
    const u = log ? Math.log(value / low) / Math.log(high / low) : (value - low) / (high - low);
    return Math.min(1, Math.max(0, u));
  };
  const format = (value: number): string => formatParameterValue(value, parameter.isDuration);
  return { name: parameter.name, machine: false, range: parameter.range, isDuration: parameter.isDuration, fromUnit, toUnit, set: (value) => `parameters.${parameter.name}=${parameter.isDuration ? JSON.stringify(format(value)) : String(value)}`, format, defaultValue: parameter.value };
}

/** A machine file's uncertain value, as a fraction of each family's own range. */
export function machineSpaceParameter(name: string): SpaceParameter {
  const round = (u: number): number => Math.round(Math.min(1, Math.max(0, u)) * 1000) / 1000;
  return {
    name: `${MACHINE_PREFIX}${name}`,
    machine: true,
    range: [0, 1],
    isDuration: false,
    fromUnit: round,
    toUnit: round,
    set: (value) => `machineParameters.${name}={"at":${round(value)}}`,
    format: (value) => `at ${round(value)} of each range`,
    defaultValue: Number.NaN,
  };
}

/** Every machine parameter as a space parameter. */
export function machineSpace(): SpaceParameter[] {
  return MACHINE_PARAMETER_NAMES.map(machineSpaceParameter);
}

/** The model parameters whose range is not a single value: the uncertain ones. */
export function uncertainModelParameters(parameters: readonly ModelParameter[]): ModelParameter[] {
  return parameters.filter((p) => p.range[1] > p.range[0]);
}

/**
 * `n` points of a Latin hypercube in [0, 1]^d: each dimension's n strata
 * hit once, in an order and at offsets drawn from the named stream.
 */
export function latinHypercube(n: number, d: number, seed: string): number[][] {
  const stream = new RandomStreams(seed).stream('latin-hypercube');
  const points = Array.from({ length: n }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = stream.integer(i + 1);
      [order[i], order[k]] = [order[k], order[i]];
    }
    for (let i = 0; i < n; i++) points[i][j] = (order[i] + stream.next()) / n;
  }
  return points;
}
