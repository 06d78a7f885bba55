/**
 * Each workload kind's metric table must match what a run reports: tiny
 * real runs of each kind, both directions.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { loadScenarioText, runScenario } from '../../src/pipeline.js';
import { metricNamesOf } from '../../src/analysis/metric.js';
import { LAUNCH_METRICS, launchMetricContext } from '../../src/workloads/launch/index.js';
import { PAUSE_BENCH_METRICS } from '../../src/workloads/pause-bench/index.js';

describe('metric catalogue', () => {
  it('names every metric a launch run reports, and only those', async () => {
    const scenario = loadScenarioText('name: m\nmachine: r5.metal\ncontainers: 2\nlayers: 1\nseeds: 1\narrival: {kind: burst}\n', 'm.yaml');
    const { summary } = await runScenario(scenario);
    const reported = Object.keys(summary.points[0].metrics);
    const known = metricNamesOf(LAUNCH_METRICS, launchMetricContext(Object.values(scenario.models.launch)[0].kernel));
    expect(reported.filter((name) => !known.includes(name)), 'reported but not declared').toEqual([]);
    expect(known.filter((name) => !reported.includes(name)), 'declared but not reported').toEqual([]);
  });

  it('names every metric a pause-bench run reports, and only those', async () => {
    const scenario = loadScenarioText('name: m\nkind: pause-bench\nmachine: r5.metal\nthreads: 4\nduration: 20 us\nseeds: 1\n', 'm.yaml');
    const { summary } = await runScenario(scenario);
    expect(Object.keys(summary.points[0].metrics).sort()).toEqual(metricNamesOf(PAUSE_BENCH_METRICS, undefined).sort());
  });

  it('points old names at their replacement', () => {
    let error: unknown;
    try {
      loadScenarioText('name: m\nmachine: r5.metal\ncontainers: 2\nlayers: 1\nexpect: [{metric: mountLockWaitUs, below: 1}]\n', 'm.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toMatch(/^m\.yaml:5:19: expect\[0\]\.metric: unknown metric `mountLockWaitUs`.*Did you mean `mount_lock\.meanWaitUs`\?$/);
  });
});
