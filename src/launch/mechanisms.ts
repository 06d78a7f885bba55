/**
 * The mechanisms beyond the naive model (docs/feasibility.md §2), each a switch so an ablation can turn it off and measure what it
 * carried. All are on by default: each is grounded in kernel or user-space
 * code, cited where it acts.
 */
export interface MechanismSwitches {
  /** 1. systemd and kubelet re-read /proc/<pid>/mountinfo; each line's prepend_path retries under mount_lock when writers moved the sequence. */
  mountinfoReaders: boolean;
  /** 2. An expedited grace period cannot end while a CPU that was spinning in an RCU-walk path_init (or inside a spin_lock) at its start still is. */
  rcuHeldOpen: boolean;
  /** 3. mount_setattr and umount sum per-CPU counters over every possible CPU inside their write sections; remote-socket lines cost a cross-socket miss each. */
  perCpuSums: boolean;
  /** 4. Background path walkers arriving during a write section spin on mount_lock's line, adding fan-out re-reads and grace-period holdouts. */
  spinnerFanOut: boolean;
  /** 5. Heterogeneous starts and layer counts (the scenario's arrival stagger and layer distribution); off = every launch at t = 0 with the mean layer count. */
  heterogeneity: boolean;
  /** 6. Mount propagation: each host mount or umount under the shared root repeats in every receiving namespace (sandboxed services and containers in runc's setup window). */
  propagation: boolean;
  /** runc's O(host mounts) work: copy of the host table at unshare, make-rslave, and detach of the old root. */
  runcNamespaceCopy: boolean;
}

export const MECHANISM_NAMES = ['mountinfoReaders', 'rcuHeldOpen', 'perCpuSums', 'spinnerFanOut', 'heterogeneity', 'propagation', 'runcNamespaceCopy'] as const satisfies readonly (keyof MechanismSwitches)[];

export type MechanismName = (typeof MECHANISM_NAMES)[number];

export const ALL_MECHANISMS_ON: MechanismSwitches = {
  mountinfoReaders: true,
  rcuHeldOpen: true,
  perCpuSums: true,
  spinnerFanOut: true,
  heterogeneity: true,
  propagation: true,
  runcNamespaceCopy: true,
};
