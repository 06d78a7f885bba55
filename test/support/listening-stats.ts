/**
 * LockStats that calls listeners on each event, for tests that check a
 * lock's behaviour as it happens (safety, FIFO order, golden traces).
 */
import { LockStats, type LockEvent, type LockMode } from '../../src/kernel/index.js';
import type { DistanceClass } from '../../src/topology/topology.js';

type Listener = (event: LockEvent) => void;

export class ListeningStats extends LockStats {
  private readonly listeners: Record<LockEvent['event'], Listener[]> = { requested: [], acquired: [], released: [], handoff: [] };

  on(event: LockEvent['event'], listener: Listener): this {
    this.listeners[event].push(listener);
    return this;
  }

  private emit(event: LockEvent): void {
    for (const listener of this.listeners[event.event]) listener(event);
  }

  override requested(cpu: number, nowNs: number, mode: LockMode): void {
    super.requested(cpu, nowNs, mode);
    this.emit({ event: 'requested', cpu, timeNs: nowNs, mode });
  }

  override acquired(cpu: number, nowNs: number, mode: LockMode, waitNs: number, contended: boolean): void {
    super.acquired(cpu, nowNs, mode, waitNs, contended);
    this.emit({ event: 'acquired', cpu, timeNs: nowNs, mode, waitNs });
  }

  override released(cpu: number, nowNs: number, mode: LockMode, holdNs: number): void {
    super.released(cpu, nowNs, mode, holdNs);
    this.emit({ event: 'released', cpu, timeNs: nowNs, mode, holdNs });
  }

  override handedOff(fromCpu: number, toCpu: number, nowNs: number, mode: LockMode, distanceClass: DistanceClass): void {
    super.handedOff(fromCpu, toCpu, nowNs, mode, distanceClass);
    this.emit({ event: 'handoff', cpu: toCpu, timeNs: nowNs, mode, fromCpu, distanceClass });
  }
}
