/**
 * Mechanism 4: other processes' path lookups. Every lookup on the node reads
 * the walk seqlock's count in path_init; one that arrives during a write
 * section spins on the lock's line until the section ends. They add re-reads
 * at the line's home when the writer releases (fan-out), hold expedited
 * grace periods open, and, landing on a holder's SMT sibling, slow the
 * holder. Their arrivals are Poisson at `pathWalksPerCpuPerSecond` per
 * online CPU; where they land is taken in expectation, not drawn.
 */
import type { RandomStream } from '../engine/index.js';
import type { ExpeditedRcu, SeqLock } from '../kernel/index.js';
import type { Topology } from '../topology/index.js';
import type { NodeEnvironment } from '../models/types.js';
import type { MechanismSwitches } from './mechanisms.js';
import type { BackgroundStats } from './node-services.js';

export class BackgroundWalkers {
  /** Background path walks per ns over all online CPUs (0 with the mechanism off). */
  private readonly walksPerNs: number;
  /** Background path walks per online CPU per ns (0 with the mechanism off). */
  private readonly walksPerCpuPerNs: number;
  /** Online SMT siblings of each CPU (where background walkers can spin next to a holder). */
  private readonly onlineSiblings: Int32Array;
  /** Per fan-out unit: its share of the online CPUs and its re-read cost at the home. */
  private readonly unitCpuShare: Float64Array;
  private readonly unitReadNs: Float64Array;
  /** expectedFanOutNs[k]: home time of the re-reads when k walkers spin (all units). */
  private readonly expectedFanOutNs: Float64Array;
  /** unitHit[u * (cpus + 1) + k]: chance that unit u holds one of k walkers, 1 - (1 - share_u)^k. */
  private readonly unitHit: Float64Array;

  constructor(
    private readonly topology: Topology,
    environment: NodeEnvironment,
    private readonly mechanisms: MechanismSwitches,
    walkLock: SeqLock,
    private readonly rcu: ExpeditedRcu,
    private readonly stream: RandomStream,
    private readonly stats: BackgroundStats,
    maxCpu: number,
  ) {
    this.walksPerNs = mechanisms.spinnerFanOut ? (environment.pathWalksPerCpuPerSecond * topology.cpus.length) / 1e9 : 0;
    this.walksPerCpuPerNs = mechanisms.spinnerFanOut ? environment.pathWalksPerCpuPerSecond / 1e9 : 0;
    const online = new Set(topology.cpus.map((c) => c.id));
    this.onlineSiblings = new Int32Array(maxCpu + 1);
    for (const c of topology.cpus) this.onlineSiblings[c.id] = topology.siblings(c.id).filter((id) => online.has(id)).length;
    let maxUnit = 0;
    for (const cpu of topology.cpus) maxUnit = Math.max(maxUnit, topology.fanOutUnit(cpu.id));
    this.unitCpuShare = new Float64Array(maxUnit + 1);
    this.unitReadNs = new Float64Array(maxUnit + 1);
    for (const cpu of topology.cpus) {
      const unit = topology.fanOutUnit(cpu.id);
      this.unitCpuShare[unit] += 1 / topology.cpus.length;
      this.unitReadNs[unit] = topology.fanOutReadNs(unit, walkLock.line.homeNode);
    }
    const counts = topology.cpus.length + 1;
    this.unitHit = new Float64Array((maxUnit + 1) * counts);
    for (let unit = 0; unit <= maxUnit; unit++) {
      const share = this.unitCpuShare[unit];
      if (share > 0) for (let k = 1; k < counts; k++) this.unitHit[unit * counts + k] = 1 - Math.pow(1 - share, k);
    }
    this.expectedFanOutNs = new Float64Array(counts);
    for (let k = 1; k < counts; k++) {
      let total = 0;
      for (let unit = 0; unit <= maxUnit; unit++) {
        if (this.unitCpuShare[unit] > 0) total += this.unitHit[unit * counts + k] * this.unitReadNs[unit];
      }
      this.expectedFanOutNs[k] = total;
    }
  }

  /**
   * The holder's SMT siblings are idle as far as the launch threads go, but
   * other processes' path walks land on them at the background rate, and one
   * that lands during this write section spins there until it ends. With
   * arrivals at rate lambda on the siblings, the sibling is busy for the
   * expected fraction f = 1 - (1 - e^-x) / x of a section of length h
   * (x = lambda h), and the section stretches by the spinning-sibling SMT
   * slowdown over that fraction. Taken in expectation rather than drawn.
   */
  siblingStretch(cpu: number, holdNs: number): number {
    const siblings = this.onlineSiblings[cpu];
    if (this.walksPerCpuPerNs === 0 || siblings === 0 || holdNs <= 0) return 1;
    const x = this.walksPerCpuPerNs * siblings * holdNs;
    const busyFraction = x < 1e-6 ? x / 2 : 1 - (1 - Math.exp(-x)) / x;
    return 1 + (this.topology.smtSpinSlowdown - 1) * busyFraction;
  }

  /**
   * Path walks of other processes that arrive during a write section of
   * `holdNs` spin on the lock's line until it ends. Their number is
   * Poisson; where they land is taken in expectation: with k walkers on
   * uniformly chosen CPUs, fan-out unit u holds one with probability
   * 1 - (1 - p_u)^k, and each unit that does re-reads once through the home
   * (the writer's own unit is served locally). Returns that home time. The
   * walkers hold an expedited grace period open until the section ends
   * (one representative CPU in a read-side section expresses that).
   */
  during(writerCpu: number, holdNs: number, nowNs: number): number {
    if (this.walksPerNs === 0 || holdNs <= 0) return 0;
    const count = Math.min(poisson(this.stream, this.walksPerNs * holdNs), this.topology.cpus.length);
    if (count === 0) return 0;
    const writerUnit = this.topology.fanOutUnit(writerCpu);
    const writerHit = this.unitHit[writerUnit * (this.topology.cpus.length + 1) + count];
    const fanOutNs = this.expectedFanOutNs[count] - writerHit * this.unitReadNs[writerUnit];
    this.stats.backgroundSpinners += count;
    // Arrivals are uniform over the section: each walker spins half of it on average.
    this.stats.backgroundSpinNs += (count * holdNs) / 2;
    if (this.mechanisms.rcuHeldOpen) this.rcu.holdOpenUntil(nowNs + holdNs);
    return fanOutNs;
  }
}

/** Poisson variate by inversion for small means, normal approximation (error < 2% in the tails that matter) above 15. */
export function poisson(stream: RandomStream, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 15) return Math.max(0, Math.round(stream.normal(mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = stream.next();
  while (product > limit) {
    k++;
    product *= stream.next();
  }
  return k;
}
