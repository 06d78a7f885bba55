/**
 * `locksim calibrate`: fits kernel and node parameters, within the ranges
 * their model files state, to measured launch storms (a measurement file,
 * scenario/measurements.ts).
 *
 * The objective, minimised: for every measured value,
 *
 *   ((model mean - measured) / sigma)^2,   sigma^2 = measured sd^2 + the model's own standard error^2
 *
 summed over points and metrics, within the stated ranges and with no
 * other prior: a range says what is plausible and weighs every part of it
 * alike, as the uncertainty study reads it. (A prior centred on each
 * range's middle, costing 1 at a range end, was tried on R3's ramp: the
 * five section lengths at the top of their ranges cost 5 there against the
 * data's 3, and it "fitted" R3 by moving every value to mid-range, where no
 * storm fails at all: a prior outweighing the only data.) A parameter the
 * data cannot see stays where its model file puts it, since the search
 * moves only on a strict improvement. Every evaluation runs every point with
 * the same seeds (common random numbers), so the objective is a
 * deterministic function of the parameters and the fit is reproducible.
 *
 * The optimiser is derivative-free and deterministic, suited to an
 * objective that steps (failure rates are counts):
 *  1. screening: the current values and a Latin hypercube of max(2d, 4)
 *     points (a seeded stream), run as one batch;
 *  2. compass search (Kolda, Lewis and Torczon 2003) from the best: poll
 *     each parameter +- step on the [0, 1] scale (clamped to the range),
 *     move to the best poll point if it improves, else halve the step; from
 *     0.25 until the step is below 1/32 or the budget of evaluations is
 *     spent. Each poll is one batch (the runs share the executor's threads).
 *
 * Identifiability, at the optimum: central differences (h = 0.1, one-sided
 * at a bound) give the Jacobian J of the normalised residuals; against a
 * reference spread of half the range (information 4 per parameter),
 * C = (J'J + 4I)^-1 is the covariance on the [0, 1] scale. A parameter the
 * data identify has an sd under 0.25 (the data at least halve that 0.5); one
 * with more is reported as not identifiable, and a correlation beyond 0.9
 * names the parameter it trades off with.
 */
import { stringify as toYaml } from 'yaml';
import { InputError } from '../input/errors.js';
import type { ModelCatalog } from '../input/catalog.js';
import { didYouMean } from '../input/did-you-mean.js';
import { loadScenarioText, newCatalog, startScenarios } from '../pipeline.js';
import type { ResolvedScenario } from '../scenario/types.js';
import type { Measurements, MeasuredName } from '../scenario/measurements.js';
import type { ParameterFile } from '../scenario/parameter-file.js';
import { modelParameters } from '../models/load.js';
import type { ModelParameter } from '../models/types.js';
import type { Executor } from '../sweep/executor.js';
import { LAUNCH_DEFAULTS } from '../workloads/launch/index.js';
import { latinHypercube, modelSpaceParameter, type SpaceParameter } from './parameter-space.js';

export const CALIBRATION_DEFAULTS = { seeds: 2, budget: 60, initialStep: 0.25, minStep: 1 / 32, jacobianStep: 0.1, lhsSeed: 'calibrate' } as const;

/** Posterior sd on the [0, 1] scale above which the data do not identify a parameter. */
export const IDENTIFIED_SD = 0.25;
/** Correlation beyond which two parameters are reported as trading off. */
export const TRADE_OFF_CORRELATION = 0.9;

export interface CalibrationOptions {
  readonly measurements: Measurements;
  /** Parameters to fit (default: the file's list, else every calibrated parameter of the models). */
  readonly parameters?: readonly string[];
  readonly seeds?: number;
  readonly budget?: number;
  /** Overrides applied to every point (`--set`), after the file's shared fields. */
  readonly set?: readonly string[];
  readonly catalog?: ModelCatalog;
  readonly executor?: Executor;
  /** After every evaluation (a parameter set run on every point). */
  readonly onEvaluation?: (evaluation: Evaluation, done: number, budget: number) => void;
}

