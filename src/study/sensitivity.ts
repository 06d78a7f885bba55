/**
 * Sensitivity: how far each calibrated parameter can move, within the range
 * its model file states, before a reproduction target stops holding.
 *
 * For each calibrated kernel or node parameter, every R2-R8/R10 check
 * scenario is evaluated with the parameter at points of its range (low and
 * high by default) and once with every parameter at its default. A target
 * "holds" when all its expectations hold, is a "gap" when only expectations
 * already marked as known gaps fail, and "fails" otherwise. Per parameter and
 * target, the holding range is the contiguous run of tested values around the
 * default where the target does not fail.
 *
 * `summarizeSensitivity` is pure (tested with fake CheckRows); the runner only
 * loads scenarios with `--set parameters.NAME=VALUE`, runs them and evaluates
 * their expectations. A value equal to the default reuses the default's
 * evaluation, and pause-bench checks (R8) read no kernel or node parameter, so
 * they are evaluated once.
 *
 * Machine files carry uncertain values too (home occupancy, fan-out read,
 * SMT slowdowns, outstanding misses, DRAM latency), each with a range of its
 * own per family. They are swept as `machine.NAME` with
 * `--set machineParameters.NAME=low|high`: every family at the end of its
 * own range at once (so the points are "low" and "high", not numbers, and
 * every check is re-run, pause_bench's included).
 */
import { InputError } from '../input/errors.js';
import { didYouMean } from '../input/did-you-mean.js';
import { formatDurationNs, parseDurationNs } from '../input/units.js';
import type { ScenarioSummary } from '../analysis/summary.js';
import { evaluateExpectations, type CheckRow } from '../check/expect.js';
import { findScenarioFiles } from '../check/run.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { loadScenario, newCatalog, startScenarios } from '../pipeline.js';
import type { ModelCatalog } from '../input/catalog.js';
import { modelParameters } from '../models/load.js';
import type { ModelParameter } from '../models/types.js';
import type { Executor } from '../sweep/executor.js';
import { LAUNCH_DEFAULTS } from '../workloads/launch/index.js';
import { MACHINE_PARAMETER_NAMES, type MachineParameterName } from '../topology/index.js';

/** The targets a sensitivity sweep covers (R1 and R9 are counts and fixes, not calibrated behaviour). */
export const SENSITIVITY_TARGETS = ['R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R10'] as const;

export type TargetVerdict = 'holds' | 'gap' | 'fails';

/** Where in its range a parameter is set. `mid` is the geometric mean of a range spanning a decade or more, else the arithmetic one. */
export const RANGE_POINTS = ['low', 'mid', 'high'] as const;
export type RangePoint = (typeof RANGE_POINTS)[number];

/** The check scenario's target, from its name: `r10-time-breakdown` -> `R10`. */
export function targetOf(scenarioName: string): string | undefined {
  const match = /^r(\d+)(?:[-_]|$)/i.exec(scenarioName);
  return match === null ? undefined : `R${Number(match[1])}`;
}

/** holds: every row passed; gap: only known gaps failed; fails: an expectation not marked as a known gap failed. */
export function targetVerdict(rows: readonly CheckRow[]): TargetVerdict {
  if (rows.some((row) => !row.passed && row.knownGap === undefined)) return 'fails';
  if (rows.some((row) => !row.passed)) return 'gap';
  return 'holds';
}

/** A parameter's name, default, range and kind: the parts of a ModelParameter a sweep needs. */
export interface SweptParameter {
  readonly name: string;
  readonly value: number;
  readonly range: readonly [number, number];
  readonly isDuration: boolean;
  /** A machine parameter: points are each family's own range ends (value -1 low, 0 the files' values, +1 high). */
  readonly perFamily?: boolean;
}

/** The prefix naming a machine parameter in a sensitivity study. */
export const MACHINE_PREFIX = 'machine.';

