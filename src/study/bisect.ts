/**
 * Where a failure curve crosses its threshold, between two sweep points: a
 * bisection over container count. The caller knows a count that passes
 * (`lastPass`) and a larger one that fails (`firstFail`) and how to test a
 * count (same seeds every time, so the search is deterministic); this
 * halves the gap until it is at most `resolution` containers. `plan` uses it
 * for each family's limit, `run` for the report's failure onset.
 *
 * Failure rates need not be monotone in concurrency, so the answer is one
 * crossing bracketed to `resolution`, not a proof there is no other.
 */

export interface Bisection {
  /** Largest count found to pass (the input's lastPass if every midpoint failed). */
  readonly lastPass: number;
  /** Smallest count found to fail. */
  readonly firstFail: number;
  /** The counts tested, in order. */
  readonly tried: readonly number[];
}

/** The midpoint tested next: on a multiple of 5 when the gap allows (round numbers read better), else the plain middle. */
export function bisectionMidpoint(lo: number, hi: number): number {
  const round = Math.round((lo + hi) / 2 / 5) * 5;
  return round > lo && round < hi ? round : Math.floor((lo + hi) / 2);
}

export async function bisectOnset(lastPass: number, firstFail: number, passes: (count: number) => Promise<boolean>, resolution: number): Promise<Bisection> {
  if (!(lastPass < firstFail)) throw new RangeError(`bisection needs lastPass < firstFail, got ${lastPass} and ${firstFail}`);
  let lo = lastPass;
  let hi = firstFail;
  const tried: number[] = [];
  while (hi - lo > Math.max(1, resolution)) {
    const mid = bisectionMidpoint(lo, hi);
    if (mid <= lo || mid >= hi) break;
    tried.push(mid);
    if (await passes(mid)) lo = mid;
    else hi = mid;
  }
  return { lastPass: lo, firstFail: hi, tried };
}
