/**
 * One launch point's document -> its spec: defaults from LAUNCH_DEFAULTS,
 * durations in ns, the machine and the kernel/node/runtime models read
 * through the catalog and stored by content hash, with the point's
 * parameter overrides applied to the models it will run.
 */
import { InputError } from '../../input/errors.js';
import { didYouMean } from '../../input/did-you-mean.js';
import { MECHANISM_NAMES, type ArrivalSpec, type LaunchSpec, type LayerSpec, type MechanismSwitches } from '../../launch/index.js';
import { loadLaunchModels, modelParameters } from '../../models/load.js';
import type { PointContext, PointLocator } from '../../scenario/kind.js';
import { SCENARIO_LIMITS } from '../../scenario/schema.js';
import { formatDurationNs } from '../../input/units.js';
import { MAX_MOUNT_TABLE_SAMPLES, SAMPLE_BYTES, maxMountTableSamples } from '../../limits/heap.js';
import type { PointSpecBase } from '../../scenario/types.js';
import type { MachineSpec } from '../../topology/index.js';
import { LAUNCH_DEFAULTS, type LaunchScenarioFile } from './schema.js';

/** Everything one launch-storm run needs besides the seed and the models. */
export interface LaunchPointSpec extends LaunchSpec, PointSpecBase {
  readonly kind: 'launch';
  readonly machine: MachineSpec;
  /** The models by name, as written. */
  readonly kernel: string;
  readonly node: string;
  readonly runtime: string;
  /** Parameter overrides by name (kernel or node model), value in ns or plain number, as applied to `launchModels`. */
  readonly parameters: Readonly<Record<string, number>>;
  /** Content hash of the resolved kernel + node + runtime models in ResolvedScenario.models.launch. */
  readonly launchModels: string;
}

export function resolveLaunchPoint(document: Record<string, unknown>, context: PointContext): LaunchPointSpec {
  const file = document as unknown as LaunchScenarioFile;
  const at = context.at;
  const machine = file.machine as MachineSpec;
  const machineModel = context.machine(machine, file.machineParameters, file.machineOverrides).model;
  const names = {
    kernel: modelName(context, 'kernel', file.kernel ?? LAUNCH_DEFAULTS.kernel, 'kernel'),
    node: modelName(context, 'nodes', file.node ?? LAUNCH_DEFAULTS.node, 'node'),
    runtime: modelName(context, 'runtimes', file.runtime ?? LAUNCH_DEFAULTS.runtime, 'runtime'),
  };
  const parameters = resolveParameterOverrides(context, names, file.parameters);
  const launchModels = context.models.addLaunch(loadLaunchModels(context.catalog, names, parameters));
  const deadlines = file.deadlines ?? {};
  const launchNs = at.duration(deadlines.launch ?? LAUNCH_DEFAULTS.deadlines.launch, ['deadlines', 'launch'], { positive: true });
  const mechanisms = Object.fromEntries(MECHANISM_NAMES.map((name) => [name, (file.mechanisms as Record<string, boolean> | undefined)?.[name] ?? true])) as unknown as MechanismSwitches;
  const spec: LaunchPointSpec = {
    kind: 'launch',
    machine,
    machineModel,
    ...names,
    containers: file.containers,
    layers: layers(at, file.layers),
    arrival: arrival(at, file.arrival ?? LAUNCH_DEFAULTS.arrival),
    placement: file.placement ?? LAUNCH_DEFAULTS.placement,
    deadlines: {
      launchNs,
      runtimeRequestNs: at.duration(deadlines.runtimeRequest ?? LAUNCH_DEFAULTS.deadlines.runtimeRequest, ['deadlines', 'runtimeRequest'], { positive: true }),
      nodeHealthCheckNs: at.duration(deadlines.nodeHealthCheck ?? LAUNCH_DEFAULTS.deadlines.nodeHealthCheck, ['deadlines', 'nodeHealthCheck'], { positive: true }),
    },
    horizonNs: file.horizon === undefined ? LAUNCH_DEFAULTS.horizonDeadlines * launchNs : at.duration(file.horizon, ['horizon'], { positive: true }),
    mechanisms,
    parameters,
    launchModels,
    sampleEveryNs: at.duration(file.sampleEvery ?? LAUNCH_DEFAULTS.sampleEvery, ['sampleEvery'], { positive: true }),
    limits: at.limits(file.limits),
  };
  return checkMountTableSamples(spec, at);
}

/** A scenario's `parameters:` (kernel or node model parameters by name), each in its unit: ns for a time. */
export function resolveParameterOverrides(context: PointContext, names: { kernel: string; node: string }, written: Readonly<Record<string, string | number>> | undefined): Record<string, number> {
  const at = context.at;
  const known = context.catalog.memo(`parameters:${names.kernel}:${names.node}`, () => modelParameters(context.catalog, names));
  const parameters: Record<string, number> = {};
  for (const [name, value] of Object.entries(written ?? {})) {
    const parameter = known.get(name);
    if (parameter === undefined) {
      throw at.error(['parameters', name], `unknown model parameter \`${name}\``, { expected: `a parameter of ${names.kernel} or ${names.node}`, found: `\`${name}\``, hint: didYouMean(name, known.keys()) }, 'key');
    }
    if (parameter.isDuration) parameters[name] = at.duration(value, ['parameters', name]);
    else if (typeof value === 'number') parameters[name] = value;
    else throw at.error(['parameters', name], `\`${name}\` is a plain number, not a duration`, { expected: 'a number', found: JSON.stringify(value) });
  }
  return parameters;
}