/** A tested value as the tables show it. */
export function formatSweptValue(parameter: Pick<SweptParameter, 'isDuration' | 'perFamily'>, value: number): string {
  if (parameter.perFamily === true) return value < 0 ? 'low' : value > 0 ? 'high' : 'files';
  return formatParameterValue(value, parameter.isDuration);
}

/** The check rows of one target's scenario(s) in one configuration. */
export interface TargetResult {
  readonly target: string;
  readonly rows: readonly CheckRow[];
}

/** One parameter at one point of its range, evaluated on every target. */
export interface ParameterTrial {
  readonly parameter: string;
  readonly point: RangePoint;
  readonly value: number;
  readonly results: readonly TargetResult[];
}

export interface SensitivityInput {
  readonly parameters: readonly SweptParameter[];
  /** Every parameter at its default. */
  readonly defaults: readonly TargetResult[];
  readonly trials: readonly ParameterTrial[];
}

/** One tested value of one parameter. */
export interface SensitivityRow {
  readonly parameter: string;
  readonly point: RangePoint | 'default';
  /** For the default row: the end of the range it sits on, if any (so that end needed no run of its own). */
  readonly atRangeEnd?: 'low' | 'high';
  readonly value: number;
  readonly valueText: string;
  readonly verdicts: Readonly<Record<string, TargetVerdict>>;
  /** Per target, the failing expectations that are not known gaps, as written. */
  readonly failing: Readonly<Record<string, readonly string[]>>;
}

/** Where a target keeps holding as one parameter moves. */
export interface HoldingRange {
  readonly verdictAtDefault: TargetVerdict;
  /** Lowest and highest tested values of the contiguous non-failing run around the default; absent when the default fails. */
  readonly low?: number;
  readonly high?: number;
  /** Tested values where it fails. */
  readonly failsAt: readonly number[];
  /** True when it holds (or is a known gap) at every tested value. */
  readonly wholeRange: boolean;
  /** For the table, e.g. "0.5 us .. 5 us (all)" or "2 us .. 5 us (fails at 0.5 us)". */
  readonly text: string;
}

export interface ParameterRobustness {
  readonly parameter: string;
  readonly defaultText: string;
  readonly rangeText: string;
  readonly holding: Readonly<Record<string, HoldingRange>>;
}

export interface SensitivityTable {
  /** Targets in R-number order. */
  readonly targets: readonly string[];
  /** Per parameter (input order), its tested values in ascending order, default included. */
  readonly rows: readonly SensitivityRow[];
  readonly robustness: readonly ParameterRobustness[];
}

/** A parameter value as a scenario writes it: durations with a unit that parses back to the same ns, counts as numbers. */
export function formatParameterValue(value: number, isDuration: boolean): string {
  if (!isDuration) return String(value);
  const short = formatDurationNs(value);
  return parseDurationNs(short) === value ? short : `${value} ns`;
}

function targetNumber(target: string): number {
  return Number(target.replace(/^R/, ''));
}

function mergeByTarget(results: readonly TargetResult[]): Map<string, CheckRow[]> {
  const merged = new Map<string, CheckRow[]>();
  for (const result of results) merged.set(result.target, [...(merged.get(result.target) ?? []), ...result.rows]);
  return merged;
}

function holdingRange(values: readonly { value: number; verdict: TargetVerdict; isDefault: boolean }[], format: (v: number) => string): HoldingRange {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const failsAt = sorted.filter((v) => v.verdict === 'fails').map((v) => v.value);
  const at = sorted.findIndex((v) => v.isDefault);
  const verdictAtDefault = at < 0 ? 'fails' : sorted[at].verdict;
  if (at < 0 || verdictAtDefault === 'fails') {
    const holdsAt = sorted.filter((v) => v.verdict !== 'fails').map((v) => format(v.value));
    return { verdictAtDefault, failsAt, wholeRange: false, text: holdsAt.length === 0 ? 'fails throughout' : `fails at default; holds at ${holdsAt.join(', ')}` };
  }
  let lowIndex = at;
  while (lowIndex > 0 && sorted[lowIndex - 1].verdict !== 'fails') lowIndex--;
  let highIndex = at;
  while (highIndex < sorted.length - 1 && sorted[highIndex + 1].verdict !== 'fails') highIndex++;
  const low = sorted[lowIndex].value;
  const high = sorted[highIndex].value;
  const wholeRange = failsAt.length === 0;
  const span = low === high ? format(low) : `${format(low)} .. ${format(high)}`;
  const text = wholeRange ? `${span} (all)` : `${span} (fails at ${failsAt.map(format).join(', ')})`;
  return { verdictAtDefault, low, high, failsAt, wholeRange, text };
}

