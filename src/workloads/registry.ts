/**
 * Every workload kind locksim knows, by the `kind:` a scenario file names.
 * The first is the default kind. A new kind is a new entry here
 * (see docs/architecture.md, "Add a workload kind").
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { ScenarioKinds } from '../scenario/kind.js';
import type { AnyWorkloadKind } from './kind.js';
import { LAUNCH_WORKLOAD } from './launch/index.js';
import { PAUSE_BENCH_WORKLOAD } from './pause-bench/index.js';
import { LOCK_BENCH_WORKLOAD } from './lock-bench/index.js';
import { SYSCALL_MIX_WORKLOAD } from './syscall-mix/index.js';

export const WORKLOADS: ReadonlyMap<string, AnyWorkloadKind> = new Map([LAUNCH_WORKLOAD, PAUSE_BENCH_WORKLOAD, LOCK_BENCH_WORKLOAD, SYSCALL_MIX_WORKLOAD].map((kind) => [kind.name, kind]));

/** The same map, as the scenario loader sees it. */
export const SCENARIO_KINDS: ScenarioKinds = WORKLOADS;

/** The workload kind `name`; an unknown name is a bug (resolved scenarios only hold known kinds). */
export function workloadKind(name: string): AnyWorkloadKind {
  const kind = WORKLOADS.get(name);
  if (kind === undefined) throw new Error(`unknown workload kind \`${name}\` (known: ${[...WORKLOADS.keys()].join(', ')})`);
  return kind;
}

/** The scenario file format as a whole, for editors: any kind. */
export const ScenarioFileSchema: TSchema = Type.Union(
  [...WORKLOADS.values()].map((kind) => kind.schema),
  { title: 'locksim scenario', description: 'What to run (a workload kind), over which sweep, and what the results must show.' },
);
