/**
 * The mechanisms beyond the naive model (docs/feasibility.md §2), each a
 * switch so an ablation can turn it off and measure what it carried. All are
 * on by default: each is grounded in kernel, user-space or hardware sources,
 * cited where it acts (the node's in models/nodes/*.yaml). Four are the
 * hardware's: what makes one machine family differ from another besides its
 * core count. The last four are the node software's (issue 15).
 */
export interface MechanismSwitches {
  /** 1. systemd and kubelet re-read /proc/<pid>/mountinfo; each line's prepend_path retries under mount_lock when writers moved the sequence. */
  mountinfoReaders: boolean;
  /** 2. An expedited grace period cannot end while a CPU that was spinning in an RCU-walk path_init (or inside a spin_lock) at its start still is. */
  rcuHeldOpen: boolean;
  /** 3. mount_setattr and umount sum per-CPU counters over every possible CPU inside their write sections; each line costs its latency from the summing CPU, overlapped up to the core's outstanding misses. */
  perCpuSums: boolean;
  /** 4. Other processes' path walks, a closed population of the node's free CPUs, read and spin on mount_lock's line: re-reads at its home, grace-period holdouts, SMT siblings of holders. */
  backgroundReaders: boolean;
  /** 5. Heterogeneous starts and layer counts (the scenario's arrival stagger and layer distribution); off = every launch at t = 0 with the mean layer count. */
  heterogeneity: boolean;
  /** 6. Mount propagation: each host mount or umount under the shared root repeats in every receiving namespace (sandboxed services and containers in runc's setup window). */
  propagation: boolean;
  /** runc's O(host mounts) work: copy of the host table at unshare, make-rslave, and detach of the old root. */
  runcNamespaceCopy: boolean;
  /** Hardware: cross-socket transfers and remote memory cost what the measured matrix says; off = what they would cost on one socket. */
  numaHandoffs: boolean;
  /** Hardware: the line's home serves one request at a time, in arrival order; off = every request served on arrival. */
  homeQueueing: boolean;
  /** Hardware: every write of a lock line makes each unit spinning on it re-read through the home; off = spinners see writes for nothing. */
  fanOut: boolean;
  /** Hardware: a busy SMT sibling slows a critical section (smtSlowdown, smtSpinSlowdown); off = no slowdown. */
  smtSlowdown: boolean;
  /** Node: systemd's mount event source outranks its D-Bus connection (sd-event priorities), so the node health check waits while mount events keep arriving; off = a call is answered when the current parse ends. */
  systemdEventPriorities: boolean;
  /** Node: containerd's GetUsernsFD forks a helper that inherits every open fd; an umount(2) without MNT_DETACH of a mount whose fd a live helper holds fails with EBUSY (the runtime then retries or leaves the mount); off = never busy. */
  usernsHelperFds: boolean;
  /** Node: kubelet's CRI request timeout (a timed-out launch is retried every 10-15 s and never completes: its name stays reserved), PLEG relists and runtime Status calls (NotReady, pod syncs stop); off = a pass longer than the timeout only marks its launch failed when it ends. */
  kubeletCri: boolean;
  /** Node: a started container's application runs its start-up (CPU seconds over a duration, path walks) on the node's CPUs and SMT siblings, and the launch ends at the first readiness probe after it; off = ready when started. */
  applicationStartup: boolean;
}

export const MECHANISM_NAMES = [
  'mountinfoReaders',
  'rcuHeldOpen',
  'perCpuSums',
  'backgroundReaders',
  'heterogeneity',
  'propagation',
  'runcNamespaceCopy',
  'numaHandoffs',
  'homeQueueing',
  'fanOut',
  'smtSlowdown',
  'systemdEventPriorities',
  'usernsHelperFds',
  'kubeletCri',
  'applicationStartup',
] as const satisfies readonly (keyof MechanismSwitches)[];

export type MechanismName = (typeof MECHANISM_NAMES)[number];

/** The hardware mechanisms, the ones a family-pair ablation measures. */
export const HARDWARE_MECHANISMS = ['numaHandoffs', 'homeQueueing', 'fanOut', 'perCpuSums', 'smtSlowdown', 'propagation'] as const satisfies readonly MechanismName[];

export const ALL_MECHANISMS_ON: MechanismSwitches = {
  mountinfoReaders: true,
  rcuHeldOpen: true,
  perCpuSums: true,
  backgroundReaders: true,
  heterogeneity: true,
  propagation: true,
  runcNamespaceCopy: true,
  numaHandoffs: true,
  homeQueueing: true,
  fanOut: true,
  smtSlowdown: true,
  systemdEventPriorities: true,
  usernsHelperFds: true,
  kubeletCri: true,
  applicationStartup: true,
};

/** The node software's mechanisms (issue 15). */
export const NODE_MECHANISMS = ['systemdEventPriorities', 'usernsHelperFds', 'kubeletCri', 'applicationStartup'] as const satisfies readonly MechanismName[];