/** Builds the sensitivity table from evaluated check rows. Pure. */
export function summarizeSensitivity(input: SensitivityInput): SensitivityTable {
  const defaults = mergeByTarget(input.defaults);
  const targets = [...new Set([...defaults.keys(), ...input.trials.flatMap((t) => t.results.map((r) => r.target))])].sort((a, b) => targetNumber(a) - targetNumber(b));
  const describe = (byTarget: Map<string, CheckRow[]>): Pick<SensitivityRow, 'verdicts' | 'failing'> => ({
    verdicts: Object.fromEntries(targets.map((target) => [target, targetVerdict(byTarget.get(target) ?? [])])),
    failing: Object.fromEntries(targets.map((target) => [target, (byTarget.get(target) ?? []).filter((row) => !row.passed && row.knownGap === undefined).map((row) => `${row.expectation}: got ${row.got}`)])),
  });
  const defaultDescription = describe(defaults);
  const rows: SensitivityRow[] = [];
  const robustness: ParameterRobustness[] = [];
  for (const parameter of input.parameters) {
    const format = (value: number): string => formatSweptValue(parameter, value);
    const trials = input.trials.filter((trial) => trial.parameter === parameter.name && trial.value !== parameter.value);
    const atRangeEnd = parameter.value === parameter.range[0] ? 'low' : parameter.value === parameter.range[1] ? 'high' : undefined;
    const tested: SensitivityRow[] = [
      { parameter: parameter.name, point: 'default', ...(atRangeEnd === undefined ? {} : { atRangeEnd }), value: parameter.value, valueText: format(parameter.value), ...defaultDescription },
    ];
    for (const trial of trials) {
      if (tested.some((row) => row.value === trial.value)) continue;
      // A trial carries only the targets it re-ran; the others read no value of this parameter and keep the default's verdict.
      const byTarget = new Map([...defaults, ...mergeByTarget(trial.results)]);
      tested.push({ parameter: parameter.name, point: trial.point, value: trial.value, valueText: format(trial.value), ...describe(byTarget) });
    }
    tested.sort((a, b) => a.value - b.value);
    rows.push(...tested);
    robustness.push({
      parameter: parameter.name,
      defaultText: format(parameter.value),
      rangeText: `${format(parameter.range[0])} .. ${format(parameter.range[1])}`,
      holding: Object.fromEntries(targets.map((target) => [target, holdingRange(tested.map((row) => ({ value: row.value, verdict: row.verdicts[target], isDefault: row.point === 'default' })), format)])),
    });
  }
  return { targets, rows, robustness };
}

/** Where `point` lies in a parameter's range; counts stay whole when both bounds are. */
export function rangePointValue(parameter: SweptParameter, point: RangePoint): number {
  if (parameter.perFamily === true) return point === 'low' ? -1 : point === 'high' ? 1 : 0;
  const [low, high] = parameter.range;
  if (point === 'low') return low;
  if (point === 'high') return high;
  const geometric = low > 0 && high / low >= 10;
  const mid = geometric ? Math.sqrt(low * high) : (low + high) / 2;
  if (Number.isInteger(low) && Number.isInteger(high) && !parameter.isDuration) return Math.round(mid);
  return Number(mid.toPrecision(2));
}

