/**
 * Kernel, node and runtime models after resolving: trees of steps with every
 * duration in ns, every parameter reference and override applied, and calls
 * that name the procedure they run. Plain, serializable data: a resolved
 * scenario carries these to the threads that run it (which read no files),
 * and resolved.json stores them. Nothing here runs anything.
 */

/** Quantities a count may depend on, evaluated when the step runs. */
export type CountVariable = 'layers' | 'receivers' | 'hostMounts';

export const COUNT_VARIABLES: readonly CountVariable[] = ['layers', 'receivers', 'hostMounts'];

/** constant + sum(factor * variable): the only arithmetic a recipe file may write. */
export interface CountExpression {
  readonly constant: number;
  readonly terms: readonly { readonly variable: CountVariable; readonly factor: number }[];
  /** As written, for messages and reports. */
  readonly text: string;
}

/** How long a lock is held, as the sum of the terms the kernel code performs under it. */
export interface HoldCost {
  readonly baseNs: number;
  /** for_each_possible_cpu sum of a per-CPU counter (mnt_get_count / mnt_get_writers). */
  readonly perCpuSum: boolean;
  /** Extra time per propagation receiver (commit_tree / umount_tree of each copy). */
  readonly perReceiverNs: number;
  /** A per-CPU refcount sum for every receiver's copy too (propagate_mount_busy with flags 0). */
  readonly perReceiverCpuSum: boolean;
  /** Extra time per mount in the host table (O(M) walks such as umount_tree of a whole copy). */
  readonly perHostMountNs: number;
}

export type LockMode = 'write' | 'read' | 'exclusive';
export type LockKind = 'seqlock' | 'rwsem';

export type Step =
  | { readonly kind: 'walk'; readonly count: CountExpression }
  | { readonly kind: 'cpu'; readonly ns: number; readonly label: string }
  | { readonly kind: 'sleep'; readonly ns: number; readonly label: string }
  | {
      readonly kind: 'lock';
      readonly lock: string;
      readonly lockKind: LockKind;
      readonly mode: LockMode;
      readonly hold: HoldCost;
      readonly steps: readonly Step[];
    }
  | { readonly kind: 'rcu' }
  | { readonly kind: 'repeat'; readonly count: CountExpression; readonly steps: readonly Step[] }
  /** `procedure` is the key into LaunchModels.procedures (`runtime/<name>`, `node/<name>`, `kernel/<name>`). */
  | { readonly kind: 'call'; readonly name: string; readonly procedure: string; readonly countsAsMountOp: boolean; readonly onBusy: BusyPolicy }
  | { readonly kind: 'mounts'; readonly delta: number }
  | { readonly kind: 'window'; readonly enter: boolean }
  /** Where an umount meets its mount: `check` (flags 0) returns EBUSY from the syscall here when the mount is busy; otherwise (MNT_DETACH) it goes regardless. */
  | { readonly kind: 'busy'; readonly check: boolean }
  /** A helper forked without exec (inherits the daemon's fds), alive for `ns` of the parent's on-CPU work. */
  | { readonly kind: 'fork'; readonly ns: number; readonly label: string }
  | { readonly kind: 'fd'; readonly open: boolean };

/** What a caller does when a syscall returns EBUSY: leave the mount (null), or retry after `waitNs` up to `retries` times. */
export type BusyPolicy = { readonly retries: number; readonly waitNs: number } | null;

/** A named sequence of steps: a syscall from the kernel model or a procedure from a runtime or node model. */
export interface Procedure {
  readonly name: string;
  /** Where it comes from: the kernel code it models, or the runtime code. */
  readonly models: string;
  /** True for kernel syscalls (time inside is kernel time); false for user-space procedures. */
  readonly isSyscall: boolean;
  readonly steps: readonly Step[];
}

/** A calibrated or sourced number, kept with its provenance for reports. */
export interface ModelParameter {
  readonly name: string;
  /** ns for durations, plain number otherwise. */
  readonly value: number;
  readonly isDuration: boolean;
  readonly range: readonly [number, number];
  /** "calibrated: ..." or "source: ..." as written (prefixed "override" when a scenario replaced the value). */
  readonly provenance: string;
  readonly calibrated: boolean;
  /** File the parameter was read from. */
  readonly file: string;
}

