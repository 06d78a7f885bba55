/**
 * The syscall-mix workload kind: groups of threads running procedures over
 * the kernel model's recipes on one node (src/launch/syscall-mix.ts), so
 * "how do path lookups of 90 CPUs scale while 6 threads mount and unmount?"
 * is a short scenario file. Scenario files with `kind: syscall-mix`; the
 * report's curves run along the first group's thread count.
 */
import type { MetricFamily, MetricTable } from '../../analysis/metric.js';
import { metricNamesOf } from '../../analysis/metric.js';
import { formatSignificant } from '../../charts/format.js';
import { handoffChart } from '../../charts/handoffs.js';
import { lockBenchSpec, type LockBenchRow } from '../../charts/lock-bench.js';
import { meanOf, tidy, type ChartInput, type ChartPlan } from '../../charts/series.js';
import type { Distribution, RunLimits } from '../../engine/index.js';
import { MECHANISM_NAMES, runSyscallMix, type MechanismSwitches, type MixStep, type SyscallMixGroup, type SyscallMixResult, type SyscallMixSpec } from '../../launch/index.js';
import { placementOrder } from '../../lock-bench/index.js';
import { loadLaunchModels } from '../../models/load.js';
import type { LaunchModels, RuntimeModel } from '../../models/types.js';
import { didYouMean } from '../../input/did-you-mean.js';
import type { PointContext } from '../../scenario/kind.js';
import type { PointSpecBase, ResolvedModels, RunPoint } from '../../scenario/types.js';
import type { MachineSpec } from '../../topology/index.js';
import { resolveTimeDistribution } from '../distribution.js';
import { defineWorkload, topologyOf } from '../kind.js';
import { modelName, resolveParameterOverrides } from '../launch/index.js';
import { MIX_PROCEDURES, SYSCALL_MIX_DEFAULTS, SyscallMixScenarioSchema, type SyscallMixScenarioFile } from './schema.js';

/** A point: the mix the launch model runs (groups, CPUs, window, switches) and what it is resolved against. */
export interface SyscallMixPointSpec extends PointSpecBase, SyscallMixSpec {
  readonly kind: 'syscall-mix';
  readonly machine: MachineSpec;
  readonly kernel: string;
  readonly node: string;
  /** Content hash of the resolved kernel + node models (with the mix's empty runtime) in ResolvedScenario.models.launch. */
  readonly launchModels: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly limits: RunLimits;
}

/** The mix calls the kernel's recipes directly: its runtime has no passes. */
const NO_RUNTIME: RuntimeModel = { name: 'syscall-mix', description: 'No container runtime: the syscall mix calls the kernel recipes directly.', source: 'locksim syscall-mix', file: '(syscall-mix)', passes: [] };