/** `low,high` -> range points, checked. */
export function parseRangePoints(entries: readonly string[] | undefined): RangePoint[] {
  const names = (entries ?? []).flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) return ['low', 'high'];
  for (const name of names) {
    if (!(RANGE_POINTS as readonly string[]).includes(name)) {
      throw new InputError(`unknown range point \`${name}\``, { file: '--points', expected: `a comma-separated list of ${RANGE_POINTS.join(', ')}`, found: `\`${name}\``, hint: didYouMean(name, RANGE_POINTS) });
    }
  }
  return RANGE_POINTS.filter((point) => names.includes(point));
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const VERDICT_CELL: Record<TargetVerdict, string> = { holds: 'holds', gap: 'gap', fails: '**fails**' };

/** The tables as markdown, ready to paste into the README. */
export function sensitivityMarkdown(table: SensitivityTable, notes: { seeds: number; command: string; extra?: readonly string[] }): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const header = (cells: readonly string[]): string[] => [line(cells), line(cells.map(() => '---'))];
  const parts: string[] = [
    '## Sensitivity of the reproduction targets',
    '',
    `Each calibrated parameter was moved within its stated range, every other parameter at its default, and the R2-R8/R10 check scenarios re-evaluated (${notes.seeds} seed${notes.seeds === 1 ? '' : 's'} per point). A \`machine.NAME\` row moves a machine file's uncertain value to the low or high end of each family's own range, every family at once ("files": the values the machine files give). "holds": every expectation held; "gap": only expectations already marked as known gaps failed; "fails": another expectation failed. A range is the run of tested values around the default where the target does not fail.`,
    '',
    ...header(['parameter', 'default', 'range', ...table.targets.map((t) => `${t} holds over`)]),
    ...table.robustness.map((r) => line([`\`${r.parameter}\``, r.defaultText, r.rangeText, ...table.targets.map((t) => r.holding[t]?.text ?? '')])),
    '',
    '### Verdicts per tested value',
    '',
    ...header(['parameter', 'point', 'value', ...table.targets]),
    ...table.rows.map((row) => line([`\`${row.parameter}\``, row.atRangeEnd === undefined ? row.point : `default (= ${row.atRangeEnd})`, row.valueText, ...table.targets.map((t) => VERDICT_CELL[row.verdicts[t]])])),
  ];
  const failures = table.rows.flatMap((row) => table.targets.flatMap((t) => row.failing[t].map((text) => `- \`${row.parameter}\` = ${row.valueText} (${row.point}), ${t}: ${text}`)));
  if (failures.length > 0) parts.push('', '### What failed', '', ...[...new Set(failures)]);
  for (const note of notes.extra ?? []) parts.push('', note);
  parts.push('', `Regenerate with \`${notes.command}\`.`, '');
  return parts.join('\n');
}

/** Long form for spreadsheets: one row per parameter, tested value and target. */
export function sensitivityCsvRows(table: SensitivityTable): Record<string, string | number>[] {
  return table.rows.flatMap((row) =>
    table.targets.map((target) => ({
      parameter: row.parameter,
      point: row.point,
      value: row.value,
      valueText: row.valueText,
      target,
      verdict: row.verdicts[target],
      failing: row.failing[target].join('; '),
    })),
  );
}

// ---------------------------------------------------------------- runner

export interface SensitivityRunOptions {
  /** Check scenario files or folders (default scenarios/checks); only R2-R8 and R10 are used. */
  readonly checks?: readonly string[];
  /** Limit to these parameters (default every calibrated kernel and node parameter, and every machine parameter as `machine.NAME`). */
  readonly parameters?: readonly string[];
  readonly points?: readonly RangePoint[];
  /** Replications per point of every check scenario (default 1). */
  readonly seeds?: number;
  /** Where models are found (default: the repository's models/). */
  readonly catalog?: ModelCatalog;
  /** The model set whose parameters are swept (default: a launch scenario's default kernel and node). */
  readonly kernel?: string;
  readonly node?: string;
  /** Where the runs execute (default: this thread); every scenario of the study shares it. */
  readonly executor?: Executor;
  /** After each finished run of the whole study. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Runs one resolved scenario instead of the executor (tests feed summaries through it). */
  readonly run?: (scenario: ResolvedScenario) => Promise<{ readonly summary: ScenarioSummary }>;
  /** Called after each evaluation with its place in the whole study. */
  readonly onEvaluation?: (evaluation: { done: number; total: number; parameter?: string; point: RangePoint | 'default'; valueText: string; target: string; verdict: TargetVerdict }) => void;
}

