import { describe, expect, it } from 'vitest';
import { figureMismatches } from '../scripts/figures.js';

/**
 * The README shows charts from docs/figures/, drawn from the committed
 * reports/. Redraw them from those results with the code as it is now: a
 * chart change without regenerated figures fails here. (Regenerate with
 * `npx tsx scripts/regenerate-readme-figures.ts SCENARIO...` with the files below.)
 */
const README_SCENARIOS = [
  'scenarios/netflix-case.yaml',
  'scenarios/fig10-pause-bench.yaml',
  // "Your own lock question"
  'scenarios/own-question/qspinlock-vs-ticket.yaml',
  'scenarios/validation/md1n-closed.yaml',
  'scenarios/own-question/lookups-vs-mounts.yaml',
];

describe('README figures', () => {
  it('match what the code draws from the committed results', async () => {
    expect(await figureMismatches(README_SCENARIOS)).toEqual([]);
  }, 120_000);
});
