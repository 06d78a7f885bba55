/**
 * Where model files live, found by name: `models/machines/<name>.yaml`,
 * `models/kernel/<name>.yaml`, `models/nodes/<name>.yaml`,
 * `models/runtimes/<name>.yaml`. One finder for every kind, so a name is
 * checked the same way everywhere: a model name is a name (letters, digits,
 * ".", "_", "-"), never a path, and an unknown one is an InputError listing
 * the known names with a did-you-mean.
 *
 * A catalog also remembers what has been loaded from it (`memo`), so a
 * command that resolves many scenarios reads each model file once. It is an
 * object the caller creates and passes along, not module state: a new
 * catalog reads the files again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './errors.js';
import { didYouMean } from './did-you-mean.js';

export type ModelKind = 'machines' | 'kernel' | 'nodes' | 'runtimes';

/** What one model of each kind is called in messages. */
const KIND_NOUN: Readonly<Record<ModelKind, string>> = { machines: 'machine family', kernel: 'kernel model', nodes: 'node model', runtimes: 'runtime model' };

const MODEL_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** A model name: what a file in models/<kind>/ may be called. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Walks up from `start` to the first directory holding package.json (the repository root). */
export function findRepoRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The repository (or installed package) root: data paths in model files are relative to it. */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url))) ?? process.cwd();

/** The repository's models/ folder. */
export const DEFAULT_MODELS_ROOT = join(REPO_ROOT, 'models');

export class ModelCatalog {
  private readonly loaded = new Map<string, unknown>();

  constructor(
    /** The folder holding machines/, kernel/, nodes/ and runtimes/. */
    readonly root: string = DEFAULT_MODELS_ROOT,
    /** Folders that replace `root/<kind>` for some kinds (e.g. a folder of machine files). */
    private readonly dirs: Partial<Readonly<Record<ModelKind, string>>> = {},
  ) {}

  dir(kind: ModelKind): string {
    return this.dirs[kind] ?? join(this.root, kind);
  }

  /** Names of the models of `kind`, sorted. */
  names(kind: ModelKind): string[] {
    const dir = this.dir(kind);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return [];
    }
    const names = new Set<string>();
    for (const entry of entries) {
      const extension = MODEL_EXTENSIONS.find((e) => entry.endsWith(e));
      if (extension === undefined || entry.startsWith('.')) continue;
      names.add(entry.slice(0, -extension.length));
    }
    return [...names].sort();
  }

  /** The file of model `name` of `kind`, if it exists (undefined for names that are not names). */
  find(kind: ModelKind, name: string): string | undefined {
    if (!MODEL_NAME_PATTERN.test(name) || name.length > 200) return undefined;
    for (const extension of MODEL_EXTENSIONS) {
      const file = join(this.dir(kind), `${name}${extension}`);
      if (existsSync(file)) return file;
    }
    return undefined;
  }

  /** The file of model `name` of `kind`; an unknown name is an InputError (field `path`, no file of its own). */
  file(kind: ModelKind, name: string, path: string = kind): string {
    const file = this.find(kind, name);
    if (file !== undefined) return file;
    const known = this.names(kind);
    const noun = KIND_NOUN[kind];
    if (!MODEL_NAME_PATTERN.test(name)) {
      throw new InputError(`a ${noun} is named, not given as a path`, {
        path,
        expected: `a name of letters, digits, ".", "_" and "-"${known.length > 0 ? `, one of ${known.join(', ')}` : ''}`,
        found: JSON.stringify(name),
        hint: didYouMean(name, known),
      });
    }
    throw new InputError(`unknown ${noun} \`${name}\``, {
      path,
      expected: known.length > 0 ? `one of ${known.map((k) => `\`${k}\``).join(', ')}` : `a model file in ${this.dir(kind)}`,
      found: `\`${name}\``,
      hint: didYouMean(name, known) ?? `add ${join(this.dir(kind), `${name}.yaml`)}`,
    });
  }

  /** `load()`'s result under `key`, computed once per catalog. */
  memo<T>(key: string, load: () => T): T {
    if (this.loaded.has(key)) return this.loaded.get(key) as T;
    const value = load();
    this.loaded.set(key, value);
    return value;
  }
}