export interface SensitivityStudy {
  readonly input: SensitivityInput;
  readonly table: SensitivityTable;
  /** Targets evaluated once because their scenarios read no kernel or node parameter. */
  readonly parameterFree: readonly string[];
  readonly seeds: number;
}

interface CheckFile {
  readonly file: string;
  readonly target: string;
  readonly launch: boolean;
}

/** A parameter to sweep: a kernel or node parameter, or a machine parameter swept per family. */
interface StudyParameter {
  readonly swept: SweptParameter;
  /** The `--set` for a tested value. */
  set(value: number): string;
}

/** Calibrated kernel and node parameters, or the named ones (any parameter of the models), checked. */
export function sweptParameters(catalog: ModelCatalog, names: { kernel: string; node: string }, only?: readonly string[]): ModelParameter[] {
  const all = [...modelParameters(catalog, names).values()];
  const wanted = (only ?? []).flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '' && !name.startsWith(MACHINE_PREFIX));
  if (wanted.length === 0) return (only ?? []).length > 0 ? [] : all.filter((p) => p.calibrated);
  return wanted.map((name) => {
    const parameter = all.find((p) => p.name === name);
    if (parameter === undefined) {
      const known = [...all.map((p) => p.name), ...MACHINE_PARAMETER_NAMES.map((n) => MACHINE_PREFIX + n)];
      throw new InputError(`unknown model parameter \`${name}\``, { file: '--parameters', expected: `a parameter of ${names.kernel} or ${names.node}, or machine.NAME`, found: `\`${name}\``, hint: didYouMean(name, known) });
    }
    return parameter;
  });
}

/** Machine parameters to sweep: every one by default, or the `machine.NAME` entries named. */
export function sweptMachineParameters(only?: readonly string[]): MachineParameterName[] {
  const entries = (only ?? []).flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (entries.length === 0) return [...MACHINE_PARAMETER_NAMES];
  const wanted = entries.filter((name) => name.startsWith(MACHINE_PREFIX)).map((name) => name.slice(MACHINE_PREFIX.length));
  for (const name of wanted) {
    if (!(MACHINE_PARAMETER_NAMES as readonly string[]).includes(name)) {
      throw new InputError(`unknown machine parameter \`${name}\``, { file: '--parameters', expected: `machine.NAME with NAME one of ${MACHINE_PARAMETER_NAMES.join(', ')}`, found: `\`${MACHINE_PREFIX}${name}\``, hint: didYouMean(name, MACHINE_PARAMETER_NAMES) });
    }
  }
  return wanted as MachineParameterName[];
}

function studyParameters(catalog: ModelCatalog, names: { kernel: string; node: string }, only?: readonly string[]): StudyParameter[] {
  const model = sweptParameters(catalog, names, only).map(
    (p): StudyParameter => ({ swept: { name: p.name, value: p.value, range: p.range, isDuration: p.isDuration }, set: (value) => `parameters.${p.name}=${formatParameterValue(value, p.isDuration)}` }),
  );
  const machine = sweptMachineParameters(only).map(
    (name): StudyParameter => ({
      swept: { name: MACHINE_PREFIX + name, value: 0, range: [-1, 1], isDuration: false, perFamily: true },
      set: (value) => `machineParameters.${name}=${value < 0 ? 'low' : 'high'}`,
    }),
  );
  return [...model, ...machine];
}

