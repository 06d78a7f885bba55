/**
 * The container-launch storm model: a node's CPUs, the kernel model's locks,
 * the mount tables and the node's own software, running a runtime's recipes
 * for each launch. `runLaunchStorm` is the entry point; the rest of locksim
 * reads its plain results.
 */
export { runLaunchStorm, ModelStallError } from './storm.js';
export type { ArrivalSpec, Deadlines, LaunchSpec, LayerSpec, PlacementPolicy } from './spec.js';
export type { ContainerResult, FailureReason, LaunchRunResult, LockResult } from './result.js';
export { ALL_MECHANISMS_ON, HARDWARE_MECHANISMS, MECHANISM_NAMES, type MechanismName, type MechanismSwitches } from './mechanisms.js';
export { READER_SPIN, KERNEL_WORK as KERNEL_WORK_CATEGORY, USER_WORK as USER_WORK_CATEGORY, WALK as WALK_CATEGORY, TimeCategories, isLockWaiting, isOnCpu, timeCategoryNames } from './accounting.js';
export { runSyscallMix, type MixPacing, type MixStep, type SyscallMixGroup, type SyscallMixGroupResult, type SyscallMixResult, type SyscallMixSpec } from './syscall-mix.js';
