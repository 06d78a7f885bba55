import { describe, expect, it } from 'vitest';
import { pairsSection, type PairStudyDocument } from '../../src/report/run-report.js';

const study: PairStudyDocument = {
  scenario: 'hardware-pairs',
  seeds: 2,
  rows: [
    { pair: { label: 'r5 vs m7i', a: 'r5.metal', b: 'm7i.metal-24xl' }, full: { a: 8.86, b: 8.15, diff: 0.71 }, mechanisms: [{ mechanism: 'numaHandoffs', share: 0.86 }, { mechanism: 'fanOut' }], restsOn: [] },
    { pair: { label: 'HT', a: 'm7i.metal-24xl', b: 'm7i.metal-24xl+nosmt' }, full: { a: 8.15, b: 7.79, diff: 0.35 }, mechanisms: [{ mechanism: 'numaHandoffs', share: 0 }, { mechanism: 'fanOut', share: 0.17 }], restsOn: ['smtSlowdown'] },
    { pair: { label: 'g', a: 'm7g.metal', b: 'm8g.metal-24xl' }, full: { a: 1, b: 1, diff: 0 }, mechanisms: [], restsOn: [] },
  ],
};

describe('the run report\'s family-pair section', () => {
  it('shows the pairs whose machines the report compares, each mechanism\'s share and what the difference rests on', () => {
    const section = pairsSection(study, new Set(['r5.metal', 'm7a.24xlarge']), '../hardware-pairs/index.html')!;
    expect(section.title).toBe('Which hardware mechanism carries each family difference');
    expect(section.tables![0].columns).toEqual(['pair', 'p50 a (s)', 'p50 b (s)', 'diff (s)', 'numaHandoffs', 'fanOut', 'rests on']);
    expect(section.tables![0].rows).toEqual([['r5 vs m7i', '8.86', '8.15', '+0.71', '86%', 'n/a', '-']]);
    expect(section.paragraphs![0]).toContain('../hardware-pairs/index.html');
    expect(pairsSection(study, new Set(['m7i.metal-24xl+nosmt']), 'x')!.tables![0].rows[0].at(-1)).toBe('smtSlowdown');
    expect(pairsSection(study, new Set(['c7i.large']), 'x')).toBeUndefined();
  });
});
