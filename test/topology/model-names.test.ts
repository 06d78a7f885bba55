// Issue 18: a model name picks a file in the models folder and can never leave it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMachineModel, loadMachineModel } from '../../src/topology/index.js';
import { loadLaunchModels } from '../../src/models/load.js';
import { loadScenarioText, newCatalog } from '../../src/pipeline.js';
import { DEFAULT_MODELS_ROOT } from '../../src/input/catalog.js';
import { checkMachineNames } from '../../src/cli/commands/compare.js';
import { errorOf } from '../support/input-error.js';

// A valid model outside the models folder, which a path-like name would reach.
const outside = mkdtempSync(join(tmpdir(), 'locksim-outside-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));
mkdirSync(join(outside, 'evil'));
writeFileSync(join(outside, 'evil', 'x.yaml'), readFileSync(join(DEFAULT_MODELS_ROOT, 'machines', 'r5.metal.yaml'), 'utf8').replace('name: r5.metal', 'name: x'));
const escape = `../../../../../../../../..${join(outside, 'evil', 'x')}`;

describe('model names', () => {
  it('refuses a machine name that is a path in --machines and in a lookup; a scenario reads an explicit path as a file, never a name', () => {
    // Issue 16: `machine: ./x.yaml` (or ../, /) is a file relative to the scenario; it is read as that file, not looked up.
    const missing = errorOf(() => loadScenarioText(`name: s\nmachine: "${escape}"\ncontainers: 2\nlayers: 2\n`, 's.yaml'));
    expect(missing.format()).toMatch(/^s\.yaml:2:10: machine: the machine file does not exist/);
    const scenario = loadScenarioText(`name: s\nmachine: "${escape}.yaml"\ncontainers: 2\nlayers: 2\n`, 's.yaml');
    expect(Object.values(scenario.models.machines)[0].name).toBe('x');
    expect(errorOf(() => loadScenarioText(`name: s\nmachine: "evil/x"\ncontainers: 2\nlayers: 2\n`, 's.yaml')).format()).toMatch(/^s\.yaml:2:10: machine: a machine family is named, not given as a path/);
    expect(errorOf(() => checkMachineNames(['r5.metal', escape], '--machines')).format()).toMatch(/^--machines: a machine family is named, not given as a path/);
    expect(errorOf(() => findMachineModel(escape)).message).toBe('a machine family is named, not given as a path');
    expect(errorOf(() => findMachineModel('.hidden')).message).toBe('a machine family is named, not given as a path');
    expect(findMachineModel('r5.metal').name).toBe('r5.metal');
  });

  it('refuses a variantOf that is a path, at the field', () => {
    const dir = mkdtempSync(join(outside, 'variant-'));
    const file = join(dir, 'v.yaml');
    writeFileSync(file, `name: v\ndescription: a variant\nvariantOf: "${escape}"\nvariant: {smt: false}\n`);
    expect(errorOf(() => loadMachineModel(file)).format()).toMatch(/v\.yaml:3:12: variantOf: /);
  });

  it('refuses kernel, node and runtime names that are paths', () => {
    const catalog = newCatalog();
    expect(errorOf(() => loadLaunchModels(catalog, { kernel: 'linux-6.12', node: 'k8s-node', runtime: '../runtimes/containerd-idmap' })).message).toBe('a runtime model is named, not given as a path');
    expect(errorOf(() => loadLaunchModels(catalog, { kernel: '/etc/passwd', node: 'k8s-node', runtime: 'containerd-idmap' })).message).toBe('a kernel model is named, not given as a path');
  });
});
