/**
 * What each logical CPU is doing, as far as its SMT siblings feel it: busy
 * (running a thread: working, spinning or inside a critical section) and, of
 * the busy ones, spinning. The launch model's scheduler drives busy/idle; the
 * locks mark their waiters spinning, and sleepers (rwsem, RCU) idle.
 *
 * The only consumer is `stretchNs`: a critical section runs slower while a
 * sibling hardware thread competes for the core's issue slots.
 */
import type { Topology } from '../topology/index.js';

export class CpuState {
  private readonly busy: Uint8Array;
  private readonly spinning: Uint8Array;

  constructor(private readonly topology: Topology) {
    // Indexed by logical id; possible CPUs cover every id a workload may use.
    let maxId = 0;
    for (const cpu of topology.possibleCpus) maxId = Math.max(maxId, cpu.id);
    for (const cpu of topology.cpus) maxId = Math.max(maxId, cpu.id);
    this.busy = new Uint8Array(maxId + 1);
    this.spinning = new Uint8Array(maxId + 1);
  }

  isBusy(cpu: number): boolean {
    return this.busy[cpu] === 1;
  }

  isSpinning(cpu: number): boolean {
    return this.spinning[cpu] === 1;
  }

  /** Idle also ends spinning: a CPU that went to sleep spins no more. */
  setBusy(cpu: number, busy: boolean): void {
    this.busy[cpu] = busy ? 1 : 0;
    if (!busy) this.spinning[cpu] = 0;
  }

  /** A spinning CPU is busy; when spinning ends the thread keeps running. */
  setSpinning(cpu: number, spinning: boolean): void {
    this.spinning[cpu] = spinning ? 1 : 0;
    if (spinning) this.busy[cpu] = 1;
  }

  /** True if any other hardware thread of `cpu`'s core is busy. */
  siblingBusy(cpu: number): boolean {
    const siblings = this.topology.siblings(cpu);
    for (let i = 0; i < siblings.length; i++) if (this.busy[siblings[i]] === 1) return true;
    return false;
  }

  /**
   * Duration of `ns` of work on `cpu` given its siblings' state now: the
   * work slowdown if a sibling runs real work, the (smaller) spin slowdown
   * if the busy siblings only spin. Sampled once at the start of the work: a
   * sibling that starts or stops midway is not followed (sections are short
   * next to the scheduler's time scale).
   */
  stretchNs(cpu: number, ns: number): number {
    const siblings = this.topology.siblings(cpu);
    let spinningSibling = false;
    for (let i = 0; i < siblings.length; i++) {
      const sibling = siblings[i];
      if (this.busy[sibling] !== 1) continue;
      if (this.spinning[sibling] !== 1) return ns * this.topology.smtSlowdown;
      spinningSibling = true;
    }
    return spinningSibling ? ns * this.topology.smtSpinSlowdown : ns;
  }

}
