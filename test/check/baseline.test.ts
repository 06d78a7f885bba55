import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselinePath, compareBaseline, describeDiff, formatBaseline, baselineFromSummary, parseBaseline, readBaseline, writeBaseline } from '../../src/check/baseline.js';
import { InputError } from '../../src/input/errors.js';
import { loadScenarioText } from '../../src/pipeline.js';
import { summaryOf } from './support.js';

const TEXT = `name: drift
machine: r5.metal
containers: 10
layers: 5
seeds: 2
sweep: {containers: [10, 100]}
`;

describe('baselines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-baseline-'));
  const scenario = { ...loadScenarioText(TEXT, join(dir, 'drift.yaml')) };
  const before = summaryOf(scenario, (c) => ({ p50LatencyS: c.containers === 10 ? [1, 1] : [10, 12], failureRate: [0, 0], p99LatencyS: c.containers === 10 ? [2, 2] : [Infinity, 30] }));

  it('records per-point means with sorted keys, next to the scenario, atomically', async () => {
    const file = await writeBaseline(scenario, before);
    expect(file).toBe(join(dir, 'baselines', 'drift.json'));
    expect(baselinePath(scenario)).toBe(file);
    expect(readdirSync(join(dir, 'baselines'))).toEqual(['drift.json']);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(formatBaseline(baselineFromSummary(before)));
    expect(JSON.parse(text)).toEqual({
      points: {
        'containers=10': { failureRate: 0, p50LatencyS: 1, p99LatencyS: 2 },
        'containers=100': { failureRate: 0, p50LatencyS: 11, p99LatencyS: 'Infinity' },
      },
      scenario: 'drift',
      seeds: ['1', '2'],
    });
    expect(text.indexOf('"points"')).toBeLessThan(text.indexOf('"scenario"'));
  });

  it('compares later runs with a relative tolerance and a readable diff', async () => {
    const baseline = await readBaseline(scenario);
    expect(baseline).toBeDefined();
    const now = summaryOf(scenario, (c) => ({ p50LatencyS: c.containers === 10 ? [1.04, 1.04] : [12, 12.2], failureRate: c.containers === 10 ? [0, 0] : [0.1, 0.1], p99LatencyS: c.containers === 10 ? [2, 2] : [Infinity, 31] }));
    const diffs = compareBaseline(baseline!, now, 0.05);
    expect(diffs.filter((d) => !d.passed).map(describeDiff)).toEqual(['failureRate @ containers=100: 0 -> 0.1 (+inf%)', 'p50LatencyS @ containers=100: 11 -> 12.1 (+10.0%)']);
    expect(diffs.filter((d) => d.passed).map((d) => `${d.metric} @ ${d.point}`)).toEqual([
      'failureRate @ containers=10',
      'p50LatencyS @ containers=10',
      'p99LatencyS @ containers=10',
      'p99LatencyS @ containers=100',
    ]);
    expect(compareBaseline(baseline!, now, 0.1).filter((d) => !d.passed)).toHaveLength(1);
  });

  it('fails a metric or point that vanished', async () => {
    const baseline = (await readBaseline(scenario))!;
    const now = summaryOf(scenario, () => ({ p50LatencyS: [1, 1] }));
    const gone = compareBaseline(baseline, now).filter((d) => d.now === undefined);
    expect(gone.map(describeDiff)).toContain('failureRate @ containers=10: 0 -> missing (gone)');
  });

  it('has no baseline until one is recorded, and refuses a malformed one', async () => {
    expect(await readBaseline({ file: join(dir, 'other.yaml'), name: 'other' })).toBeUndefined();
    writeFileSync(join(dir, 'baselines', 'broken.json'), '{"scenario": 1}');
    await expect(readBaseline({ file: join(dir, 'broken.yaml'), name: 'broken' })).rejects.toBeInstanceOf(InputError);
    expect(() => parseBaseline('not json', 'x.json')).toThrow(InputError);
  });
});
