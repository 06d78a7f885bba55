import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Estimate, PointSummary, ScenarioSummary } from '../../src/analysis/summary.js';
import { InputError } from '../../src/input/errors.js';
import { DEFAULT_PAIRS, differenceWeakens, pairTable, parsePairs, runPairs, type MachinePair, type PairVariant } from '../../src/study/pairs.js';
import { pairTextTable, pairsCsv, pairsMarkdown, writePairsReport } from '../../src/study/pairs-report.js';
import { HARDWARE_MECHANISMS } from '../../src/launch/index.js';
import type { Basis } from '../../src/topology/index.js';

function estimate(mean: number): Estimate {
  return { mean, ci95: 0, perSeed: [mean] };
}

function summary(values: Readonly<Record<string, number>>): ScenarioSummary {
  const points: PointSummary[] = Object.entries(values).map(([machine, p50], index) => ({
    index,
    coordinates: { machine },
    machine,
    metrics: { p50LatencyS: estimate(p50) },
  }));
  return { scenario: 'pairs', seeds: ['1'], points };
}

const PAIRS: MachinePair[] = [
  { label: 'x vs y', a: 'x', b: 'y' },
  { label: 'y vs z', a: 'y', b: 'z' },
];

describe('pair arithmetic', () => {
  it('calls a difference weakened when its sign flips or it shrinks below half; growing is not weakening', () => {
    expect(differenceWeakens(2, 1.2)).toBe(false);
    expect(differenceWeakens(2, 0.9)).toBe(true);
    expect(differenceWeakens(2, 3.1)).toBe(false);
    expect(differenceWeakens(2, -0.1)).toBe(true);
    expect(differenceWeakens(-1, -1.4)).toBe(false);
    expect(differenceWeakens(-1, -0.4)).toBe(true);
  });

  const variants: PairVariant[] = [
    { summary: summary({ x: 10, y: 8, z: 7 }) },
    { mechanism: 'numaHandoffs', summary: summary({ x: 8.5, y: 8, z: 7 }) },
    { mechanism: 'fanOut', summary: summary({ x: 9, y: 7.5, z: 7.2 }) },
    { parameter: { name: 'fanOutRead', point: 'low' }, summary: summary({ x: 9, y: 8.8, z: 7 }) },
    { parameter: { name: 'missesInFlight', point: 'high' }, summary: summary({ x: 9.5, y: 8, z: 6.9 }) },
    { parameter: { name: 'dramLocal', point: 'high' }, summary: summary({ x: 11, y: 8, z: 8.1 }) },
  ];
  const bases = (_machine: string, parameter: string): Basis | undefined => (parameter === 'missesInFlight' ? 'published' : 'estimate');
  const rows = pairTable(PAIRS, variants, bases);

  it('gives each mechanism the share of the difference that goes away without it', () => {
    expect(rows[0].full).toEqual({ a: 10, b: 8, diff: 2 });
    expect(rows[0].mechanisms.map((m) => [m.mechanism, m.diff, m.share])).toEqual([
      ['numaHandoffs', 0.5, 0.75],
      ['fanOut', 1.5, 0.25],
    ]);
    // y vs z: the fan-out runs widen nothing but narrow the gap to 0.3 (share 0.7); NUMA leaves it (share 0).
    expect(rows[1].mechanisms.map((m) => m.share)).toEqual([0, expect.closeTo(0.7)]);
  });

  it('flags a difference that rests on one uncertain value, not on a published one', () => {
    // x vs y: fanOutRead low shrinks 2 to 0.2 (estimate: flagged); missesInFlight high shrinks it to 1.5 (not below half, and published).
    expect(rows[0].restsOn).toEqual(['fanOutRead']);
    // y vs z: fanOutRead low widens 1 to 1.8 (not flagged); dramLocal high flips it to -0.1.
    expect(rows[1].restsOn).toEqual(['dramLocal']);
    const published = pairTable(PAIRS, [variants[0], { parameter: { name: 'missesInFlight', point: 'low' }, summary: summary({ x: 8, y: 8.5, z: 7 }) }], bases);
    expect(published[0].trials[0].weakens).toBe(true);
    expect(published[0].restsOn).toEqual([]);
  });

  it('writes the table, the CSV and the markdown with the flags', () => {
    const study = { scenario: { name: 'pairs', points: [{ spec: { containers: 100 } }], source: {}, seeds: ['1'] }, pairs: PAIRS, rows, seeds: 1 } as never;
    const text = pairTextTable(study);
    expect(text.header).toEqual(['pair', 'a', 'b', 'p50 a (s)', 'p50 b (s)', 'diff (s)', 'numaHandoffs', 'fanOut', 'rests on']);
    expect(text.rows[0]).toEqual(['x vs y', 'x', 'y', '10.00', '8.00', '+2.00 (+25.0%)', '75%', '25%', 'fanOutRead (low: +0.20 s)']);
    expect(pairsMarkdown(study, 'locksim pairs')).toContain('| x vs y | x | y | 10.00 | 8.00 | +2.00 (+25.0%) | 75% | 25% | **fanOutRead** (low: +0.20 s) |');
    const csv = pairsCsv(study).split(/\r?\n/);
    expect(csv[0]).toBe('pair,a,b,variant,metric,valueA,valueB,diff,share,weakens');
    expect(csv).toContain('x vs y,x,y,numaHandoffs off,p50LatencyS,8.5,8,0.5,0.75,');
  });

  it('reads pairs as A:B and refuses anything else', () => {
    expect(parsePairs(undefined)).toEqual(DEFAULT_PAIRS);
    expect(parsePairs(['r5.metal:m7i.metal-24xl'])).toEqual([{ label: 'r5.metal vs m7i.metal-24xl', a: 'r5.metal', b: 'm7i.metal-24xl' }]);
    expect(() => parsePairs(['r5.metal'])).toThrow(InputError);
    expect(() => parsePairs(['a:b:c'])).toThrow(/A:B/);
  });
});

