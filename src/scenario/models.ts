/**
 * The models a resolved scenario runs on, stored once and referred to by
 * content hash: machine models (the family's data, cost tables included) and
 * launch model sets (kernel, node and runtime resolved together, overrides
 * applied). Points name the hash; resolved.json stores the values; a worker
 * builds its topology and links its recipes from them without reading a file.
 *
 * The hash covers a model's content, not where it was read from: keys named
 * `file` are left out, so the same model read from two checkouts (the shards
 * of one sweep on two machines) hashes alike, and an edited model does not.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import { canonicalJson } from '../input/json-codec.js';
import type { LaunchModels } from '../models/types.js';
import type { MachineModel } from '../topology/index.js';

export interface ResolvedModels {
  /** Machine family models by content hash. */
  readonly machines: Readonly<Record<string, MachineModel>>;
  /** Kernel + node + runtime model sets by content hash. */
  readonly launch: Readonly<Record<string, LaunchModels>>;
}

export const NO_MODELS: ResolvedModels = { machines: {}, launch: {} };

/** A copy of `value` with every value under a key named `file` mapped by `map` (undefined leaves the key out). */
function mapFiles(value: unknown, map: (file: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((inner) => mapFiles(inner, map));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const mapped = key === 'file' ? map(inner) : mapFiles(inner, map);
      if (mapped !== undefined) out[key] = mapped;
    }
    return out;
  }
  return value;
}

const withoutFiles = (value: unknown): unknown => mapFiles(value, () => undefined);

/** A path relative to `base` when it lies under it, with / separators; otherwise as it was. */
function relativeTo(base: string, file: unknown): unknown {
  if (typeof file !== 'string' || !isAbsolute(file)) return file;
  const rel = relative(base, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
}

/**
 * The models with every `file` under `base` written relative to it, so a
 * stored document names `models/machines/r5.metal.yaml`, not the folder of the
 * checkout it ran in. Hashes are unchanged: they leave `file` out.
 */
export function withRelativeFiles(models: ResolvedModels, base: string): ResolvedModels {
  return mapFiles(models, (file) => relativeTo(base, file)) as ResolvedModels;
}

/** sha256 (hex, 16 characters) of a model's content, paths left out. */
export function modelHash(model: unknown): string {
  return createHash('sha256').update(canonicalJson(withoutFiles(model))).digest('hex').slice(0, 16);
}

/** Collects the models of one resolve, each once. */
export class ModelTable {
  private readonly machines = new Map<string, MachineModel>();
  private readonly launch = new Map<string, LaunchModels>();
  private readonly hashes = new WeakMap<object, string>();

  addMachine(model: MachineModel): string {
    return this.add(this.machines, model);
  }

  addLaunch(models: LaunchModels): string {
    return this.add(this.launch, models);
  }

  /** Only the models some point uses, keys sorted. */
  models(): ResolvedModels {
    const sorted = <T>(map: Map<string, T>): Record<string, T> => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { machines: sorted(this.machines), launch: sorted(this.launch) };
  }

  private add<T extends object>(map: Map<string, T>, model: T): string {
    let hash = this.hashes.get(model);
    if (hash === undefined) {
      hash = modelHash(model);
      this.hashes.set(model, hash);
    }
    if (!map.has(hash)) map.set(hash, model);
    return hash;
  }
}

/** What a reader of a scenario's results should be warned of: each machine model's warnings, once. */
export function machineWarnings(scenarios: readonly { readonly models: ResolvedModels }[]): string[] {
  const warnings = new Set<string>();
  for (const scenario of scenarios) for (const machine of Object.values(scenario.models.machines)) for (const warning of machine.warnings ?? []) warnings.add(warning);
  return [...warnings];
}
