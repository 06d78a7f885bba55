/**
 * The launch workload kind: a container-launch storm on one node, the
 * Netflix case. Scenario files with `kind: launch` (the default).
 */
import { isOnCpu, runLaunchStorm, type LaunchRunResult, type LayerSpec } from '../../launch/index.js';
import { metricNamesOf } from '../../analysis/metric.js';
import { meanOf } from '../../charts/series.js';
import { formatSignificant } from '../../charts/format.js';
import type { RunPoint } from '../../scenario/types.js';
import type { RunOutput } from '../../analysis/summary.js';
import { defineWorkload, topologyOf } from '../kind.js';
import { FAILURE_THRESHOLD, launchCharts } from './charts.js';
import { LAUNCH_METRICS, launchMetricContext, type LaunchMetricContext } from './metrics.js';
import { resolveLaunchPoint, type LaunchPointSpec } from './resolve.js';
import { LaunchScenarioSchema } from './schema.js';

function meanLayers(layers: LayerSpec): number {
  switch (layers.kind) {
    case 'fixed':
      return layers.value;
    case 'normal':
      return layers.mean;
    case 'uniform':
      return (layers.min + layers.max) / 2;
  }
}

/** The launch result of a run output; anything else is a bug in the caller. */
export function launchResult(output: RunOutput): LaunchRunResult {
  if (output.kind !== 'launch') throw new Error(`expected a launch run, got ${output.kind}`);
  return output.result as LaunchRunResult;
}

const percent = (value: number): string => `${formatSignificant(value * 100)}%`;

export const LAUNCH_WORKLOAD = defineWorkload<LaunchPointSpec, LaunchRunResult, LaunchMetricContext>({
  name: 'launch',
  schema: LaunchScenarioSchema,
  resolvePoint: resolveLaunchPoint,
  metricNames(points: readonly RunPoint[], models) {
    const names = new Set<string>();
    for (const point of points) for (const name of metricNamesOf(LAUNCH_METRICS, launchMetricContext(models.launch[(point.spec as LaunchPointSpec).launchModels].kernel))) names.add(name);
    return [...names];
  },
  run({ spec, models, seed, limits, heapProbe, cache }) {
    const topology = topologyOf(spec, models, cache, { numa: spec.mechanisms.numaHandoffs, smtSlowdown: spec.mechanisms.smtSlowdown });
    const result = runLaunchStorm({ topology, models: models.launch[spec.launchModels], seed, limits, heapProbe, spec });
    return { machine: topology.name, output: { kind: 'launch', result } };
  },
  // Propagation makes a storm's work grow with containers^2; layers add mount operations linearly.
  runCost: (spec) => spec.containers * spec.containers * meanLayers(spec.layers),
  metrics: LAUNCH_METRICS,
  metricContext: (spec, models) => launchMetricContext(models.launch[spec.launchModels].kernel),
  xKey: 'containers',
  x: (spec) => spec.containers,
  headline: [
    { title: 'p50 latency (s)', metric: 'p50LatencyS', format: 'number' },
    { title: 'p99 latency (s)', metric: 'p99LatencyS', format: 'number' },
    { title: 'failed', metric: 'failureRate', format: 'percent' },
    { title: 'lock waiting share', metric: 'lockWaitingShare', format: 'percent' },
  ],
  csvMetrics: ['p50LatencyS', 'p90LatencyS', 'p99LatencyS', 'meanLatencyS', 'failureRate', 'lockWaitingShare', 'mountOpsPerContainer', 'bindMountSyscallsPerContainer', 'throughputPerS', 'maxHostMounts', 'maxSystemMounts'],
  charts: launchCharts,
  onCpu: isOnCpu,
  onset: { metric: 'failureRate', threshold: FAILURE_THRESHOLD, at: (spec, containers) => ({ ...spec, containers }) },
  thinResult: {
    what: 'mountTable.samples',
    thin: (result) => {
      const r = result as LaunchRunResult;
      return { ...r, mountTable: { ...r.mountTable, samples: [] } };
    },
  },
  leadSentence(series, sorted, onset) {
    const top = sorted[sorted.length - 1];
    const failing = sorted.find((p) => meanOf(p.summary.metrics.failureRate) > FAILURE_THRESHOLD);
    const worst = Math.max(...sorted.map((p) => meanOf(p.summary.metrics.failureRate)));
    if (failing === undefined) return `${series}: ${worst === 0 ? 'no failed launches' : `at most ${percent(worst)} failed`} up to ${top.x} containers (p50 ${formatSignificant(meanOf(top.summary.metrics.p50LatencyS))} s there).`;
    const from = onset === undefined ? `from ${failing.x} containers` : `from ${onset.lastPass + 1}-${onset.firstFail} containers (bisection between the sweep's ${sorted[sorted.indexOf(failing) - 1]?.x ?? onset.lastPass} and ${failing.x})`;
    return `${series}: more than ${FAILURE_THRESHOLD * 100}% of launches fail ${from}; at ${failing.x}, ${percent(meanOf(failing.summary.metrics.failureRate))} fail with p50 ${formatSignificant(meanOf(failing.summary.metrics.p50LatencyS))} s.`;
  },
});

export type { LaunchPointSpec } from './resolve.js';
export { LAUNCH_DEFAULTS, type LaunchScenarioFile } from './schema.js';
export { LAUNCH_METRICS, BIND_MOUNT_SYSCALLS, launchLatenciesS, lockWaitingShare, machineLockWaitingShare, launchMetricContext } from './metrics.js';
export { FAILURE_THRESHOLD } from './charts.js';
export { MechanismsSchema, ParametersSchema } from './schema.js';
export { modelName, resolveParameterOverrides } from './resolve.js';
