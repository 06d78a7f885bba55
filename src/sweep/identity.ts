/**
 * What makes two pieces of a sweep pieces of the same sweep.
 *
 * A checkpoint resumed and shards merged must come from the same resolved
 * scenario: same points, seeds, expectations and source. The file path is left
 * out on purpose, because the shards of one sweep may read the scenario from
 * different mounts (a Kubernetes volume, a CI checkout).
 */
import { createHash } from 'node:crypto';
import type { ResolvedScenario } from '../scenario/types.js';
import { canonicalJson } from '../input/json-codec.js';

/** sha256 (hex) of the resolved scenario without its file path. */
export function scenarioHash(scenario: ResolvedScenario): string {
  const { file: _file, ...identity } = scenario;
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}
