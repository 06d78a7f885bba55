/**
 * Resolve is a phase: a resolved scenario holds its models' values, runs
 * from resolved.json exactly as from the file, and a resume or a merge
 * across an edited model file is refused.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_ROOT, ModelCatalog } from '../../src/input/catalog.js';
import { loadScenario, loadScenarioText, runScenario, runShard } from '../../src/pipeline.js';
import { encodeResolvedDocument, resolvedDocument } from '../../src/scenario/document.js';
import { mergePartialResults } from '../../src/sweep/partial.js';
import { errorOf } from '../support/input-error.js';

const TEXT = 'name: tiny\nmachine: r5.metal\ncontainers: 3\nlayers: 2\nseeds: 1\narrival: {kind: burst}\nsweep: {containers: [2, 3]}\n';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-resolve-'));
  dirs.push(dir);
  return dir;
};

/** A copy of models/ whose kernel has another `ns_work`: the same scenario text now resolves to other models. */
function editedModels(): ModelCatalog {
  const root = tempDir();
  cpSync(DEFAULT_MODELS_ROOT, root, { recursive: true });
  const kernel = join(root, 'kernel', 'linux-6.12.yaml');
  writeFileSync(kernel, readFileSync(kernel, 'utf8').replace('  ns_work:\n    value: 1 us', '  ns_work:\n    value: 2 us'));
  return new ModelCatalog(root);
}

describe('a resolved scenario', () => {
  const scenario = loadScenarioText(TEXT, 'tiny.yaml');

  it('holds the values of every model its points name, by content hash', () => {
    const spec = scenario.points[0].spec as unknown as { machineModel: string; launchModels: string };
    expect(scenario.models.machines[spec.machineModel].name).toBe('r5.metal');
    expect(scenario.models.launch[spec.launchModels].kernel.parameters.ns_work.value).toBe(1000);
    const edited = loadScenarioText(TEXT, 'tiny.yaml', { catalog: editedModels() });
    const editedSpec = edited.points[0].spec as unknown as { machineModel: string; launchModels: string };
    expect(editedSpec.machineModel).toBe(spec.machineModel);
    expect(editedSpec.launchModels).not.toBe(spec.launchModels);
  });

  it('runs from resolved.json to the same bytes, and refuses overrides there', async () => {
    const dir = tempDir();
    const file = join(dir, 'resolved.json');
    writeFileSync(file, encodeResolvedDocument(resolvedDocument(scenario, { version: 'test', command: 'locksim run tiny.yaml' })));
    const again = loadScenario(file);
    expect(JSON.stringify((await runScenario(again)).points)).toBe(JSON.stringify((await runScenario(scenario)).points));
    expect(errorOf(() => loadScenario(file, { set: ['containers=4'] })).message).toMatch(/runs as it was resolved/);
  });

  it('refuses a resolved.json whose model no longer matches its hash', () => {
    const dir = tempDir();
    const file = join(dir, 'resolved.json');
    const text = encodeResolvedDocument(resolvedDocument(scenario, { version: 'test', command: 'c' })).replace(/("smtSlowdown": \{\s*"value": )1\.25/, '$11.5');
    expect(text).toMatch(/"smtSlowdown": \{\s*"value": 1\.5/);
    writeFileSync(file, text);
    expect(errorOf(() => loadScenario(file)).message).toMatch(/does not match its content hash/);
  });

  it('a resume across an edited model file is refused, naming the models', async () => {
    const dir = tempDir();
    await runScenario(scenario, { checkpoint: { dir } });
    const edited = loadScenarioText(TEXT, 'tiny.yaml', { catalog: editedModels() });
    await expect(runScenario(edited, { checkpoint: { dir, resume: true } })).rejects.toThrow(/written with other models: the models differ/);
  });

  it('a merge of shards run with different models is refused', async () => {
    const edited = loadScenarioText(TEXT, 'tiny.yaml', { catalog: editedModels() });
    const first = await runShard(scenario, { index: 0, count: 2 });
    const second = await runShard(edited, { index: 1, count: 2 });
    const error = errorOf(() => mergePartialResults([{ file: 'a.json', partial: first }, { file: 'b.json', partial: second }]));
    expect(error.message).toMatch(/run with different models/);
  });
});
