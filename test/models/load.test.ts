/**
 * Kernel, node and runtime model files: every file in models/ loads and
 * resolves, the emitted schemas are current, and a broken file is one
 * InputError naming the file, line and field.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_ROOT, ModelCatalog, REPO_ROOT } from '../../src/input/catalog.js';
import { InputError } from '../../src/input/errors.js';
import { loadLaunchModels } from '../../src/models/load.js';
import { MODEL_FILE_SCHEMAS } from '../../src/models/schema.js';
import { jsonSchemaFor } from '../../src/workloads/schemas.js';
import { metricsMarkdown } from '../../src/workloads/catalogue.js';
import { errorOf } from '../support/input-error.js';

const catalog = new ModelCatalog();
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of models/ with one file's text edited, and a catalog on it. */
function edited(kind: 'kernel' | 'nodes' | 'runtimes', name: string, edit: (text: string) => string): ModelCatalog {
  const root = mkdtempSync(join(tmpdir(), 'locksim-models-'));
  dirs.push(root);
  cpSync(DEFAULT_MODELS_ROOT, root, { recursive: true });
  const file = join(root, kind, `${name}.yaml`);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return new ModelCatalog(root);
}

const NAMES = { kernel: 'linux-6.12', node: 'k8s-node', runtime: 'containerd-idmap' };

describe('model files', () => {
  it('every runtime resolves with every kernel and node model, into plain data', () => {
    for (const kernel of catalog.names('kernel')) {
      for (const node of catalog.names('nodes')) {
        for (const runtime of catalog.names('runtimes')) {
          const models = loadLaunchModels(catalog, { kernel, node, runtime });
          expect(models.runtime.passes.length).toBeGreaterThan(0);
          // Serializable: what resolved.json stores and a worker receives.
          expect(JSON.parse(JSON.stringify(models))).toEqual(models);
        }
      }
    }
  });

  it('the emitted JSON Schemas are current', () => {
    for (const [kind, schema] of Object.entries(MODEL_FILE_SCHEMAS)) {
      const emitted = readFileSync(join(REPO_ROOT, 'schemas', `${kind}.schema.json`), 'utf8');
      expect(emitted, 'run `npx tsx src/schemas.ts`').toBe(jsonSchemaFor(kind, schema));
    }
  });

  it('overrides reach every step that names the parameter', () => {
    const models = loadLaunchModels(catalog, NAMES, { ml_section: 1234 });
    const umount = models.procedures['kernel/umount'];
    const first = umount.steps.find((step) => step.kind === 'lock');
    expect(first?.kind === 'lock' && first.steps[0].kind === 'lock' ? first.steps[0].hold.baseNs : undefined).toBe(1234);
    expect(models.kernel.parameters.ml_section.provenance).toMatch(/^override/);
  });

  it('a misspelt field inside a nested step is named with its line', () => {
    const broken = edited('kernel', 'linux-6.12', (text) => text.replace(/(hold: \{ ?base: ml_section, perCpuSum: true, )perReceiver(: propagate_remove)/, '$1perRecevier$2'));
    const error = errorOf(() => loadLaunchModels(broken, NAMES));
    expect(error.detail.file).toMatch(/linux-6\.12\.yaml$/);
    expect(error.detail.line).toBeGreaterThan(1);
    expect(error.format()).toMatch(/perRecevier/);
  });

  it('an unknown lock, parameter or call is named with a did-you-mean', () => {
    const lock = errorOf(() => loadLaunchModels(edited('kernel', 'linux-6.12', (t) => t.replace('      - lock: namespace_sem\n        mode: write\n        steps:\n          - cpu: mount_alloc', '      - lock: namespace_semm\n        mode: write\n        steps:\n          - cpu: mount_alloc')), NAMES));
    expect(lock.format()).toMatch(/unknown lock `namespace_semm`.*Did you mean `namespace_sem`/);
    const parameter = errorOf(() => loadLaunchModels(edited('runtimes', 'containerd-idmap', (t) => t.replace('sleep: read_image_user', 'sleep: read_image_usr')), NAMES));
    expect(parameter.format()).toMatch(/containerd-idmap\.yaml:\d+:\d+: passes\[1\]\.steps\[3\]\.sleep: unknown parameter `read_image_usr`.*Did you mean `read_image_user`/);
    const call = errorOf(() => loadLaunchModels(edited('runtimes', 'containerd-idmap', (t) => t.replace('    - call: move_mount\n', '    - call: move_mnt\n')), NAMES));
    expect(call.format()).toMatch(/unknown syscall or procedure `move_mnt`.*Did you mean `move_mount`/);
  });

  it('the walk seqlock must be a declared seqlock', () => {
    const error = errorOf(() => loadLaunchModels(edited('kernel', 'linux-6.12', (t) => t.replace('walks:\n  seqlock: mount_lock', 'walks:\n  seqlock: namespace_sem')), NAMES));
    expect(error.format()).toMatch(/walks\.seqlock: `namespace_sem` is a rwsem, not a seqlock/);
  });

  it('a procedure that calls itself is refused', () => {
    const error = errorOf(() => loadLaunchModels(edited('runtimes', 'containerd-idmap', (t) => t.replace('  idmap_bind_mount:\n    - call: open_tree_clone', '  idmap_bind_mount:\n    - call: idmapped_overlay\n    - call: open_tree_clone')), NAMES));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/circular call/);
  });

  it('a model is named, never given as a path', () => {
    const error = errorOf(() => loadLaunchModels(catalog, { ...NAMES, runtime: '../../etc/passwd' }));
    expect(error.format()).toMatch(/a runtime model is named, not given as a path/);
  });
});

describe('metric catalogue', () => {
  it('docs/metrics.md is current', () => {
    expect(readFileSync(join(REPO_ROOT, 'docs', 'metrics.md'), 'utf8'), 'run `npx tsx src/workloads/catalogue.ts`').toBe(metricsMarkdown());
  });
});
