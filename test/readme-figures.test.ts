import { describe, expect, it } from 'vitest';
import { figureMismatches } from '../scripts/figures.js';

/**
 * The README shows charts from docs/figures/, drawn from the committed
 * reports/. Redraw them from those results with the code as it is now: a
 * chart change without regenerated figures fails here. (Regenerate with
 * `npx tsx scripts/regenerate-readme-figures.ts scenarios/netflix-case.yaml scenarios/fig10-pause-bench.yaml`.)
 */
describe('README figures', () => {
  it('match what the code draws from the committed results', async () => {
    expect(await figureMismatches(['scenarios/netflix-case.yaml', 'scenarios/fig10-pause-bench.yaml'])).toEqual([]);
  }, 120_000);
});
