/**
 * JSON for results that leave the process (checkpoint lines, shard partials).
 *
 * A resumed or merged sweep must give the same bytes as one uninterrupted run,
 * so what goes to disk must come back as the same values. Plain JSON turns
 * NaN and ±Infinity into null, and a statistic computed from null is not the
 * statistic computed from NaN; so non-finite numbers travel as a tagged object
 * `{"$nonFinite":"NaN"}`. Keys whose value is undefined are dropped, exactly as
 * the final JSON.stringify of a run drops them, so they change no bytes.
 */

const TAG = '$nonFinite';

function encodeNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return { [TAG]: String(value) };
  return value;
}

function decodeNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === TAG) {
      const text = (value as Record<string, unknown>)[TAG];
      if (text === 'NaN') return Number.NaN;
      if (text === 'Infinity') return Number.POSITIVE_INFINITY;
      if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    }
  }
  return value;
}

/** JSON text that `decodeJson` turns back into the same numbers, NaN and ±Infinity included. */
export function encodeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, encodeNonFinite, indent);
}

export function decodeJson(text: string): unknown {
  return JSON.parse(text, decodeNonFinite) as unknown;
}

/**
 * JSON with object keys sorted, for hashing: two loads of the same scenario
 * hash alike even if a loader builds its objects in another key order.
 */
export function canonicalJson(value: unknown): string {
  return encodeJson(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}
