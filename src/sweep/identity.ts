/**
 * What makes two pieces of a sweep pieces of the same sweep.
 *
 * A checkpoint resumed and shards merged must come from the same resolved
 * scenario: same points, seeds, expectations, source, and the same models.
 * Models enter by their content hashes (which the points name), so an edited
 * model file changes the hash and a resume or merge across the edit is
 * refused. Paths are left out on purpose (the scenario's own, and those the
 * models were read from), because the shards of one sweep may read them from
 * different mounts (a Kubernetes volume, a CI checkout).
 */
import { createHash } from 'node:crypto';
import type { ResolvedScenario } from '../scenario/types.js';
import { canonicalJson } from '../input/json-codec.js';

/** sha256 (hex) of the resolved scenario without its file path, models by their content hashes. */
export function scenarioHash(scenario: ResolvedScenario): string {
  const { file: _file, models, ...identity } = scenario;
  const modelHashes = { machines: Object.keys(models.machines).sort(), launch: Object.keys(models.launch).sort() };
  return createHash('sha256').update(canonicalJson({ ...identity, models: modelHashes })).digest('hex');
}

/** The models' content hashes, for checkpoint headers and messages. */
export function modelHashes(scenario: Pick<ResolvedScenario, 'models'>): string[] {
  return [...Object.keys(scenario.models.machines), ...Object.keys(scenario.models.launch)].sort();
}

/** When two hashes differ, whether the models are why: "the models changed (…)", else undefined. */
export function modelChange(expected: readonly string[], found: readonly string[] | undefined): string | undefined {
  if (found === undefined) return undefined;
  const gone = expected.filter((h) => !found.includes(h));
  const added = found.filter((h) => !expected.includes(h));
  if (gone.length === 0 && added.length === 0) return undefined;
  return `the models differ (now ${gone.join(', ') || 'none'}; then ${added.join(', ') || 'none'}): a model file was edited in between`;
}