/** Loads every check scenario (default and per trial) before running any, then runs and evaluates them. */
export async function runSensitivity(options: SensitivityRunOptions = {}): Promise<SensitivityStudy> {
  const catalog = options.catalog ?? newCatalog();
  const seeds = options.seeds ?? 1;
  const parameters = studyParameters(catalog, { kernel: options.kernel ?? LAUNCH_DEFAULTS.kernel, node: options.node ?? LAUNCH_DEFAULTS.node }, options.parameters);
  const points = options.points ?? ['low', 'high'];
  const load = (file: string, set: readonly string[] = []): ResolvedScenario => loadScenario(file, { set, seeds, catalog });

  const checkFiles: CheckFile[] = [];
  const defaultScenarios: ResolvedScenario[] = [];
  for (const file of findScenarioFiles(options.checks ?? ['scenarios/checks'])) {
    const scenario = load(file);
    const target = targetOf(scenario.name);
    if (target === undefined || !(SENSITIVITY_TARGETS as readonly string[]).includes(target)) continue;
    checkFiles.push({ file, target, launch: scenario.kind === 'launch' });
    defaultScenarios.push(scenario);
  }
  if (checkFiles.length === 0) {
    throw new InputError('no R2-R8 or R10 check scenario found', { file: '--checks', expected: `scenario files named r2-... to r8-..., r10-... (targets ${SENSITIVITY_TARGETS.join(', ')})`, found: (options.checks ?? ['scenarios/checks']).join(', ') });
  }

  const planned: { parameter: StudyParameter; point: RangePoint; value: number; scenarios: { check: CheckFile; scenario: ResolvedScenario }[] }[] = [];
  for (const parameter of parameters) {
    const swept = parameter.swept;
    const seen = new Set<number>([swept.value]);
    for (const point of points) {
      // A machine parameter's "mid" is no one point across families: only its ends are tried.
      if (swept.perFamily === true && point === 'mid') continue;
      const value = rangePointValue(swept, point);
      if (seen.has(value)) continue;
      seen.add(value);
      const set = [parameter.set(value)];
      // Machine parameters reach every check (pause_bench reads the machine too); model parameters only the launch ones.
      const checks = checkFiles.filter((check) => check.launch || swept.perFamily === true);
      planned.push({ parameter, point, value, scenarios: checks.map((check) => ({ check, scenario: load(check.file, set) })) });
    }
  }

  const run = options.run ?? startScenarios([...defaultScenarios, ...planned.flatMap((trial) => trial.scenarios.map((entry) => entry.scenario))], { executor: options.executor, onProgress: options.onProgress });
  const total = checkFiles.length + planned.reduce((sum, trial) => sum + trial.scenarios.length, 0);
  let done = 0;
  const evaluate = async (scenario: ResolvedScenario): Promise<CheckRow[]> => evaluateExpectations(scenario, (await run(scenario)).summary);

  const defaults: TargetResult[] = [];
  for (const [index, check] of checkFiles.entries()) {
    const rows = await evaluate(defaultScenarios[index]);
    defaults.push({ target: check.target, rows });
    options.onEvaluation?.({ done: ++done, total, point: 'default', valueText: 'defaults', target: check.target, verdict: targetVerdict(rows) });
  }
  const trials: ParameterTrial[] = [];
  for (const trial of planned) {
    const results: TargetResult[] = [];
    const valueText = formatSweptValue(trial.parameter.swept, trial.value);
    for (const { check, scenario } of trial.scenarios) {
      const rows = await evaluate(scenario);
      results.push({ target: check.target, rows });
      options.onEvaluation?.({ done: ++done, total, parameter: trial.parameter.swept.name, point: trial.point, valueText, target: check.target, verdict: targetVerdict(rows) });
    }
    trials.push({ parameter: trial.parameter.swept.name, point: trial.point, value: trial.value, results });
  }

  const input: SensitivityInput = {
    parameters: parameters.map((p) => p.swept),
    defaults,
    trials,
  };
  const parameterFree = [...new Set(checkFiles.filter((check) => !check.launch).map((check) => check.target))];
  return { input, table: summarizeSensitivity(input), parameterFree, seeds };
}