/**
 * A run stores one mount-table sample per `sampleEvery` up to its horizon; a
 * setting whose samples its memory cap cannot hold is refused here, naming
 * the field, rather than left to exhaust the heap mid-run (limits/heap.ts).
 */
function checkMountTableSamples(spec: LaunchPointSpec, at: PointLocator): LaunchPointSpec {
  const samples = Math.floor(spec.horizonNs / spec.sampleEveryNs) + 1;
  const most = maxMountTableSamples(spec.limits.maxHeapBytes);
  if (samples <= most) return spec;
  if (most < 2) {
    throw at.error(['limits', 'maxMemory'], "the memory cap cannot hold a run's mount-table samples", { expected: `at least ${2 * SAMPLE_BYTES} bytes`, found: `${spec.limits.maxHeapBytes} bytes` });
  }
  const why = most < MAX_MOUNT_TABLE_SAMPLES ? `limits.maxMemory holds ${most} samples of ${SAMPLE_BYTES} bytes` : `a run stores at most ${MAX_MOUNT_TABLE_SAMPLES} samples`;
  throw at.error(['sampleEvery'], `sampling every ${formatDurationNs(spec.sampleEveryNs)} up to the horizon (${formatDurationNs(spec.horizonNs)}) stores more mount-table samples than a run may hold`, {
    expected: `a sampleEvery of at least ${formatDurationNs(roundUp(spec.horizonNs / Math.max(1, most - 1)))} (${why})`,
    found: `${samples} samples`,
    hint: 'Sample less often, or shorten the horizon.',
  });
}

/** `value` rounded up to three significant digits, so the printed bound itself is allowed. */
function roundUp(value: number): number {
  const step = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Math.ceil(value / step) * step;
}

/** A model name of `kind`, checked against the catalog (an unknown one is an error at `field`). */
export function modelName(context: PointContext, kind: 'kernel' | 'nodes' | 'runtimes', name: string, field: 'kernel' | 'node' | 'runtime'): string {
  try {
    context.catalog.file(kind, name, field);
  } catch (error) {
    if (error instanceof InputError) {
      const { expected, found, hint } = error.detail;
      throw context.at.error([field], error.message, { expected, found, hint });
    }
    throw error;
  }
  return name;
}

function layers(at: PointLocator, written: LaunchScenarioFile['layers']): LayerSpec {
  if (typeof written === 'number') return { kind: 'fixed', value: written };
  const only = (allowed: readonly string[]): void => {
    for (const field of Object.keys(written)) {
      if (field !== 'kind' && !allowed.includes(field)) {
        throw at.error(['layers', field], `\`${field}\` does not apply to ${written.kind} layer counts`, { expected: `only ${allowed.join(', ')}`, found: `\`${field}\`` }, 'key');
      }
    }
  };
  const required = (field: 'mean' | 'sd' | 'min' | 'max'): number => {
    const value = written[field];
    if (value === undefined) throw at.error(['layers'], `missing required field \`${field}\` of a ${written.kind} layer count`, { expected: `a number for layers.${field}`, found: 'nothing' });
    return value;
  };
  let spec: LayerSpec;
  if (written.kind === 'normal') {
    only(['mean', 'sd', 'min', 'max']);
    const mean = required('mean');
    const sd = required('sd');
    spec = { kind: 'normal', mean, sd, min: written.min ?? 1, max: written.max ?? Math.min(SCENARIO_LIMITS.layers, Math.ceil(mean + 4 * sd)) };
  } else {
    only(['min', 'max']);
    spec = { kind: 'uniform', min: required('min'), max: required('max') };
  }
  if (spec.min > spec.max) throw at.error(['layers', 'max'], 'layers.max is below layers.min', { expected: `at least ${spec.min}`, found: String(spec.max) });
  return spec;
}

function arrival(at: PointLocator, written: NonNullable<LaunchScenarioFile['arrival']>): ArrivalSpec {
  const fields: Record<string, readonly string[]> = { burst: [], ramp: ['over'], poisson: ['perSecond'], staggered: ['over'] };
  const allowed = fields[written.kind];
  for (const field of Object.keys(written)) {
    if (field !== 'kind' && !allowed.includes(field)) {
      throw at.error(['arrival', field], `\`${field}\` does not apply to ${written.kind} arrivals`, { expected: allowed.length > 0 ? `only ${allowed.join(', ')}` : 'no other field', found: `\`${field}\`` }, 'key');
    }
  }
  switch (written.kind) {
    case 'burst':
      return { kind: 'burst' };
    case 'poisson':
      if (written.perSecond === undefined) throw at.error(['arrival'], 'missing required field `perSecond` of a poisson arrival', { expected: 'launches per second, e.g. perSecond: 20', found: 'nothing' });
      return { kind: 'poisson', perSecond: written.perSecond };
    case 'ramp':
      if (written.over === undefined) throw at.error(['arrival'], 'missing required field `over` of a ramp arrival', { expected: 'a duration such as "10 s"', found: 'nothing' });
      return { kind: 'ramp', overNs: at.duration(written.over, ['arrival', 'over']) };
    case 'staggered':
      return { kind: 'staggered', overNs: at.duration(written.over ?? LAUNCH_DEFAULTS.arrival.over, ['arrival', 'over']) };
  }
}
