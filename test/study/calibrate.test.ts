/**
 * `locksim calibrate` (issue 15): it recovers parameters from data the model
 * made at known values, says which ones the data cannot identify, and its
 * measurement and parameter files fail with the file, the line or field,
 * and what was expected. A tiny storm keeps each fit to seconds.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInputError } from '../support/input-error.js';
import { loadScenarioText, runScenario } from '../../src/pipeline.js';
import { readMeasurements } from '../../src/scenario/measurements.js';
import { readParameterFile, parameterFileText } from '../../src/scenario/parameter-file.js';
import { calibrate, calibrationParameterFile, calibrationParameters, checkPoints, type CalibrationResult, type FittedParameter } from '../../src/study/calibrate.js';
import { writeFittedValues } from '../../src/study/calibrated-models.js';
import { CalibrationDocumentSchema } from '../../src/study/calibrate-report.js';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_MODELS_ROOT, ModelCatalog } from '../../src/input/catalog.js';
import { modelParameters } from '../../src/models/load.js';
import { loadRunScenario } from '../../src/cli/commands/run.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';
import { findMachineModel } from '../../src/topology/index.js';
import { runCli } from '../../src/cli/cli.js';
import { recordingContext } from '../cli/support.js';

const root = mkdtempSync(join(tmpdir(), 'locksim-calibrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}


const SHARED = { machine: 'm7a.12xlarge', layers: 4, arrival: { kind: 'staggered', over: '500 ms' } };
const TRUE_LAUNCH_BEFORE_MS = 400;

/** What the model gives at the true value: mean p50 and p99 over the seeds the fit uses (common random numbers). */
async function modelMeasures(containers: number): Promise<{ p50: number; p99: number }> {
  const text = JSON.stringify({ name: 'truth', seeds: 2, containers, ...SHARED, parameters: { launch_before: `${TRUE_LAUNCH_BEFORE_MS} ms` } });
  const { summary } = await runScenario(loadScenarioText(text, '(truth)'));
  const metrics = summary.points[0].metrics;
  return { p50: metrics.p50LatencyS!.mean, p99: metrics.p99LatencyS!.mean };
}

describe('calibrate on data the model made at known parameters', () => {
  let result: CalibrationResult;
  beforeAll(async () => {
    const points = [];
    for (const containers of [6, 12]) {
      const m = await modelMeasures(containers);
      points.push({ containers, p50: { value: m.p50, sd: 0.05 }, p99: { value: m.p99, sd: 0.05 } });
    }
    const measurements = file('recovery.yaml', JSON.stringify({ name: 'recovery', scenario: SHARED, seeds: 2, parameters: ['launch_before', 'propagate_remove'], points }));
    result = await calibrate({ measurements: readMeasurements(measurements), budget: 24 });
  }, 120_000);

  it('recovers the parameter the data see, within a tenth of its range', () => {
    const fitted = result.parameters.find((p) => p.name === 'launch_before')!;
    // The range is 200 ms .. 1 s and the search starts at the file's 500 ms.
    expect(fitted.initial).toBe(500e6);
    expect(Math.abs(fitted.fitted - TRUE_LAUNCH_BEFORE_MS * 1e6)).toBeLessThan(0.1 * (fitted.range[1] - fitted.range[0]));
    expect(fitted.identified).toBe(true);
    expect(fitted.low).toBeLessThan(fitted.fitted);
    expect(fitted.high).toBeGreaterThan(fitted.fitted);
    expect(result.chiSquare).toBeLessThan(result.initialChiSquare);
    for (const residual of result.residuals) expect(Math.abs(residual.residual)).toBeLessThan(1);
  });

  it('reports a parameter the storm cannot see as not identifiable', () => {
    const invisible = result.parameters.find((p) => p.name === 'propagate_remove')!;
    expect(invisible.identified).toBe(false);
    expect(invisible.note).toMatch(/^not identifiable/);
  });

  it('writes a parameter file that `run --params` applies, saying what it was fitted to', () => {
    const params = file('fitted.yaml', parameterFileText(calibrationParameterFile(result)));
    const read = readParameterFile(params);
    expect(read.fittedTo).toBe(join(root, 'recovery.yaml'));
    const scenario = file('run.yaml', JSON.stringify({ name: 'after-fit', seeds: 1, containers: 6, ...SHARED }));
    const fitted = result.parameters.find((p) => p.name === 'launch_before')!;
    const loaded = loadRunScenario({ scenario, params });
    const spec = loaded.points[0].spec as { parameters?: Record<string, unknown> };
    expect(spec.parameters?.launch_before).toBe(fitted.fitted);
    // `--set` still wins over the file.
    const overridden = loadRunScenario({ scenario, params, set: ['parameters.launch_before="300 ms"'] });
    expect((overridden.points[0].spec as { parameters?: Record<string, unknown> }).parameters?.launch_before).toBe(300e6);
  });
});