function resolveSyscallMixPoint(document: Record<string, unknown>, context: PointContext): SyscallMixPointSpec {
  const file = document as unknown as SyscallMixScenarioFile;
  const at = context.at;
  const machine = file.machine as MachineSpec;
  const { topology, model } = context.machine(machine, file.machineParameters, file.machineOverrides);
  const names = { kernel: modelName(context, 'kernel', file.kernel ?? SYSCALL_MIX_DEFAULTS.kernel, 'kernel'), node: modelName(context, 'nodes', file.node ?? SYSCALL_MIX_DEFAULTS.node, 'node') };
  const parameters = resolveParameterOverrides(context, names, file.parameters);
  const loaded = loadLaunchModels(context.catalog, { ...names, runtime: 'containerd-idmap' }, parameters);
  const models: LaunchModels = { ...loaded, runtime: NO_RUNTIME };
  const launchModels = context.models.addLaunch(models);
  const syscalls = loaded.kernel.syscalls;
  const known = [...Object.keys(MIX_PROCEDURES), ...syscalls];

  const groups: SyscallMixGroup[] = Object.entries(file.groups).map(([name, group]) => {
    const path = ['groups', name];
    const steps: MixStep[] = group.do.flatMap((item, i): MixStep[] => {
      if (item === 'mountinfo') {
        const readBytes = group.mountinfoReadBytes ?? loaded.node.environment.systemd.readBytes;
        return [{ kind: 'mountinfo', parsePerLineNs: at.duration(group.mountinfoParsePerLine ?? '0 ns', [...path, 'mountinfoParsePerLine']), readBytes }];
      }
      const builtIn = (MIX_PROCEDURES as Record<string, { syscalls: readonly string[] }>)[item];
      const calls = builtIn !== undefined && Object.hasOwn(MIX_PROCEDURES, item) ? builtIn.syscalls : syscalls.includes(item) ? [item] : undefined;
      if (calls === undefined) {
        throw at.error([...path, 'do', i], `unknown procedure \`${item}\``, { expected: `one of ${Object.keys(MIX_PROCEDURES).join(', ')}, or a syscall of ${names.kernel} (${syscalls.join(', ')})`, found: `\`${item}\``, hint: didYouMean(item, known) });
      }
      return calls.map((syscall) => ({ kind: 'syscall', procedure: `kernel/${syscall}` }));
    });
    if (group.perSecond !== undefined && group.think !== undefined) {
      throw at.error([...path, 'perSecond'], 'a group runs in a closed loop (think) or at a rate (perSecond), not both', { expected: 'one of think and perSecond', found: 'both' }, 'key');
    }
    const think: Distribution = resolveTimeDistribution(at, group.think ?? SYSCALL_MIX_DEFAULTS.think, [...path, 'think']);
    return {
      name,
      threads: group.threads,
      steps,
      pacing: group.perSecond !== undefined ? { kind: 'rate', perSecond: group.perSecond } : { kind: 'closed', think },
      layers: group.layers ?? SYSCALL_MIX_DEFAULTS.layers,
      propagates: group.propagates ?? true,
    };
  });
  const order = placementOrder(topology, file.placement ?? SYSCALL_MIX_DEFAULTS.placement);
  const total = groups.reduce((sum, g) => sum + g.threads, 0);
  const cpus = Array.from({ length: total }, (_, i) => order[i % order.length].id);
  const durationNs = at.duration(file.duration ?? SYSCALL_MIX_DEFAULTS.duration, ['duration'], { positive: true });
  return {
    kind: 'syscall-mix',
    machine,
    machineModel: model,
    ...names,
    launchModels,
    parameters,
    groups,
    cpus,
    durationNs,
    warmupNs: durationNs * (file.warmup ?? SYSCALL_MIX_DEFAULTS.warmup),
    background: file.background ?? false,
    mechanisms: Object.fromEntries(MECHANISM_NAMES.map((name) => [name, (file.mechanisms as Record<string, boolean> | undefined)?.[name] ?? true])) as unknown as MechanismSwitches,
    limits: at.limits(file.limits),
  };
}

/** What the metrics know of a point: its groups and the kernel model's locks. */
export interface SyscallMixContext {
  readonly groups: readonly string[];
  readonly locks: readonly string[];
}

const us = (ns: number): number => ns / 1000;