describe('runPairs', () => {
  it('loads a baseline, one variant per hardware mechanism and two per machine value, and runs them through the runner it is given', async () => {
    const seen: string[] = [];
    const study = await runPairs('scenarios/hardware-pairs.yaml', {
      pairs: [{ label: 'r5 vs m7a', a: 'r5.metal', b: 'm7a.24xlarge' }],
      seeds: 1,
      run: async (scenario) => {
        const spec = scenario.points[0].spec as unknown as { mechanisms: Record<string, boolean> };
        const off = Object.entries(spec.mechanisms).filter(([, on]) => !on).map(([name]) => name);
        const model = scenario.models.machines[scenario.points[0].spec.machineModel];
        const moved = Object.entries(model.parameters).filter(([, p]) => p.source.startsWith('override')).map(([name]) => name);
        seen.push([...off, ...moved].join(',') || 'baseline');
        return { summary: summary({ 'r5.metal': 9 + off.length, 'm7a.24xlarge': 8 }) };
      },
    });
    expect(seen[0]).toBe('baseline');
    expect(seen.slice(1, 1 + HARDWARE_MECHANISMS.length)).toEqual([...HARDWARE_MECHANISMS]);
    // Every machine value at both ends (dramRemote moves on r5 only; m7a has one node).
    expect(seen).toContain('missesInFlight');
    expect(seen.length).toBe(1 + HARDWARE_MECHANISMS.length + 2 * 7);
    expect(study.rows[0].full.diff).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'pairs-'));
    await writePairsReport(study, dir, { command: 'locksim pairs', version: 'test' });
    expect(readFileSync(join(dir, 'pairs.md'), 'utf8')).toContain('r5 vs m7a');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('Which hardware mechanism carries each family difference');
  });
});