/** One parameter set, run on every point. */
export interface Evaluation {
  readonly index: number;
  readonly phase: 'start' | 'screening' | 'poll' | 'jacobian';
  /** Parameter values by name. */
  readonly values: Readonly<Record<string, number>>;
  readonly unit: readonly number[];
  readonly chiSquare: number;
  /** Per point and measured metric: the model's mean and standard error. */
  readonly model: readonly { readonly mean: number; readonly se: number }[][];
}

export interface FittedParameter {
  readonly name: string;
  readonly file: string;
  readonly isDuration: boolean;
  readonly range: readonly [number, number];
  readonly initial: number;
  readonly fitted: number;
  readonly fittedText: string;
  /** Posterior sd on the [0, 1] scale, and the values one sd either side. */
  readonly unitSd: number;
  readonly low: number;
  readonly high: number;
  readonly identified: boolean;
  /** Why not identified, or whom it trades off with. */
  readonly note: string;
}

export interface Residual {
  readonly point: string;
  readonly measured: MeasuredName;
  readonly metric: string;
  readonly value: number;
  readonly sd: number;
  readonly model: number;
  readonly modelSe: number;
  /** (model - value) / sigma. */
  readonly residual: number;
  readonly initialModel: number;
}

export interface CalibrationResult {
  readonly name: string;
  readonly file: string;
  readonly seeds: number;
  readonly budget: number;
  readonly parameters: readonly FittedParameter[];
  readonly residuals: readonly Residual[];
  readonly chiSquare: number;
  readonly initialChiSquare: number;
  /** Measured values (degrees of freedom before fitting). */
  readonly measuredValues: number;
  readonly evaluations: readonly Evaluation[];
  readonly finalStep: number;
  readonly optimiser: string;
}

export const OPTIMISER_TEXT =
  'objective: sum of ((model - measured) / sigma)^2, sigma^2 = measured sd^2 + model standard error^2, within each parameter\'s stated range (no other prior); common random numbers (the same seeds every evaluation); screening (the current values and a Latin hypercube of max(2d, 4) points), then compass search from 0.25 to 1/32 of each range; identifiability from the Jacobian of the residuals (central differences, h = 0.1) against a reference spread of half the range: an sd under 0.25 of the range = identified';

/** The parameters to fit, checked against the models: named ones, else every calibrated one. */
export function calibrationParameters(catalog: ModelCatalog, names: { kernel: string; node: string }, only?: readonly string[]): ModelParameter[] {
  const all = [...modelParameters(catalog, names).values()];
  const wanted = (only ?? []).flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (wanted.length === 0) return all.filter((p) => p.calibrated && p.range[1] > p.range[0]);
  return wanted.map((name) => {
    const parameter = all.find((p) => p.name === name);
    if (parameter === undefined) {
      throw new InputError(`unknown model parameter \`${name}\``, { file: '--parameters', expected: `a parameter of ${names.kernel} or ${names.node}`, found: `\`${name}\``, hint: didYouMean(name, all.map((p) => p.name)) });
    }
    if (!(parameter.range[1] > parameter.range[0])) {
      throw new InputError(`\`${name}\` has no range to fit within`, { file: '--parameters', expected: 'a parameter whose model file states a range [low, high] with low < high', found: `[${parameter.range.join(', ')}]` });
    }
    return parameter;
  });
}

/** The scenario document of one measured point under parameter values. */
function pointScenarioText(measurements: Measurements, index: number, values: Readonly<Record<string, string | number>>, seeds: number): string {
  const point = measurements.points[index];
  const base = { ...measurements.scenario, ...point.fields } as Record<string, unknown>;
  const parameters = { ...((measurements.scenario.parameters as Record<string, unknown> | undefined) ?? {}), ...((point.fields.parameters as Record<string, unknown> | undefined) ?? {}), ...values };
  return toYaml({ ...base, name: `${measurements.name}-point-${index + 1}`, seeds, parameters });
}

