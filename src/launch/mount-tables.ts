/**
 * The node's mount tables during a storm: the host namespace's table and
 * the count over every namespace, propagated copies included (mechanism 6).
 * A host mount under the shared root repeats in every receiver: each
 * sandboxed service's slave copy of /, and each container between runc's
 * unshare and the detach of its old root (the setup window). Every attach or
 * detach wakes mountinfo pollers (touch_mnt_namespace), which is systemd's
 * mount event source.
 *
 * An unmount removes the copies its mount made, not as many as there are
 * receivers at the time of the unmount: the receivers change between the two
 * (containers enter and leave their setup window), and counting them anew at
 * each end let unmounts subtract more copies than mounts had added (the
 * count went negative). Each thread's mounts are remembered with their copy
 * counts and unmounted first in, first out, the order the runtimes mount and
 * unmount layers in (binds, then the overlay over them; binds unmounted, then
 * the overlay).
 */
import type { Simulation } from '../engine/index.js';
import type { NodeEnvironment } from '../models/types.js';
import type { MechanismSwitches } from './mechanisms.js';
import type { KernelThread } from './thread.js';

/** Samples of the mount tables over time (for the report's mount-table chart). */
export interface MountTableSample {
  readonly timeNs: number;
  readonly hostMounts: number;
  readonly systemMounts: number;
  readonly receivers: number;
}

export class MountTables {
  hostMounts: number;
  systemMounts: number;
  /** Containers between runc's unshare and the detach of their old root. */
  windowCount = 0;
  maxWindowCount = 0;
  maxReceivers = 0;
  maxHostMounts: number;
  maxSystemMounts: number;
  mountEvents = 0;
  /** Mounts left in place because their umount gave up on EBUSY. */
  leakedMounts = 0;
  readonly samples: MountTableSample[] = [];
  /** Per thread, the copies (1 + receivers) each of its live mounts made, oldest first. */
  private readonly liveCopies = new Map<KernelThread, number[]>();

  constructor(
    private readonly sim: Simulation,
    private readonly environment: NodeEnvironment,
    private readonly mechanisms: MechanismSwitches,
    /** Called on every attach or detach in the host namespace. */
    private readonly onMountEvent: () => void,
  ) {
    this.hostMounts = environment.baselineHostMounts;
    this.maxHostMounts = this.hostMounts;
    this.systemMounts = environment.baselineHostMounts * (1 + this.serviceReceivers());
    this.maxSystemMounts = this.systemMounts;
  }

  /** Receivers of a propagated host mount now: sandboxed services + containers in their setup window. */
  receivers(thread: KernelThread): number {
    if (!this.mechanisms.propagation || !thread.propagates) return 0;
    return this.serviceReceivers() + this.windowCount;
  }

  private serviceReceivers(): number {
    return this.mechanisms.propagation ? this.environment.sandboxedServices : 0;
  }

  change(thread: KernelThread, delta: number): void {
    this.hostMounts += delta;
    this.systemMounts += delta > 0 ? this.mounted(thread, delta) : -this.unmounted(thread, -delta);
    if (this.hostMounts > this.maxHostMounts) this.maxHostMounts = this.hostMounts;
    if (this.systemMounts > this.maxSystemMounts) this.maxSystemMounts = this.systemMounts;
    const receivers = this.receivers(thread);
    if (receivers > this.maxReceivers) this.maxReceivers = receivers;
    this.mountEvents++;
    this.onMountEvent();
  }

  /** Records `count` mounts of `thread` with the copies each makes now; returns the copies added. */
  private mounted(thread: KernelThread, count: number): number {
    const copies = 1 + this.receivers(thread);
    let live = this.liveCopies.get(thread);
    if (live === undefined) {
      live = [];
      this.liveCopies.set(thread, live);
    }
    for (let i = 0; i < count; i++) live.push(copies);
    return count * copies;
  }

  /** Forgets `count` of `thread`'s mounts, oldest first; returns the copies they had made. A mount it never made (none recorded) counts its copies as of now. */
  private unmounted(thread: KernelThread, count: number): number {
    const live = this.liveCopies.get(thread);
    let removed = 0;
    for (let i = 0; i < count; i++) removed += live !== undefined && live.length > 0 ? live.shift()! : 1 + this.receivers(thread);
    return removed;
  }

  /** `thread`'s oldest live mount stays where it is for good (its umount gave up on EBUSY): later unmounts no longer count it. */
  leak(thread: KernelThread): void {
    this.liveCopies.get(thread)?.shift();
    this.leakedMounts++;
  }

  /** runc entered (true) or left (false) its setup window. */
  window(enter: boolean): void {
    this.windowCount += enter ? 1 : -1;
    if (this.windowCount > this.maxWindowCount) this.maxWindowCount = this.windowCount;
  }

  sample(): void {
    this.samples.push({ timeNs: this.sim.now, hostMounts: this.hostMounts, systemMounts: this.systemMounts, receivers: this.serviceReceivers() + this.windowCount });
  }
}