const FAMILIES: readonly MetricFamily<SyscallMixResult, SyscallMixContext>[] = [
  {
    name: '<group>.opsPerS',
    unit: '/s',
    kind: 'throughput',
    better: 'higher',
    description: "Iterations of the group's procedure per second (all its threads, those arriving after warm-up).",
    names: (c) => c.groups.map((g) => `${g}.opsPerS`),
    compute: (r) => Object.fromEntries(r.groups.map((g) => [`${g.name}.opsPerS`, g.opsPerSec])),
  },
  {
    name: '<group>.meanLatencyUs',
    unit: 'us',
    kind: 'mean',
    better: 'lower',
    description: 'Mean time of one iteration, from its start (at a rate: its arrival) to its end.',
    names: (c) => c.groups.map((g) => `${g}.meanLatencyUs`),
    compute: (r) => Object.fromEntries(r.groups.map((g) => [`${g.name}.meanLatencyUs`, us(g.meanLatencyNs)])),
  },
  {
    name: '<group>.p50LatencyUs',
    unit: 'us',
    kind: 'quantile',
    better: 'lower',
    description: 'Median time of one iteration.',
    names: (c) => c.groups.map((g) => `${g}.p50LatencyUs`),
    compute: (r) => Object.fromEntries(r.groups.map((g) => [`${g.name}.p50LatencyUs`, us(g.p50LatencyNs)])),
  },
  {
    name: '<group>.p99LatencyUs',
    unit: 'us',
    kind: 'quantile',
    better: 'lower',
    description: '99th percentile time of one iteration.',
    names: (c) => c.groups.map((g) => `${g}.p99LatencyUs`),
    compute: (r) => Object.fromEntries(r.groups.map((g) => [`${g.name}.p99LatencyUs`, us(g.p99LatencyNs)])),
  },
  {
    name: '<group>.operations',
    unit: 'count',
    kind: 'count',
    better: 'neither',
    description: 'Iterations measured.',
    names: (c) => c.groups.map((g) => `${g}.operations`),
    compute: (r) => Object.fromEntries(r.groups.map((g) => [`${g.name}.operations`, g.operations])),
  },
  {
    name: '<lock>.meanWaitNs',
    unit: 'ns',
    kind: 'mean',
    better: 'lower',
    description: 'Mean wait for each lock of the kernel model (every mode), over the run.',
    names: (c) => c.locks.map((l) => `${l}.meanWaitNs`),
    compute: (r) => Object.fromEntries(r.locks.map((l) => [`${l.name}.meanWaitNs`, l.meanWaitNs])),
  },
  {
    name: '<lock>.p99WaitNs',
    unit: 'ns',
    kind: 'quantile',
    better: 'lower',
    description: '99th percentile wait for each lock of the kernel model.',
    names: (c) => c.locks.map((l) => `${l}.p99WaitNs`),
    compute: (r) => Object.fromEntries(r.locks.map((l) => [`${l.name}.p99WaitNs`, l.waitQuantilesNs.p99])),
  },
  {
    name: '<lock>.acquisitions',
    unit: 'count',
    kind: 'count',
    better: 'neither',
    description: 'Acquisitions of each lock of the kernel model over the run.',
    names: (c) => c.locks.map((l) => `${l}.acquisitions`),
    compute: (r) => Object.fromEntries(r.locks.map((l) => [`${l.name}.acquisitions`, l.acquisitions])),
  },
];

export const SYSCALL_MIX_METRICS: MetricTable<SyscallMixResult, SyscallMixContext> = {
  metrics: [
    { name: 'pathInitSpinShare', unit: '1', kind: 'share', better: 'lower', description: "Share of path_init's reads of the walk seqlock that found a write running and spun.", compute: (r) => (r.pathInit.reads === 0 ? 0 : r.pathInit.spunReads / r.pathInit.reads) },
    { name: 'pathInitSpinUs', unit: 'us', kind: 'mean', better: 'lower', description: 'Mean spin of a path_init read that had to spin.', compute: (r) => (r.pathInit.spunReads === 0 ? 0 : us(r.pathInit.spinNs / r.pathInit.spunReads)) },
    { name: 'walkRetries', unit: 'count', kind: 'count', better: 'lower', description: 'Path lookups redone in ref-walk mode because a write moved the count during the walk.', compute: (r) => r.pathInit.retries },
    { name: 'meanGracePeriodUs', unit: 'us', kind: 'mean', better: 'lower', description: 'Mean expedited RCU grace period (umount waits for one).', compute: (r) => us(r.rcu.meanGracePeriodNs) },
    { name: 'maxHostMounts', unit: 'count', kind: 'max', better: 'neither', description: 'Largest host mount table during the run.', compute: (r) => r.maxHostMounts },
  ],
  families: FAMILIES,
};

function contextOf(spec: SyscallMixPointSpec, models: ResolvedModels): SyscallMixContext {
  return { groups: spec.groups.map((g) => g.name), locks: models.launch[spec.launchModels].kernel.locks.map((l) => l.name) };
}

/** One line per series and group of a group metric against the first group's threads. */
function groupRows(input: ChartInput, suffix: string): LockBenchRow[] {
  return input.points.flatMap((p) => (p.point.spec as SyscallMixPointSpec).groups.map((g) => ({ machine: `${p.series} ${g.name}`, threads: p.x, value: tidy(meanOf(p.summary.metrics[`${g.name}.${suffix}`])), source: 'simulated' })));
}