function sigma(sd: number, se: number): number {
  return Math.sqrt(sd * sd + se * se);
}

function chiSquareOf(measurements: Measurements, model: Evaluation['model']): number {
  let total = 0;
  measurements.points.forEach((point, p) => {
    point.measured.forEach((measured, m) => {
      const { mean, se } = model[p][m];
      const r = (mean - measured.value) / sigma(measured.sd, se);
      total += Number.isFinite(r) ? r * r : 1e12;
    });
  });
  return total;
}

function se(perSeed: readonly number[]): number {
  const n = perSeed.length;
  if (n < 2) return 0;
  const m = perSeed.reduce((a, b) => a + b, 0) / n;
  const variance = perSeed.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  return Math.sqrt(variance / n);
}

/** Checks every point resolves (errors name the measurement file and point) and returns the models' names. */
export function checkPoints(measurements: Measurements, catalog: ModelCatalog, set: readonly string[]): { kernel: string; node: string } {
  let names = { kernel: LAUNCH_DEFAULTS.kernel as string, node: LAUNCH_DEFAULTS.node as string };
  measurements.points.forEach((point, index) => {
    let scenario: ResolvedScenario;
    try {
      scenario = loadScenarioText(pointScenarioText(measurements, index, {}, 1), '(measured point)', { set, catalog });
    } catch (error) {
      if (error instanceof InputError) {
        const path = error.detail.file === '--set' ? `--set ${error.detail.path ?? ''}`.trim() : `points[${index}]${error.detail.path ? `.${error.detail.path}` : ''}`;
        throw new InputError(`${point.label}: ${error.message}`, { ...error.detail, file: measurements.file, line: point.line, column: undefined, path });
      }
      throw error;
    }
    if (scenario.kind !== 'launch' || scenario.points.length !== 1) {
      throw new InputError(`${point.label} is not one launch storm`, { file: measurements.file, expected: 'launch scenario fields with no sweep', found: scenario.kind !== 'launch' ? `kind ${scenario.kind}` : `${scenario.points.length} points` });
    }
    const spec = scenario.points[0].spec as { kernel?: string; node?: string };
    if (index === 0) names = { kernel: spec.kernel ?? names.kernel, node: spec.node ?? names.node };
  });
  return names;
}

