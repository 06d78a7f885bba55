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
 *
 * Models are found on a search path, first match wins: folders given for a
 * kind (`dirs`), then the user's model folders (`extraRoots`: by default
 * LOCKSIM_MODELS_PATH, to which the CLI's `--models DIR` flags are
 * prepended), then the repository's models/. A user folder holds machines/,
 * kernel/, nodes/ and runtimes/ like models/ does, or machine files alone.
 * Whatever the path, a name is a name: a machine given as a path
 * (`./my-machine.yaml`) is read by the scenario loader, never looked up here.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
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

/** The environment variable naming the user's model folders (separated like PATH). */
export const MODELS_PATH_ENV = 'LOCKSIM_MODELS_PATH';

/** The user's model folders from the environment, absolute, in order. */
export function modelSearchPath(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return (env[MODELS_PATH_ENV] ?? '')
    .split(delimiter)
    .filter((entry) => entry.trim() !== '')
    .map((entry) => resolve(entry));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export class ModelCatalog {
  private readonly loaded = new Map<string, unknown>();

  constructor(
    /** The folder holding machines/, kernel/, nodes/ and runtimes/. */
    readonly root: string = DEFAULT_MODELS_ROOT,
    /** Folders searched first for some kinds (e.g. a folder of machine files). */
    private readonly dirs: Partial<Readonly<Record<ModelKind, string>>> = {},
    /** The user's model folders, searched before `root` (default: LOCKSIM_MODELS_PATH). */
    readonly extraRoots: readonly string[] = modelSearchPath(),
  ) {}

  /** The first folder searched for `kind` (where a new model would go). */
  dir(kind: ModelKind): string {
    return this.searchDirs(kind)[0];
  }

  /** Every folder searched for models of `kind`, in order. */
  searchDirs(kind: ModelKind): string[] {
    const dirs: string[] = [];
    const given = this.dirs[kind];
    if (given !== undefined) dirs.push(given);
    for (const extra of this.extraRoots) {
      const sub = join(extra, kind);
      if (isDirectory(sub)) dirs.push(sub);
      else if (kind === 'machines' && !isDirectory(join(extra, 'kernel')) && !isDirectory(join(extra, 'nodes')) && !isDirectory(join(extra, 'runtimes'))) dirs.push(extra);
    }
    dirs.push(join(this.root, kind));
    return [...new Set(dirs)];
  }

  /** Names of the models of `kind` on the search path, sorted. */
  names(kind: ModelKind): string[] {
    const names = new Set<string>();
    for (const dir of this.searchDirs(kind)) {
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      for (const entry of entries) {
        const extension = MODEL_EXTENSIONS.find((e) => entry.endsWith(e));
        if (extension === undefined || entry.startsWith('.')) continue;
        names.add(entry.slice(0, -extension.length));
      }
    }
    return [...names].sort();
  }

  /** The file of model `name` of `kind`, if it exists (undefined for names that are not names): the first on the search path. */
  find(kind: ModelKind, name: string): string | undefined {
    if (!MODEL_NAME_PATTERN.test(name) || name.length > 200) return undefined;
    for (const dir of this.searchDirs(kind)) {
      for (const extension of MODEL_EXTENSIONS) {
        const file = join(dir, `${name}${extension}`);
        if (existsSync(file)) return file;
      }
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
        hint:
          didYouMean(name, known) ??
          (kind === 'machines' ? 'A machine file of your own: write its path starting with ./ or / (relative to the scenario file), or add its folder with --models DIR or LOCKSIM_MODELS_PATH.' : undefined),
      });
    }
    throw new InputError(`unknown ${noun} \`${name}\``, {
      path,
      expected: known.length > 0 ? `one of ${known.map((k) => `\`${k}\``).join(', ')}` : `a model file in ${this.dir(kind)}`,
      found: `\`${name}\``,
      hint: didYouMean(name, known) ?? `add ${join(this.dir(kind), `${name}.yaml`)}${kind === 'machines' ? ', or give the file\'s path (./my-machine.yaml), or its folder with --models DIR' : ''}`,
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
