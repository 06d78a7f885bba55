import { describe, expect, it } from 'vitest';
import type { Estimate, ScenarioSummary } from '../../src/analysis/summary.js';
import type { CheckRow } from '../../src/check/expect.js';
import { InputError } from '../../src/input/errors.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';
import {
  formatParameterValue,
  parseRangePoints,
  rangePointValue,
  runSensitivity,
  sensitivityCsvRows,
  sensitivityMarkdown,
  summarizeSensitivity,
  sweptParameters,
  targetOf,
  targetVerdict,
  type SensitivityInput,
  type TargetResult,
} from '../../src/study/sensitivity.js';
import { newCatalog } from '../../src/pipeline.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';

function row(expectation: string, passed: boolean, knownGap?: string): CheckRow {
  return { scenario: 'fake', expectation, expected: '', got: passed ? 'ok' : 'bad', passed, ...(knownGap === undefined ? {} : { knownGap }) };
}

const HOLDS: CheckRow[] = [row('a', true), row('b', true)];
const GAP: CheckRow[] = [row('a', true), row('b', false, 'known')];
const FAILS: CheckRow[] = [row('a', false), row('b', true)];

function results(verdicts: Record<string, CheckRow[]>): TargetResult[] {
  return Object.entries(verdicts).map(([target, rows]) => ({ target, rows }));
}

describe('sensitivity verdicts', () => {
  it('reads the target from the check scenario name', () => {
    expect(targetOf('r2-small-scale')).toBe('R2');
    expect(targetOf('r10-time-breakdown')).toBe('R10');
    expect(targetOf('netflix-case')).toBeUndefined();
  });

  it('holds, gap (only known gaps fail) or fails', () => {
    expect(targetVerdict(HOLDS)).toBe('holds');
    expect(targetVerdict(GAP)).toBe('gap');
    expect(targetVerdict(FAILS)).toBe('fails');
    expect(targetVerdict([...GAP, ...FAILS])).toBe('fails');
  });

  it('writes values back with units that parse to the same ns', () => {
    expect(formatParameterValue(500, true)).toBe('500 ns');
    expect(formatParameterValue(5000, true)).toBe('5 us');
    expect(formatParameterValue(300000, true)).toBe('300 us');
    expect(formatParameterValue(1234567, true)).toBe('1234567 ns');
    expect(formatParameterValue(0.2, false)).toBe('0.2');
  });

  it('places low, mid and high in a range', () => {
    const duration = { name: 'rcu_gp_base', value: 300000, range: [50000, 1000000] as const, isDuration: true };
    expect(rangePointValue(duration, 'low')).toBe(50000);
    expect(rangePointValue(duration, 'high')).toBe(1000000);
    // A range over a decade or more: geometric mean.
    expect(rangePointValue(duration, 'mid')).toBe(220000);
    expect(rangePointValue({ name: 'runc_setup_mounts', value: 25, range: [10, 40], isDuration: false }, 'mid')).toBe(25);
    expect(parseRangePoints(undefined)).toEqual(['low', 'high']);
    expect(parseRangePoints(['high,low', 'mid'])).toEqual(['low', 'mid', 'high']);
    expect(() => parseRangePoints(['hgih'])).toThrow(InputError);
  });
});

