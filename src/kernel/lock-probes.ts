/**
 * The observation points every lock emits: `lock/<name>/requested`,
 * `acquired`, `released` and `handoff`. Payloads are built only when someone
 * listens (`probe.active`), so an unobserved run pays one boolean test.
 */
import type { Probe, Simulation } from '../engine/index.js';
import type { DistanceClass } from '../topology/topology.js';

/** How the lock is held: exclusive spinlock, or a side of a reader-writer lock. */
export type LockMode = 'exclusive' | 'read' | 'write';

export interface LockProbePayload {
  readonly lock: string;
  /** The CPU the event concerns (for a handoff, the receiving CPU). */
  readonly cpu: number;
  readonly timeNs: number;
  readonly mode?: LockMode;
  /** On `acquired`: time since `requested`. */
  readonly waitNs?: number;
  /** On `released`: time since `acquired`. */
  readonly holdNs?: number;
  /** On `handoff`: releasing CPU and how far the lock travelled. */
  readonly fromCpu?: number;
  readonly distanceClass?: DistanceClass;
}

export class LockProbes {
  readonly requested: Probe<LockProbePayload>;
  readonly acquired: Probe<LockProbePayload>;
  readonly released: Probe<LockProbePayload>;
  readonly handoff: Probe<LockProbePayload>;

  constructor(sim: Simulation, lockName: string) {
    this.requested = sim.probes.probe<LockProbePayload>(`lock/${lockName}/requested`);
    this.acquired = sim.probes.probe<LockProbePayload>(`lock/${lockName}/acquired`);
    this.released = sim.probes.probe<LockProbePayload>(`lock/${lockName}/released`);
    this.handoff = sim.probes.probe<LockProbePayload>(`lock/${lockName}/handoff`);
  }
}
