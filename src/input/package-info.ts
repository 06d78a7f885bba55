/**
 * What locksim says about itself in every document it writes: its version,
 * read from its own package.json (the one next to src/ or dist/, found by
 * walking up from this module), never from the project that installed it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './catalog.js';

let cached: string | undefined;

/** The version in locksim's package.json ("unknown" if it cannot be read). */
export function locksimVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const text = readFileSync(join(REPO_ROOT, 'package.json'), 'utf8');
    const parsed = JSON.parse(text) as { name?: string; version?: string };
    cached = parsed.name === 'locksim' && typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}

/**
 * The version of every machine-readable output's layout (summary.json,
 * results.json, --json, check, plan, diff). Raised when a field is renamed,
 * removed or changes meaning; adding a field keeps it. The JSON Schemas in
 * schemas/ describe this version.
 */
export const OUTPUT_SCHEMA_VERSION = 1 as const;

/** The head every machine-readable output starts with. */
export interface OutputHead {
  readonly schemaVersion: typeof OUTPUT_SCHEMA_VERSION;
  readonly locksim: { readonly version: string };
}

export function outputHead(): OutputHead {
  return { schemaVersion: OUTPUT_SCHEMA_VERSION, locksim: { version: locksimVersion() } };
}