describe('summarizeSensitivity', () => {
  const input: SensitivityInput = {
    parameters: [
      { name: 'ml_section', value: 5000, range: [500, 5000], isDuration: true },
      { name: 'ns_work', value: 1000, range: [300, 3000], isDuration: true },
      { name: 'launch_jitter', value: 0.2, range: [0, 0.5], isDuration: false },
    ],
    defaults: results({ R3: HOLDS, R10: GAP, R8: HOLDS }),
    trials: [
      // ml_section's default is its high end: only low was run.
      { parameter: 'ml_section', point: 'low', value: 500, results: results({ R3: FAILS, R10: GAP }) },
      { parameter: 'ns_work', point: 'low', value: 300, results: results({ R3: HOLDS, R10: FAILS }) },
      { parameter: 'ns_work', point: 'high', value: 3000, results: results({ R3: FAILS, R10: GAP }) },
      { parameter: 'launch_jitter', point: 'low', value: 0, results: results({ R3: HOLDS, R10: GAP }) },
      { parameter: 'launch_jitter', point: 'high', value: 0.5, results: results({ R3: HOLDS, R10: HOLDS }) },
    ],
  };
  const table = summarizeSensitivity(input);

  it('orders targets by number and tested values ascending, default included', () => {
    expect(table.targets).toEqual(['R3', 'R8', 'R10']);
    expect(table.rows.map((r) => `${r.parameter}=${r.valueText} ${r.point}`)).toEqual([
      'ml_section=500 ns low',
      'ml_section=5 us default',
      'ns_work=300 ns low',
      'ns_work=1 us default',
      'ns_work=3 us high',
      'launch_jitter=0 low',
      'launch_jitter=0.2 default',
      'launch_jitter=0.5 high',
    ]);
    expect(table.rows[1].atRangeEnd).toBe('high');
  });

  it('gives each value a verdict per target; a target a trial did not re-run keeps the default verdict', () => {
    const ns = table.rows.filter((r) => r.parameter === 'ns_work');
    expect(ns.map((r) => r.verdicts)).toEqual([
      { R3: 'holds', R8: 'holds', R10: 'fails' },
      { R3: 'holds', R8: 'holds', R10: 'gap' },
      { R3: 'fails', R8: 'holds', R10: 'gap' },
    ]);
    expect(ns[0].failing.R10).toEqual(['a: got bad']);
  });

  it('reports the range over which each target holds', () => {
    const ml = table.robustness.find((r) => r.parameter === 'ml_section')!;
    expect(ml.rangeText).toBe('500 ns .. 5 us');
    expect(ml.holding.R3).toMatchObject({ verdictAtDefault: 'holds', low: 5000, high: 5000, failsAt: [500], wholeRange: false, text: '5 us (fails at 500 ns)' });
    expect(ml.holding.R10).toMatchObject({ verdictAtDefault: 'gap', low: 500, high: 5000, wholeRange: true, text: '500 ns .. 5 us (all)' });
    const ns = table.robustness.find((r) => r.parameter === 'ns_work')!;
    expect(ns.holding.R3.text).toBe('300 ns .. 1 us (fails at 3 us)');
    expect(ns.holding.R10.text).toBe('1 us .. 3 us (fails at 300 ns)');
    expect(table.robustness.find((r) => r.parameter === 'launch_jitter')!.holding.R3.text).toBe('0 .. 0.5 (all)');
  });

  it('shows a machine parameter by the ends of each family\'s own range', () => {
    const machine = summarizeSensitivity({
      parameters: [{ name: 'machine.fanOutRead', value: 0, range: [-1, 1], isDuration: false, perFamily: true }],
      defaults: results({ R4: HOLDS }),
      trials: [
        { parameter: 'machine.fanOutRead', point: 'low', value: -1, results: results({ R4: HOLDS }) },
        { parameter: 'machine.fanOutRead', point: 'high', value: 1, results: results({ R4: FAILS }) },
      ],
    });
    expect(machine.rows.map((r) => `${r.valueText} ${r.point}`)).toEqual(['low low', 'files default', 'high high']);
    expect(machine.robustness[0].rangeText).toBe('low .. high');
    expect(machine.robustness[0].holding.R4.text).toBe('low .. files (fails at high)');
    expect(rangePointValue({ name: 'machine.fanOutRead', value: 0, range: [-1, 1], isDuration: false, perFamily: true }, 'high')).toBe(1);
  });

  it('says so when a target fails at the default', () => {
    const t = summarizeSensitivity({
      parameters: [{ name: 'ns_work', value: 1000, range: [300, 3000], isDuration: true }],
      defaults: results({ R6: FAILS }),
      trials: [{ parameter: 'ns_work', point: 'low', value: 300, results: results({ R6: HOLDS }) }],
    });
    expect(t.robustness[0].holding.R6).toMatchObject({ verdictAtDefault: 'fails', text: 'fails at default; holds at 300 ns' });
  });

  it('renders a markdown table for the README and long-form CSV rows', () => {
    const md = sensitivityMarkdown(table, { seeds: 1, command: 'locksim sensitivity' });
    expect(md).toContain('| parameter | default | range | R3 holds over | R8 holds over | R10 holds over |');
    expect(md).toContain('| `ns_work` | 1 us | 300 ns .. 3 us | 300 ns .. 1 us (fails at 3 us) | 300 ns .. 3 us (all) | 1 us .. 3 us (fails at 300 ns) |');
    expect(md).toContain('| `ml_section` | default (= high) | 5 us | holds | holds | gap |');
    expect(md).toContain('| `ml_section` | low | 500 ns | **fails** | holds | gap |');
    expect(md).toContain('- `ml_section` = 500 ns (low), R3: a: got bad');
    const csv = sensitivityCsvRows(table);
    expect(csv).toHaveLength(table.rows.length * table.targets.length);
    expect(csv[0]).toEqual({ parameter: 'ml_section', point: 'low', value: 500, valueText: '500 ns', target: 'R3', verdict: 'fails', failing: 'a: got bad' });
  });
});

