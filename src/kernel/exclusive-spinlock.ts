/**
 * What the exclusive spinlocks (qspinlock, ticket, test-and-set) share: one
 * holder, a lock word on one cache line, spinning waiters that cost no events
 * while they spin, and the stats every event is reported to. Each subclass says how
 * waiters queue and who gets the lock at release, and at what line cost.
 *
 * Timing: a waiter's process wakes exactly when its acquisition completes
 * (the release time plus the modelled coherence delay). The lock is reserved
 * for it from the release on, so no one can slip in during the transfer.
 * `requestSection` saves that wake-up for a critical section that is only a
 * length of time: the grant, the section's start and its length are settled
 * at the release, and the waiter wakes once, at the section's end.
 */
import type { CacheLine } from '../coherence/cache-line.js';
import { NORMAL, type ProcessBody, type SimEvent } from '../engine/index.js';
import type { KernelContext } from './context.js';
import { LockStats } from './lock-stats.js';

/** A critical section whose length is settled when the lock is granted (see `requestSection`). */
export interface SectionPlan {
  /** The section's length for a grant at `grantedAtNs` (called once, at the grant). */
  sectionNs(grantedAtNs: number): number;
}

export interface SpinWaiter {
  readonly cpu: number;
  readonly event: SimEvent<void>;
  readonly requestedNs: number;
  /** With `requestSection`: the section's plan; the waiter then wakes when the section ends. */
  readonly section: SectionPlan | null;
}

/** Who gets the lock at a release and how long until they hold it. */
export interface Handoff {
  readonly waiter: SpinWaiter;
  readonly readyInNs: number;
}

export abstract class ExclusiveSpinlock {
  protected holderCpu = -1;
  private acquiredAtNs = 0;

  constructor(
    protected readonly context: KernelContext,
    readonly name: string,
    readonly line: CacheLine,
    /** Where every request, acquisition, release and handoff is reported. */
    readonly stats: LockStats = new LockStats(),
  ) {}

  get isLocked(): boolean {
    return this.holderCpu >= 0;
  }

  /** CPU holding the lock (or about to, during a handoff), -1 if free. */
  get holder(): number {
    return this.holderCpu;
  }

  abstract get queueLength(): number;

  /** spin_lock(): returns once `cpu` holds the lock. */
  *lock(cpu: number): ProcessBody<void> {
    const sim = this.context.sim;
    const requestedNs = sim.now;
    this.stats.requested(cpu, requestedNs, 'exclusive');
    if (this.holderCpu < 0) {
      this.holderCpu = cpu;
      const delayNs = this.acquireFreeNs(cpu);
      if (delayNs > 0) yield sim.timeout(delayNs);
      this.acquired(cpu, requestedNs, false);
      return;
    }
    const waiter: SpinWaiter = { cpu, event: sim.event<void>(), requestedNs, section: null };
    this.enqueue(waiter);
    this.context.cpuState.setSpinning(cpu, true);
    yield waiter.event;
    this.granted(cpu, requestedNs, sim.now);
  }

  /**
   * spin_lock() and a critical section whose length `plan` gives at the
   * grant: returns the event to wait for, which fires when the section ends
   * (the lock still held; the caller unlocks). The same as `lock` then a
   * timeout, with one process step instead of two and no generator.
   */
  requestSection(cpu: number, plan: SectionPlan): SimEvent<void> {
    const sim = this.context.sim;
    const requestedNs = sim.now;
    this.stats.requested(cpu, requestedNs, 'exclusive');
    if (this.holderCpu < 0) {
      this.holderCpu = cpu;
      const grantedAtNs = requestedNs + this.acquireFreeNs(cpu);
      this.acquired(cpu, requestedNs, false, grantedAtNs);
      this.onGrant(cpu, grantedAtNs);
      return sim.delay(grantedAtNs - requestedNs + plan.sectionNs(grantedAtNs));
    }
    const waiter: SpinWaiter = { cpu, event: sim.event<void>(), requestedNs, section: plan };
    this.enqueue(waiter);
    this.context.cpuState.setSpinning(cpu, true);
    return waiter.event;
  }