/** Fits the parameters to the measurements. Deterministic: the same inputs give the same fit whatever the executor. */
export async function calibrate(options: CalibrationOptions): Promise<CalibrationResult> {
  const { measurements } = options;
  const catalog = options.catalog ?? newCatalog();
  const set = options.set ?? [];
  const seeds = options.seeds ?? measurements.seeds ?? CALIBRATION_DEFAULTS.seeds;
  const budget = Math.max(1, options.budget ?? CALIBRATION_DEFAULTS.budget);
  const names = checkPoints(measurements, catalog, set);
  const fitted = calibrationParameters(catalog, names, options.parameters ?? measurements.parameters);
  if (fitted.length === 0) throw new InputError('nothing to fit', { file: '--parameters', expected: 'at least one parameter with a range', found: 'none' });
  const space: SpaceParameter[] = fitted.map(modelSpaceParameter);
  const d = space.length;
  const cache = new Map<string, Evaluation>();
  const evaluations: Evaluation[] = [];

  const valuesOf = (unit: readonly number[]): Record<string, number> => Object.fromEntries(space.map((p, i) => [p.name, p.fromUnit(unit[i])]));
  const keyOf = (values: Readonly<Record<string, number>>): string => JSON.stringify(space.map((p) => values[p.name]));

  /** Runs a batch of parameter sets (new ones only), all at once on the executor. */
  const evaluateBatch = async (units: readonly (readonly number[])[], phase: Evaluation['phase']): Promise<Evaluation[]> => {
    const planned: { unit: readonly number[]; values: Record<string, number>; key: string; scenarios: ResolvedScenario[] }[] = [];
    const keys = new Set<string>();
    for (const unit of units) {
      const values = valuesOf(unit);
      const key = keyOf(values);
      if (cache.has(key) || keys.has(key)) continue;
      if (evaluations.length + planned.length >= budget && (phase === 'screening' || phase === 'poll')) break;
      keys.add(key);
      const written = Object.fromEntries(space.map((p) => [p.name, p.isDuration ? p.format(values[p.name]) : values[p.name]]));
      const scenarios = measurements.points.map((_, index) => loadScenarioText(pointScenarioText(measurements, index, written, seeds), '(measured point)', { set, catalog }));
      planned.push({ unit: space.map((p) => p.toUnit(values[p.name])), values, key, scenarios });
    }
    const run = startScenarios(planned.flatMap((entry) => entry.scenarios), { executor: options.executor });
    for (const entry of planned) {
      const model: { mean: number; se: number }[][] = [];
      for (const [p, scenario] of entry.scenarios.entries()) {
        const { summary } = await run(scenario);
        const metrics = summary.points[0].metrics;
        model.push(measurements.points[p].measured.map((m) => ({ mean: metrics[m.metric]?.mean ?? Number.NaN, se: se(metrics[m.metric]?.perSeed ?? []) })));
      }
      const evaluation: Evaluation = { index: evaluations.length, phase, values: entry.values, unit: entry.unit, chiSquare: chiSquareOf(measurements, model), model };
      evaluations.push(evaluation);
      cache.set(entry.key, evaluation);
      options.onEvaluation?.(evaluation, evaluations.length, budget);
    }
    return units.map((unit) => cache.get(keyOf(valuesOf(unit)))).filter((e): e is Evaluation => e !== undefined);
  };

  const better = (a: Evaluation, b: Evaluation): boolean => a.chiSquare < b.chiSquare - 1e-9;
  const bestOf = (list: readonly Evaluation[]): Evaluation => list.reduce((best, e) => (better(e, best) ? e : best));

  // 1. The current values, then a Latin hypercube.
  const start = space.map((p) => p.toUnit(p.defaultValue));
  const [initial] = await evaluateBatch([start], 'start');
  let best = initial;
  const screening = latinHypercube(Math.min(Math.max(2 * d, 4), Math.max(0, budget - 1)), d, `${CALIBRATION_DEFAULTS.lhsSeed}/${measurements.name}`);
  if (screening.length > 0) best = bestOf([best, ...(await evaluateBatch(screening, 'screening'))]);

  // 2. Compass search.
  let step: number = CALIBRATION_DEFAULTS.initialStep;
  while (step >= CALIBRATION_DEFAULTS.minStep && evaluations.length < budget) {
    const poll: number[][] = [];
    for (let i = 0; i < d; i++) {
      for (const sign of [1, -1]) {
        const unit = [...best.unit];
        unit[i] = Math.min(1, Math.max(0, unit[i] + sign * step));
        if (unit[i] !== best.unit[i]) poll.push(unit);
      }
    }
    const results = await evaluateBatch(poll, 'poll');
    const candidate = results.length === 0 ? best : bestOf(results);
    if (better(candidate, best)) best = candidate;
    else step /= 2;
  }

  // 3. Identifiability at the optimum.
  const h = CALIBRATION_DEFAULTS.jacobianStep;
  const sides = space.map((_, i) => {
    const up = [...best.unit];
    const down = [...best.unit];
    up[i] = Math.min(1, best.unit[i] + h);
    down[i] = Math.max(0, best.unit[i] - h);
    return { up, down };
  });
  const jacobianRuns = await evaluateBatch(sides.flatMap((s) => [s.up, s.down]), 'jacobian');
  const byKey = new Map(jacobianRuns.map((e) => [keyOf(e.values), e]));
  byKey.set(keyOf(best.values), best);
  const residualVector = (e: Evaluation): number[] =>
    measurements.points.flatMap((point, p) => point.measured.map((m, k) => (e.model[p][k].mean - m.value) / sigma(m.sd, best.model[p][k].se)));
  const rows = measurements.points.reduce((n, p) => n + p.measured.length, 0);
  const jacobian = Array.from({ length: rows }, () => new Array<number>(d).fill(0));
  sides.forEach((s, i) => {
    const up = byKey.get(keyOf(valuesOf(s.up)));
    const down = byKey.get(keyOf(valuesOf(s.down)));
    if (up === undefined || down === undefined) return;
    const du = up.unit[i] - down.unit[i];
    if (du <= 0) return;
    const ru = residualVector(up);
    const rd = residualVector(down);
    for (let k = 0; k < rows; k++) jacobian[k][i] = Number.isFinite(ru[k] - rd[k]) ? (ru[k] - rd[k]) / du : 0;
  });
  const covariance = await posteriorCovariance(jacobian, d);

  const parameters: FittedParameter[] = space.map((p, i) => {
    const sd = Math.sqrt(Math.max(0, covariance[i][i]));
    const identified = sd < IDENTIFIED_SD;
    const partners = space
      .map((q, j) => ({ name: q.name, rho: j === i ? 0 : covariance[i][j] / Math.sqrt(covariance[i][i] * covariance[j][j]) }))
      .filter((x) => Math.abs(x.rho) > TRADE_OFF_CORRELATION);
    const sensitivity = Math.sqrt(jacobian.reduce((sum, row) => sum + row[i] * row[i], 0));
    let note = identified ? 'identified' : sensitivity < 1 ? 'not identifiable: moving it across its whole range changes the fit by less than one sigma' : 'not identifiable: its one-sigma range spans over a quarter of its range (the data bound it on one side only, or only together with others)';
    if (partners.length > 0) note += `; trades off with ${partners.map((x) => `${x.name} (correlation ${x.rho.toFixed(2)})`).join(', ')}`;
    const value = best.values[p.name];
    return {
      name: p.name,
      file: fitted[i].file,
      isDuration: p.isDuration,
      range: p.range,
      initial: p.defaultValue,
      fitted: value,
      fittedText: p.format(value),
      unitSd: sd,
      low: p.fromUnit(best.unit[i] - sd),
      high: p.fromUnit(best.unit[i] + sd),
      identified,
      note,
    };
  });

  const residuals: Residual[] = measurements.points.flatMap((point, p) =>
    point.measured.map((m, k) => {
      const model = best.model[p][k];
      return {
        point: point.label,
        measured: m.name,
        metric: m.metric,
        value: m.value,
        sd: m.sd,
        model: model.mean,
        modelSe: model.se,
        residual: (model.mean - m.value) / sigma(m.sd, model.se),
        initialModel: initial.model[p][k].mean,
      };
    }),
  );
  return {
    name: measurements.name,
    file: measurements.file,
    seeds,
    budget,
    parameters,
    residuals,
    chiSquare: best.chiSquare,
    initialChiSquare: initial.chiSquare,
    measuredValues: rows,
    evaluations,
    finalStep: step,
    optimiser: OPTIMISER_TEXT,
  };
}

/** (J'J + 4I)^-1: the covariance on the [0, 1] scale against a reference spread of half the range. mathjs only here, imported on first use. */
async function posteriorCovariance(jacobian: readonly (readonly number[])[], d: number): Promise<number[][]> {
  const math = await import('mathjs');
  const information = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => jacobian.reduce((sum, row) => sum + row[i] * row[j], 0) + (i === j ? 4 : 0)),
  );
  return math.inv(information) as number[][];
}

/** The override file of a fit: the fitted values, and what they were fitted to. */
export function calibrationParameterFile(result: CalibrationResult): ParameterFile {
  return {
    description: `fitted by locksim calibrate to ${result.file} (${result.name}), chi-square ${result.chiSquare.toFixed(2)} over ${result.measuredValues} measured values`,
    fittedTo: result.file,
    parameters: Object.fromEntries(result.parameters.map((p) => [p.name, p.isDuration ? p.fittedText : p.fitted])),
  };
}