describe('runSensitivity', () => {
  function estimate(mean: number): Estimate {
    return { mean, ci95: 0, perSeed: [mean] };
  }

  it('sweeps calibrated kernel and node parameters by default, or the named ones', () => {
    const all = sweptParameters(newCatalog(), { kernel: 'linux-6.12', node: 'k8s-node' });
    expect(all.length).toBeGreaterThan(5);
    expect(all.every((p) => p.calibrated)).toBe(true);
    expect(sweptParameters(newCatalog(), { kernel: 'linux-6.12', node: 'k8s-node' }, ['ml_section']).map((p) => p.name)).toEqual(['ml_section']);
    expect(() => sweptParameters(newCatalog(), { kernel: 'linux-6.12', node: 'k8s-node' }, ['ml_sectoin'])).toThrow(InputError);
  });

  it('sets each value with --set, reuses the default at a range end, and runs pause_bench checks once', async () => {
    const seen: ResolvedScenario[] = [];
    // A fake run: every launch point spins 95% of its time, the mount path is 5% of containerd's launch CPU and costs
    // 1 s per container before the common-parent fix and 0.1 s after; pause_bench latencies follow the machine list order.
    const run = async (scenario: ResolvedScenario): Promise<{ summary: ScenarioSummary }> => {
      seen.push(scenario);
      return {
        summary: {
          scenario: scenario.name,
          seeds: [...scenario.seeds],
          points: scenario.points.map((point) => ({
            index: point.index,
            coordinates: point.coordinates,
            machine: String(point.coordinates.machine ?? 'r5.metal'),
            metrics: { lockWaitingShare: estimate(0.95), mountPathShare: estimate(0.05), mountPathCpuPerContainerS: estimate(point.coordinates.runtime === 'containerd-common-parent' ? 0.1 : 1), latencyNs: estimate(1000 - point.index) },
          })),
        },
      };
    };
    const progress: string[] = [];
    const study = await runSensitivity({
      checks: ['scenarios/checks/r10-time-breakdown.yaml', 'scenarios/checks/r8-pause-bench.yaml', 'scenarios/checks/r1-mount-ops.yaml'],
      parameters: ['ml_section'],
      run,
      onEvaluation: (e) => progress.push(`${e.done}/${e.total} ${e.parameter ?? '-'} ${e.valueText} ${e.target} ${e.verdict}`),
    });
    // Defaults for R8 and R10 (R1 is not a sensitivity target), then ml_section low on R10 only: its default is its high end.
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.seeds.length === 1)).toBe(true);
    const low = seen[2];
    expect(low.name).toBe('r10-time-breakdown');
    expect(low.points.every((p) => p.spec.kind === 'launch' && (p.spec as LaunchPointSpec).parameters.ml_section === 500)).toBe(true);
    expect(progress.at(-1)).toMatch(/^3\/3 ml_section 500 ns R10 /);
    expect(study.parameterFree).toEqual(['R8']);
    expect(study.table.targets).toEqual(['R8', 'R10']);
    expect(study.table.rows.map((r) => r.valueText)).toEqual(['500 ns', '5 us']);
    // R10's idmap share (0.95, a known gap at the defaults) holds, and so do the common-parent share and the 10x CPU drop.
    expect(study.table.rows[0].verdicts.R10).toBe('holds');
  });
});