describe('measurement files', () => {
  const header = 'containers,p50_s,p50_sd_s,p99_s,p99_sd_s,failure_rate,failure_rate_sd';

  it('read CSV rows as points, with an empty pair as not measured', () => {
    const m = readMeasurements(file('ok.csv', `# my node\n${header}\n10,2.5,0.1,3.5,0.2,,\n20,3,0.1,,,0.05,0.02\n`));
    expect(m.name).toBe('ok');
    expect(m.points).toHaveLength(2);
    expect(m.points[0].fields).toEqual({ containers: 10 });
    expect(m.points[0].measured.map((x) => x.name)).toEqual(['p50', 'p99']);
    expect(m.points[1].measured.map((x) => [x.name, x.value, x.sd])).toEqual([['p50', 3, 0.1], ['failureRate', 0.05, 0.02]]);
    expect(m.points[1].line).toBe(4);
  });

  it.each<[string, string, RegExp]>([
    ['a row with a missing field', `${header}\n10,2.5,0.1,3.5,0.2\n`, /short\.csv:2: row has 5 fields \(expected 7 fields, as the header, found 5\)/],
    ['a value without its sd column', 'containers,p50_s\n10,2.5\n', /nosd\.csv:1: `p50_s` needs `p50_sd_s` beside it/],
    ['an sd of 0', `${header}\n10,2.5,0,,,,\n`, /zero\.csv:2: p50_sd_s: invalid `p50_sd_s` \(expected seconds, above 0, found "0"\)/],
    ['a failure rate above 1', `${header}\n10,,,,,1.5,0.1\n`, /rate\.csv:2: failure_rate: invalid `failure_rate` \(expected a share from 0 to 1, found "1.5"\)/],
    ['a row that measures nothing', `${header}\n10,,,,,,\n`, /empty\.csv:2: a row measures nothing/],
    ['a repeated column', 'containers,containers,p50_s,p50_sd_s\n1,2,3,4\n', /twice\.csv:1: column `containers` appears twice/],
  ])('refuse %s, naming the file and line', async (_name, text, message) => {
    const name = String(message.source.match(/^(\w+)/)![1]);
    await expectInputError(() => readMeasurements(file(`${name}.csv`, text)), message);
  });

  it.each<[string, string, RegExp]>([
    ['a latency without its sd', 'name: a\npoints:\n  - containers: 5\n    p50: {value: 2 s}\n', /missing\.yaml:4:\d+: points\[0\]\.p50/],
    ['an sd of "0 s"', 'name: a\npoints:\n  - containers: 5\n    p50: {value: 2 s, sd: 0 s}\n', /zerosd\.yaml:4:\d+: points\[0\]\.p50\.sd: a measurement needs an uncertainty above 0/],
    ['a point that measures nothing', 'name: a\npoints:\n  - containers: 5\n', /nothing\.yaml:3:\d+: points\[0\]: a point measures nothing \(expected at least one of p50, p99, failureRate/],
    ['a failure rate above 1', 'name: a\npoints:\n  - failureRate: {value: 2, sd: 0.1}\n', /ratehigh\.yaml:3:\d+: points\[0\]\.failureRate\.value/],
  ])('refuse %s in YAML, naming the file, line and field', async (_name, text, message) => {
    const name = String(message.source.match(/^(\w+)/)![1]);
    await expectInputError(() => readMeasurements(file(`${name}.yaml`, text)), message);
  });

  it("refuse a point whose scenario fields the models do not take, naming the point's line", async () => {
    const m = readMeasurements(file('badfield.yaml', 'name: a\nscenario: {machine: m7a.12xlarge, layers: 4}\npoints:\n  - containers: 5\n    p50: {value: 2 s, sd: 0.1 s}\n  - containerz: 5\n    p50: {value: 2 s, sd: 0.1 s}\n'));
    await expectInputError(() => calibrate({ measurements: m, parameters: ['launch_before'], budget: 1 }), /badfield\.yaml:6: points\[1\]\.containerz: point 2 \(containerz=5\): /);
  });

  it('refuse a parameter the models do not have, with a suggestion', async () => {
    const m = readMeasurements(file('okpoint.yaml', 'name: a\nscenario: {machine: m7a.12xlarge, layers: 4}\npoints:\n  - containers: 5\n    p50: {value: 2 s, sd: 0.1 s}\n'));
    await expectInputError(() => calibrate({ measurements: m, parameters: ['launch_befor'], budget: 1 }), /^--parameters: unknown model parameter `launch_befor`.*launch_before/);
  });
});

describe('parameter files', () => {
  const scenario = (): string => file('plain.yaml', JSON.stringify({ name: 'plain', seeds: 1, containers: 4, ...SHARED }));

  it('refuse an unknown field, naming it', async () => {
    const params = file('unknown-field.yaml', 'description: x\nparamters: {launch_before: 1 s}\n');
    await expectInputError(() => readParameterFile(params), /unknown-field\.yaml:2:\d+: .*paramters/);
  });

  it('refuse a value the models refuse, naming the parameter file rather than --set', async () => {
    const params = file('bad-value.yaml', 'parameters:\n  launch_before: 12 parsecs\n');
    await expectInputError(() => loadRunScenario({ scenario: scenario(), params }), /^[^ ]*bad-value\.yaml: /);
  });

  it("apply machine parameters as a fraction of each family's range: {at: 0} is the low end, {at: 1} the high", () => {
    const smt = (scenarioPath: string, params?: string, set?: string[]): number => {
      const loaded = loadRunScenario({ scenario: scenarioPath, params, set });
      const spec = loaded.points[0].spec as LaunchPointSpec;
      return loaded.models.machines[spec.machineModel].parameters.smtSlowdown.value;
    };
    const path = scenario();
    const range = findMachineModel('m7a.12xlarge').parameters.smtSlowdown.range;
    expect(range[1]).toBeGreaterThan(range[0]);
    expect(smt(path, file('at0.yaml', 'machineParameters:\n  smtSlowdown: {at: 0}\n'))).toBe(range[0]);
    expect(smt(path, file('at1.yaml', 'machineParameters:\n  smtSlowdown: {at: 1}\n'))).toBe(range[1]);
    const half = smt(path, file('athalf.yaml', 'machineParameters:\n  smtSlowdown: {at: 0.5}\n'));
    expect(half).toBeGreaterThan(range[0]);
    expect(half).toBeLessThan(range[1]);
    expect(smt(path, file('at1b.yaml', 'machineParameters:\n  smtSlowdown: {at: 1}\n'), ['machineParameters.smtSlowdown=low'])).toBe(range[0]);
  });
});

describe('the calibrate command', () => {
  it('writes the parameter file and the report, and prints the fitted table', async () => {
    const measurements = file('cli.csv', 'machine,layers,containers,p50_s,p50_sd_s\nm7a.12xlarge,4,6,2.5,0.1\n');
    const out = join(root, 'cli-out');
    const context = recordingContext();
    expect(await runCli(['calibrate', measurements, '--parameters', 'launch_before', '--budget', '3', '--seeds', '1', '--jobs', '1', '--out', out], context)).toBe(0);
    expect(context.stdout.join('\n')).toMatch(/launch_before\s+500 ms\s+\S+ ms/);
    for (const name of ['parameters.yaml', 'calibration.json', 'calibration.md', 'residuals.csv', 'evaluations.csv']) expect(existsSync(join(out, name)), name).toBe(true);
    const document = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8')) as { kind: string; parameters: { name: string }[]; evaluations: unknown[] };
    expect([...Value.Errors(CalibrationDocumentSchema, document)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(document.parameters.map((p) => p.name)).toEqual(['launch_before']);
    // Start, at most two screening points inside the budget of 3, and the two sides for the Jacobian.
    expect(document.evaluations.length).toBeLessThanOrEqual(5);
    expect(readParameterFile(join(out, 'parameters.yaml')).fittedTo).toBe(measurements);
  }, 60_000);

  it.each<[string, string[], RegExp]>([
    ['a missing measurement file', ['calibrate', '/nonexistent/m.csv'], /^locksim: \/nonexistent\/m\.csv: /],
    ['a budget of 0', ['calibrate', 'MEASUREMENTS', '--budget', '0'], /^locksim: --budget: invalid --budget \(expected a whole number of evaluations/],
  ])('exits 2 on %s with one line', async (_name, args, message) => {
    const measurements = file('cli-ok.csv', 'machine,layers,containers,p50_s,p50_sd_s\nm7a.12xlarge,4,6,2.5,0.1\n');
    const context = recordingContext();
    expect(await runCli(args.map((a) => (a === 'MEASUREMENTS' ? measurements : a)), context)).toBe(2);
    expect(context.stdout).toEqual([]);
    expect(context.stderr.join('\n').split('\n')[0]).toMatch(message);
    expect(context.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe('the project defaults', () => {
  it('are fitted to measurement files that resolve: every point a launch storm, every parameter calibrated', () => {
    const catalog = new ModelCatalog();
    for (const path of ['data/calibration/netflix-r3.yaml', 'examples/calibrate/small-node.csv']) {
      const m = readMeasurements(path);
      expect(checkPoints(m, catalog, [])).toEqual({ kernel: 'linux-6.12', node: 'k8s-node' });
      const parameters = calibrationParameters(catalog, { kernel: 'linux-6.12', node: 'k8s-node' }, m.parameters ?? ['launch_before', 'ml_section']);
      for (const p of parameters) expect(p.calibrated, `${path}: ${p.name}`).toBe(true);
    }
  });

  it('are written into the model files by --write-models: the value, and what it was fitted to before the reason it exists', () => {
    const models = join(root, 'models');
    cpSync(DEFAULT_MODELS_ROOT, models, { recursive: true });
    const before = new ModelCatalog(models);
    const names = { kernel: 'linux-6.12', node: 'k8s-node' };
    const [ml, services] = calibrationParameters(before, names, ['ml_section', 'sandboxedServices']);
    const fitted = (p: typeof ml, value: number, text: string): FittedParameter => ({ name: p.name, file: p.file, isDuration: p.isDuration, range: p.range, initial: p.value, fitted: value, fittedText: text, unitSd: 0.1, low: value, high: value, identified: true, note: 'identified' });
    const changed = writeFittedValues([fitted(ml, 1200, '1.2 us'), fitted(services, 17, '17')], 'data/calibration/netflix-r3.yaml');
    expect(changed.sort()).toEqual([ml.file, services.file].sort());
    const after = modelParameters(new ModelCatalog(models), names);
    expect(after.get('ml_section')!.value).toBe(1200);
    expect(after.get('sandboxedServices')!.value).toBe(17);
    const kernelText = readFileSync(ml.file, 'utf8');
    expect(kernelText).toMatch(/calibrated: "?fitted by `npm run calibrate` to data\/calibration\/netflix-r3\.yaml; mount_lock write section/);
    // Written twice, the provenance is replaced, not repeated.
    writeFittedValues([fitted(ml, 1300, '1.3 us')], 'data/calibration/netflix-r3.yaml');
    const rewritten = readFileSync(ml.file, 'utf8');
    expect(rewritten).toMatch(/value: 1\.3 us\n/);
    expect(rewritten.split('\n').filter((line) => (line.match(/fitted by `npm run calibrate`/g) ?? []).length > 1)).toEqual([]);
    // A value the fit left where it was keeps the file's text, and flow lists keep the file's style.
    writeFittedValues([{ ...fitted(ml, 1300, '1300 ns'), initial: 1300 }], 'data/calibration/netflix-r3.yaml');
    const untouched = readFileSync(ml.file, 'utf8');
    expect(untouched).toMatch(/value: 1\.3 us\n/);
    expect(untouched).toContain('range: [0.5 us, 5 us]');
    // A sourced value is a fact, not a fit: refused.
    const sourced = [...after.values()].find((p) => !p.calibrated)!;
    expect(() => writeFittedValues([fitted(sourced, 1, '1')], 'x')).toThrow(/is not a calibrated parameter/);
  });
});