export const SYSCALL_MIX_WORKLOAD = defineWorkload<SyscallMixPointSpec, SyscallMixResult, SyscallMixContext>({
  name: 'syscall-mix',
  schema: SyscallMixScenarioSchema,
  resolvePoint: resolveSyscallMixPoint,
  metricNames(points: readonly RunPoint[], models) {
    const names = new Set<string>();
    for (const point of points) for (const name of metricNamesOf(SYSCALL_MIX_METRICS, contextOf(point.spec as SyscallMixPointSpec, models))) names.add(name);
    return [...names];
  },
  run({ spec, models, seed, limits, heapProbe, cache }) {
    const topology = topologyOf(spec, models, cache, { numa: spec.mechanisms.numaHandoffs, smtSlowdown: spec.mechanisms.smtSlowdown });
    const result = runSyscallMix({ topology, models: models.launch[spec.launchModels], spec, seed, limits, heapProbe });
    return { machine: topology.name, output: { kind: 'syscall-mix', result } };
  },
  runCost: (spec) => (spec.groups.reduce((sum, g) => sum + g.threads, 0) * spec.durationNs) / 1e6,
  metrics: SYSCALL_MIX_METRICS,
  metricContext: contextOf,
  xKey: 'threads',
  x: (spec) => spec.groups[0].threads,
  xCoordinate: (spec) => `groups.${spec.groups[0].name}.threads`,
  headline: [
    { title: 'path_init spins', metric: 'pathInitSpinShare', format: 'percent' },
    { title: 'walk retries', metric: 'walkRetries', format: 'number' },
    { title: 'grace period (us)', metric: 'meanGracePeriodUs', format: 'number' },
  ],
  csvMetrics: ['pathInitSpinShare', 'pathInitSpinUs', 'walkRetries', 'meanGracePeriodUs', 'maxHostMounts'],
  charts(input): ChartPlan[] {
    const first = (input.points[0]?.point.spec as SyscallMixPointSpec | undefined)?.groups[0]?.name ?? 'the first group';
    const seeds = `mean over ${input.seeds.length} seed${input.seeds.length === 1 ? '' : 's'}`;
    const ops = groupRows(input, 'opsPerS');
    const p99 = groupRows(input, 'p99LatencyUs');
    // Groups of very different rates (lookups beside mounts) share an axis only on a log scale.
    const spread = (rows: readonly LockBenchRow[]): boolean => rows.some((r) => r.value > 0) && Math.max(...rows.map((r) => r.value)) / Math.min(...rows.filter((r) => r.value > 0).map((r) => r.value)) > 20;
    const logOps = spread(ops);
    const logP99 = spread(p99);
    return [
      {
        name: 'syscall-mix-throughput',
        title: 'Iterations per second of each group',
        caption: `Each group's iterations per second against the threads of ${first} (${seeds}).`,
        spec: lockBenchSpec(ops, { machines: [...new Set(ops.map((r) => r.machine))], title: 'Syscall mix: throughput', subtitle: `Iterations per second of each group, against the threads of ${first}.`, yTitle: logOps ? 'Iterations per second (log scale)' : 'Iterations per second', logY: logOps }),
        rows: ops,
      },
      {
        name: 'syscall-mix-latency',
        title: 'p99 latency of each group',
        caption: `Each group's 99th percentile iteration time against the threads of ${first} (${seeds}).`,
        spec: lockBenchSpec(p99, { machines: [...new Set(p99.map((r) => r.machine))], title: 'Syscall mix: p99 latency', subtitle: `99th percentile time of one iteration, against the threads of ${first}.`, yTitle: logP99 ? 'p99 latency (us, log scale)' : 'p99 latency (us)', logY: logP99 }),
        rows: p99,
      },
      handoffChart(input, 'Every kernel lock', (p) => p.runs.map((run) => {
        const totals: Record<string, number> = {};
        for (const lock of (run.result as SyscallMixResult).locks) for (const [cls, n] of Object.entries(lock.handoffsByClass)) totals[cls] = (totals[cls] ?? 0) + n;
        return totals as SyscallMixResult['locks'][number]['handoffsByClass'];
      })),
    ];
  },
  leadSentence(series, sorted) {
    const top = sorted[sorted.length - 1];
    const spec = top.point.spec as SyscallMixPointSpec;
    const parts = spec.groups.map((g) => `${g.name} ${formatSignificant(meanOf(top.summary.metrics[`${g.name}.opsPerS`]))}/s (p99 ${formatSignificant(meanOf(top.summary.metrics[`${g.name}.p99LatencyUs`]))} us)`);
    return `${series}: at ${top.x} ${spec.groups[0].name} threads, ${parts.join(', ')}.`;
  },
});

export type { SyscallMixScenarioFile } from './schema.js';
