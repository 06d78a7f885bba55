/**
 * What the scenario loader needs from a workload kind: the schema of its
 * files and how one point's document becomes its spec. The loader does the
 * rest (overrides, sweep, expectations) for every kind alike; the workload
 * registry (src/workloads/) supplies the kinds.
 */
import type { TSchema } from '@sinclair/typebox';
import type { InputErrorDetail } from '../input/errors.js';
import type { FieldPath } from '../input/load.js';
import type { ModelCatalog } from '../input/catalog.js';
import type { RunLimits } from '../engine/index.js';
import type { MachineSpec, Topology } from '../topology/index.js';
import type { ModelTable } from './models.js';
import type { PointSpecBase, ResolvedModels, RunPoint } from './types.js';

/** Errors and values located in the scenario file (or `--set`), for a point being resolved. */
export interface PointLocator {
  error(path: FieldPath, message: string, detail?: InputErrorDetail, target?: 'value' | 'key'): Error;
  /** A duration field in ns; `positive` refuses zero. */
  duration(value: unknown, path: FieldPath, options?: { positive?: boolean }): number;
  /** The run caps from a `limits:` block, defaults filled in. */
  limits(limits: { maxEvents?: number; maxSimulatedTime?: string; maxMemory?: string } | undefined): RunLimits;
}

export interface PointContext {
  readonly at: PointLocator;
  readonly catalog: ModelCatalog;
  readonly models: ModelTable;
  /**
   * The machine of a spec, with the point's `machineParameters` and
   * `machineOverrides` applied: its topology (built once per resolve) and
   * the hash of the model it was built from. A family name is looked up on
   * the catalog's search path; a path (./x.yaml) is read relative to the
   * scenario file.
   */
  machine(spec: MachineSpec, overrides?: unknown, fieldOverrides?: unknown): { readonly topology: Topology; readonly model: string };
}

export interface ScenarioKind<S extends PointSpecBase = PointSpecBase> {
  /** The value of a scenario file's `kind:`. */
  readonly name: string;
  /** The whole scenario file of this kind. */
  readonly schema: TSchema;
  /** One point's document (sweep values applied, validated) -> its spec. */
  resolvePoint(document: Record<string, unknown>, context: PointContext): S;
  /** Every metric an `expect:` may name for these points. */
  metricNames(points: readonly RunPoint[], models: ResolvedModels): string[];
}

/** The kinds a loader knows, by name; the first is the default `kind:`. */
export type ScenarioKinds = ReadonlyMap<string, ScenarioKind>;