  /**
   * The uncontended fast path without a process step: if the lock is free,
   * `cpu` takes it now and the return value is the line transfer it still
   * has to wait (the caller folds it into its next delay); -1 if taken.
   * Acquisition is recorded at the request (a wait of 0); the transfer
   * counts as hold time.
   */
  lockNowIfFree(cpu: number): number {
    if (this.holderCpu >= 0) return -1;
    const requestedNs = this.context.sim.now;
    this.stats.requested(cpu, requestedNs, 'exclusive');
    this.holderCpu = cpu;
    const delayNs = this.acquireFreeNs(cpu);
    this.acquired(cpu, requestedNs, false, requestedNs);
    return delayNs;
  }

  /**
   * spin_trylock(): a generator because a successful cmpxchg costs the line
   * transfer; a failed one is charged nothing (the caller's copy of the word
   * shows it taken).
   */
  *tryLock(cpu: number): ProcessBody<boolean> {
    if (this.holderCpu >= 0) return false;
    yield* this.lock(cpu);
    return true;
  }

  /** spin_unlock(): hands the lock to the next waiter the subclass picks. */
  unlock(cpu: number): void {
    if (this.holderCpu !== cpu) throw new Error(`${this.name}: cpu ${cpu} unlocks a lock held by cpu ${this.holderCpu}`);
    const now = this.context.sim.now;
    const holdNs = now - this.acquiredAtNs;
    this.stats.released(cpu, now, 'exclusive', holdNs);
    const handoff = this.handOff(cpu);
    if (handoff === undefined) {
      this.holderCpu = -1;
      return;
    }
    const waiter = handoff.waiter;
    const next = waiter.cpu;
    this.holderCpu = next;
    const distanceClass = this.context.topology.distanceClass(cpu, next);
    this.stats.handedOff(cpu, next, now, 'exclusive', distanceClass);
    if (waiter.section === null) {
      waiter.event.succeed(undefined, NORMAL, handoff.readyInNs);
      return;
    }
    // The waiter's section starts at the grant; it wakes when the section ends.
    const grantedAtNs = now + handoff.readyInNs;
    this.granted(next, waiter.requestedNs, grantedAtNs);
    this.onGrant(next, grantedAtNs);
    waiter.event.succeed(undefined, NORMAL, handoff.readyInNs + waiter.section.sectionNs(grantedAtNs));
  }

  /** A section requested with `requestSection` is granted to `cpu` at `grantedAtNs` (before its plan is asked for its length). */
  protected onGrant(_cpu: number, _grantedAtNs: number): void {}

  /** The line cost of taking the free lock now: ns until `cpu` holds it (one transfer of the line by default). */
  protected acquireFreeNs(cpu: number): number {
    return this.line.transferTo(cpu);
  }

  /** Adds a waiter that found the lock taken. */
  protected abstract enqueue(waiter: SpinWaiter): void;
  /** Picks the next holder at a release by `releaserCpu`, or undefined if none waits. */
  protected abstract handOff(releaserCpu: number): Handoff | undefined;
  /** The waiter on `cpu` has the lock and stops spinning. */
  protected stopSpinning(_cpu: number): void {}

  /** A waiter holds the lock from `grantedAtNs`: it stops spinning. */
  private granted(cpu: number, requestedNs: number, grantedAtNs: number): void {
    this.context.cpuState.setSpinning(cpu, false);
    this.stopSpinning(cpu);
    this.stats.spinNs += grantedAtNs - requestedNs;
    this.acquired(cpu, requestedNs, true, grantedAtNs);
  }

  private acquired(cpu: number, requestedNs: number, contended: boolean, atNs = this.context.sim.now): void {
    this.acquiredAtNs = atNs;
    this.stats.acquired(cpu, atNs, 'exclusive', atNs - requestedNs, contended);
  }
}
