// The planner's sections: prices from the machine models, a recommendation with its margin, known gaps and caveats from the models.
import { describe, expect, it } from 'vitest';
import { caveats, priceTable, recommendation } from '../../src/report/planning.js';
import { loadScenarioText } from '../../src/pipeline.js';
import type { SeriesOnset, SeriesPoint } from '../../src/charts/series.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';

const SCENARIO = loadScenarioText(
  `name: planning
machine: r5.metal
containers: 10
layers: 3
seeds: 2
sweep:
  machine: [r5.metal, m7a.24xlarge, m7g.metal]
  containers: [100, 200]
expect:
  - {metric: failureRate, where: {machine: r5.metal, containers: 100}, above: 0.05, knownGap: "the onset comes late"}
`,
  'planning.yaml',
);
const machineOf = (spec: LaunchPointSpec): string => SCENARIO.models.machines[spec.machineModel].name;
const priceOf = (name: string): number => Object.values(SCENARIO.models.machines).find((m) => m.name === name)!.priceUsdPerHour;

/** Hand-made failure rates: r5 fails at 200, m7a and m7g never. */
const FAILURES: Record<string, Record<number, number>> = { 'r5.metal': { 100: 0, 200: 0.4 }, 'm7a.24xlarge': { 100: 0, 200: 0 }, 'm7g.metal': { 100: 0, 200: 0.2 } };
const POINTS: SeriesPoint[] = SCENARIO.points.map((point) => {
  const spec = point.spec as LaunchPointSpec;
  const machine = machineOf(spec);
  const rate = FAILURES[machine][spec.containers];
  return { point, machine, runs: [], series: machine, x: spec.containers, summary: { index: point.index, coordinates: point.coordinates, machine, metrics: { failureRate: { mean: rate, ci95: 0, perSeed: [rate, rate] } } } };
});
const ONSETS: SeriesOnset[] = [
  { series: 'r5.metal', machine: 'r5.metal', coordinates: { machine: 'r5.metal', containers: 100 }, xKey: 'containers', metric: 'failureRate', threshold: 0.05, lastPass: 160, firstFail: 170, steps: [] },
];

describe('the planning section', () => {
  it('lists each family’s price with its source and date, cheapest first, marked while an estimate', () => {
    const table = priceTable(POINTS, SCENARIO.models)!;
    expect(table.columns).toEqual(['family', 'CPU', 'arch', '$/hour', '$/month', 'price date', 'price source']);
    expect(table.rows.map((r) => r[0])).toEqual(['m7g.metal', 'm7a.24xlarge', 'r5.metal'].sort((a, b) => priceOf(a) - priceOf(b)));
    const r5 = table.rows.find((r) => r[0] === 'r5.metal')!;
    expect(r5[3]).toBe(`${priceOf('r5.metal').toFixed(3)}*`);
    expect(r5[4]).toBe(`${Math.round(priceOf('r5.metal') * 730).toLocaleString('en-US')}*`);
    expect(table.rows.find((r) => r[0] === 'm7g.metal')![2]).toBe('arm64');
  });

  it('recommends the family that launches the most below the threshold, with its margin over the next', () => {
    const text = recommendation(POINTS, ONSETS, SCENARIO.models, { metric: 'failureRate', threshold: 0.05 }, 'containers')!;
    expect(text).toMatch(/^Recommended: m7a\.24xlarge\. It keeps failed launches at or below 5% up to at least 200 containers \(no point of the sweep failed\)/);
    // r5's onset came from the bisection (160 passes, 170 fails); m7g fails at 200 with no bisection: 100.
    expect(text).toContain('Margin: +40 containers over the next, r5.metal (160 containers, failing from 170');
    expect(recommendation(POINTS, ONSETS, SCENARIO.models, undefined, 'containers')).toBeUndefined();
  });

  it('says there is no margin when the next family reaches as far, and that the price chose', () => {
    const failing = POINTS.filter((p) => p.series !== 'm7a.24xlarge');
    const onsets: SeriesOnset[] = ['r5.metal', 'm7g.metal'].map((machine) => ({ ...ONSETS[0], series: machine, machine, coordinates: { machine, containers: 100 } }));
    const [cheap, dear] = ['r5.metal', 'm7g.metal'].sort((a, b) => priceOf(a) - priceOf(b));
    const text = recommendation(failing, onsets, SCENARIO.models, { metric: 'failureRate', threshold: 0.05 }, 'containers')!;
    expect(text).toContain(`Recommended: ${cheap}.`);
    expect(text).toContain(`No margin: ${dear} (160 containers, failing from 170, $${priceOf(dear).toFixed(3)}/hour) reaches as far; ${cheap} is chosen as the cheaper.`);
    expect(text).not.toContain('Margin: +0');
  });

  it('lists the scenario’s known gaps and every calibrated parameter of its models', () => {
    const { gaps, table, estimates } = caveats(SCENARIO.expectations, SCENARIO.models);
    expect(gaps).toEqual(['failureRate @ machine=r5.metal, containers=100 > 0.05: the onset comes late']);
    const launch = Object.values(SCENARIO.models.launch)[0];
    const calibrated = [...Object.values(launch.kernel.parameters), ...Object.values(launch.node.parameters), ...Object.values(launch.node.environmentParameters)].filter((p) => p.calibrated).map((p) => p.name);
    expect(calibrated.length).toBeGreaterThan(0);
    expect(table!.rows.map((r) => r[0]).sort()).toEqual([...new Set(calibrated)].sort());
    for (const line of estimates) expect(line).toMatch(/^(r5\.metal|m7a\.24xlarge|m7g\.metal) \S+ \((estimate|calibrated)\): /);
  });
});
