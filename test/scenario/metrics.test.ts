/**
 * The metric catalogue the loader checks `expect:` names against must match
 * what a run reports: tiny real runs of each kind, both directions.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { runScenario } from '../../src/pipeline.js';
import { LAUNCH_METRICS, PAUSE_BENCH_METRICS, metricNames } from '../../src/scenario/metrics.js';
import { loadScenarioText } from '../../src/scenario/load.js';

describe('metric catalogue', () => {
  it('names every metric a launch run reports, and only those', async () => {
    const scenario = loadScenarioText('name: m\nmachine: r5.metal\ncontainers: 2\nlayers: 1\nseeds: 1\narrival: {kind: burst}\n', 'm.yaml');
    const { summary } = await runScenario(scenario);
    const reported = Object.keys(summary.points[0].metrics);
    const known = metricNames('launch', ['mount_lock', 'namespace_sem']);
    expect(reported.filter((name) => !known.includes(name)), 'reported but not in src/scenario/metrics.ts').toEqual([]);
    expect(LAUNCH_METRICS.filter((name) => !reported.includes(name)), 'in src/scenario/metrics.ts but not reported').toEqual([]);
  });

  it('names every metric a pause-bench run reports, and only those', async () => {
    const scenario = loadScenarioText('name: m\nkind: pause-bench\nmachine: r5.metal\nthreads: 4\nduration: 20 us\nseeds: 1\n', 'm.yaml');
    const { summary } = await runScenario(scenario);
    expect(Object.keys(summary.points[0].metrics).sort()).toEqual([...PAUSE_BENCH_METRICS].sort());
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
