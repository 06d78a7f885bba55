import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { ablationSpec } from '../../src/charts/ablation.js';
import { failureCurveSpec } from '../../src/charts/failure-curve.js';
import { handoffsSpec } from '../../src/charts/handoffs.js';
import { latencyCurveSpec } from '../../src/charts/latency-curve.js';
import { machineColorScale, seriesColours, machineDomain } from '../../src/charts/theme.js';
import { mountTableSpec } from '../../src/charts/mount-table.js';
import { pauseBenchSpec } from '../../src/charts/pause-bench.js';
import { renderChart } from '../../src/report/render.js';
import { timeBreakdownSpec } from '../../src/charts/time-breakdown.js';
import { ablationRows, failureRows, handoffRows, latencyRows, mountTableRows, pauseBenchRows, timeBreakdownRows } from './sample-rows.js';

const specs: [string, TopLevelSpec, string[]][] = [
  ['latency curve', latencyCurveSpec(latencyRows, { deadlineS: 30 }), ['Launch latency (s)', 'Concurrent container launches', 'health-check deadline 30 s']],
  ['failure curve', failureCurveSpec(failureRows, { thresholdRate: 0.05 }), ['Failed launches (%)', '5% failure threshold']],
  ['pause_bench', pauseBenchSpec(pauseBenchRows), ['Latency per acquisition (ns)', 'Threads']],
  ['pause_bench, log y', pauseBenchSpec(pauseBenchRows, { logY: true }), ['Latency per acquisition (ns, log scale)']],
  ['time breakdown', timeBreakdownSpec(timeBreakdownRows), ['CPU time (s)', 'spinning on mount_lock']],
  ['time breakdown, shares', timeBreakdownSpec(timeBreakdownRows, { asShares: true }), ['Share of CPU time (%)']],
  ['handoffs', handoffsSpec(handoffRows), ['Lock handoffs (count)', 'cross socket']],
  ['mount table', mountTableSpec(mountTableRows), ['Mounts in the table (count)', 'Simulated time (s)']],
  ['ablation', ablationSpec(ablationRows), ['p50 launch latency (s)', 'home-agent queue']],
];

describe('chart specs', () => {
  let warnings: unknown[][];
  beforeEach(() => {
    warnings = [];
    // vega-lite reports dropped encodings and invalid combinations through console.warn.
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(specs)('%s compiles and renders to SVG with its titles, without vega-lite warnings', async (_name, spec, expectedTexts) => {
    const { svg, png } = await renderChart(spec, 1);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of expectedTexts) expect(svg).toContain(text);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(warnings).toEqual([]);
  });

  it('specs are plain JSON (they are written next to the chart as .vl.json)', () => {
    // Fresh specs: rendering lets vega tag data objects with a symbol id, which JSON drops anyway.
    for (const spec of [latencyCurveSpec(latencyRows), timeBreakdownSpec(timeBreakdownRows), ablationSpec(ablationRows)]) {
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    }
  });

  it('does not keep references to the caller\'s rows', () => {
    const rows = [{ machine: 'a', containers: 1, p50LatencyS: 1, p90LatencyS: 2, p99LatencyS: 3 }];
    const spec = latencyCurveSpec(rows);
    rows[0].p50LatencyS = 99;
    expect((spec as { data: { values: unknown[] } }).data.values).toEqual([{ machine: 'a', containers: 1, p50LatencyS: 1, p90LatencyS: 2, p99LatencyS: 3 }]);
  });

  it('gives each machine the same colour in every chart, whatever the row order', () => {
    const fromLatency = machineDomain([...latencyRows].reverse());
    const fromHandoffs = machineDomain(handoffRows, fromLatency);
    expect(fromLatency).toEqual(['m7a.24xlarge', 'm7i.metal-24xl', 'r5.metal']);
    expect(fromHandoffs).toEqual(fromLatency);
    // Each family its own colour: m7a green, m7i orange, r5 blue, whatever the order.
    expect(machineColorScale(fromLatency).range).toEqual(['#54a24b', '#f58518', '#4c78a8']);
    expect(machineColorScale(['r5.metal']).range).toEqual(['#4c78a8']);
  });

  it('keeps a family’s colour across reports, and gives a second series of a family a colour no family claims', () => {
    expect(seriesColours(['m7a.24xlarge', 'r5.metal, docker-shifted', 'r5.metal, containerd-idmap', 'x9.metal'])).toEqual(['#54a24b', '#4c78a8', '#eeca3b', '#ff9da6']);
    expect(seriesColours(['m7i.metal-24xl+ht-off', 'm7i.metal-24xl'])).toEqual(['#f58518', '#eeca3b']);
  });

  it('a given machine list fixes legend order, and machines it forgot are appended', () => {
    expect(machineDomain(handoffRows, ['r5.metal'])).toEqual(['r5.metal', 'm7a.24xlarge']);
  });

  it('time breakdown keeps categories in the order given', () => {
    const spec = timeBreakdownSpec(timeBreakdownRows) as { encoding: { color: { scale: { domain: string[] } } } };
    expect(spec.encoding.color.scale.domain).toEqual(['spinning on mount_lock', 'spinning on namespace_sem', 'critical sections', 'other work']);
  });

  it('latency curve without a deadline has no rule layer: the band, its two edges and the median', () => {
    const spec = latencyCurveSpec(latencyRows, { deadlineS: null }) as { layer: unknown[] };
    expect(spec.layer).toHaveLength(4);
  });

  it('latency curve marks the simulated horizon only where a point reaches it', () => {
    const none = latencyCurveSpec(latencyRows, { deadlineS: null, horizonS: 90 }) as { layer: unknown[] };
    expect(none.layer).toHaveLength(4);
    const reached = latencyCurveSpec(latencyRows.map((row, i) => ({ ...row, atHorizon: i === 0 })), { deadlineS: null, horizonS: 90 }) as { layer: { mark: { type: string; shape?: string } }[] };
    expect(reached.layer.map((l) => l.mark.shape ?? l.mark.type)).toEqual(['area', 'line', 'line', 'line', 'rule', 'text', 'triangle-up']);
    expect(JSON.stringify(reached)).toContain('end of the simulated horizon (90 s)');
  });
});