export interface LockDeclaration {
  readonly name: string;
  readonly kind: LockKind;
  readonly models: string;
}

export interface KernelModel {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly locks: readonly LockDeclaration[];
  /** The seqlock whose count path_init reads. */
  readonly walkSeqlock: string;
  /** The rwsem a read() of mountinfo takes for read, and the seqlock its prepend_path retries under. */
  readonly mountinfo: { readonly rwsem: string; readonly seqlock: string };
  /** By name, sorted. */
  readonly parameters: Readonly<Record<string, ModelParameter>>;
  /** Names of the syscalls (keys `kernel/<name>` in LaunchModels.procedures). */
  readonly syscalls: readonly string[];
}

export interface RuntimePass {
  readonly name: string;
  /** The CRI request this pass answers (the kubelet runtime request timeout applies to it). */
  readonly request: string;
  /** Off-CPU time before the request starts, ns (0: none). */
  readonly beforeNs: number;
  readonly steps: readonly Step[];
}

export interface RuntimeModel {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly file: string;
  readonly passes: readonly RuntimePass[];
}

export interface SystemdModel {
  readonly enabled: boolean;
  readonly rateLimitBurst: number;
  readonly rateLimitIntervalNs: number;
  readonly parsePerLineNs: number;
  /** sd-event priorities (smaller first): the mount event source and the D-Bus connection. */
  readonly mountEventPriority: number;
  readonly dbusPriority: number;
  /** Bytes per read() of /proc/self/mountinfo (libmount through stdio). */
  readonly readBytes: number;
}

export interface KubeletModel {
  readonly enabled: boolean;
  readonly mountinfoEveryNs: number;
  /** Bytes per read() of its mountinfo reads. */
  readonly readBytes: number;
  /** After a CRI request timed out: the pod worker's retry period and its jitter share. */
  readonly criRetryBackoffNs: number;
  readonly criRetryJitter: number;
  readonly plegRelistEveryNs: number;
  readonly plegUnhealthyAfterNs: number;
  readonly runtimeStatusEveryNs: number;
  readonly runtimeDownAfterNs: number;
}

export interface NodeEnvironment {
  readonly sandboxedServices: number;
  readonly baselineHostMounts: number;
  readonly pathWalksPerCpuPerSecond: number;
  readonly systemd: SystemdModel;
  readonly kubelet: KubeletModel;
  readonly nodeHealthCheck: { readonly enabled: boolean; readonly everyNs: number };
  readonly contextSwitchNs: number;
}

export interface NodeModel {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  /** By name, sorted. */
  readonly parameters: Readonly<Record<string, ModelParameter>>;
  /** The environment block's numbers as named parameters (overridable like the others). */
  readonly environmentParameters: Readonly<Record<string, ModelParameter>>;
  readonly environment: NodeEnvironment;
}

/** A kernel, node and runtime model resolved together, with every procedure they define. */
export interface LaunchModels {
  readonly kernel: KernelModel;
  readonly node: NodeModel;
  readonly runtime: RuntimeModel;
  /** Every procedure, keyed `runtime/<name>`, `node/<name>` or `kernel/<name>`. */
  readonly procedures: Readonly<Record<string, Procedure>>;
}

/** Evaluates a count for the current state; never negative. */
export function evaluateCount(count: CountExpression, values: Readonly<Record<CountVariable, number>>): number {
  let total = count.constant;
  for (const term of count.terms) total += term.factor * values[term.variable];
  return Math.max(0, Math.round(total));
}

/** Every parameter of a model set, for reports and sensitivity sweeps: kernel, node, then environment. */
export function allParameters(models: Pick<LaunchModels, 'kernel' | 'node'>): ModelParameter[] {
  return [...Object.values(models.kernel.parameters), ...Object.values(models.node.parameters), ...Object.values(models.node.environmentParameters)];
}

/** A parameter by name from the kernel or node model (kernel first), or undefined. */
export function findParameter(models: Pick<LaunchModels, 'kernel' | 'node'>, name: string): ModelParameter | undefined {
  return models.kernel.parameters[name] ?? models.node.parameters[name] ?? models.node.environmentParameters[name];
}
