/**
 * A seqlock as mount_lock uses it (fs/namespace.c: DEFINE_SEQLOCK(mount_lock);
 * include/linux/seqlock.h): a qspinlock and a sequence count, 8 bytes on ONE
 * 64-byte line.
 *
 * Writers: write_seqlock = spin_lock then seq++ (odd); write_sequnlock =
 * seq++ (even) then spin_unlock. Exclusive readers (read_seqlock_excl): the
 * spinlock only, no sequence bump. Writer fairness is the qspinlock's: FIFO.
 * Lockless readers (path_init's __read_seqcount_begin): while the count is
 * odd they spin reading the line (PAUSE loop), then take the even value;
 * `readRetry` tells an RCU walk whether a write happened since, so it must
 * fall back to ref-walk.
 * Cache lines: the four stores of a write section (lock, count, count,
 * unlock; docs/kernel.md §4) go to one line. A store to a line the CPU
 * already holds exclusively costs nothing more, so the lock's cmpxchg and
 * the first increment are one write of the line, and the second increment
 * and the unlock another (x86 keeps stores in order, and smp_wmb between
 * them is a compiler barrier): each invalidates every spinner's copy, who
 * re-read through the home (`CacheLine.write`). So does every arriving
 * writer's atomic on the lock word (QSpinlock). A parked reader sees the
 * even count when its own re-read after the releasing write is served, and
 * keeps the value it saw: it is not woken again by the next writer, whose
 * write queues at the home behind the burst.
 * The odd count is visible from the moment its write lands (`oddFromNs`),
 * not from the request: a reader before that sees the even value.
 * Readers the model holds as a population (`SeqReaderPopulation`) are told
 * when the count turns odd and even, and add their re-reads to each burst.
 * Simplified on purpose: the even count is visible from the release
 * request on (the readers it matters for are the parked ones, whose wake-up
 * times come from the burst).
 */
import { CacheLine, type UntrackedSharers } from '../coherence/cache-line.js';
import { NORMAL, type ProcessBody, type SimEvent } from '../engine/index.js';
import type { SectionPlan } from './exclusive-spinlock.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { QSpinlock } from './qspinlock.js';

interface ParkedReader {
  readonly cpu: number;
  readonly event: SimEvent<number>;
}

/** Counters of the lockless read side. */
export class SeqReaderStats {
  /** Completed read_seqcount_begin calls. */
  reads = 0;
  /** Reads that found the count odd and had to spin. */
  spunReads = 0;
  spinNs = 0;
  maxSpinNs = 0;
  /** readRetry calls that reported a moved count (RCU walk falls back). */
  retries = 0;
  readonly spinNsByCpu = new Map<number, number>();
}

/** Readers of the count held as a population rather than one process each. */
export interface SeqReaderPopulation extends UntrackedSharers {
  /** The count turned odd at `atNs` (a write section's first store landed). */
  writeBegan(atNs: number): void;
  /**
   * The count turned even with the write completed at `atNs`; the spinning
   * readers re-read in the burst `burstStartNs`..`burstEndNs` and see the
   * value `seenAfterNs` after their re-read is served (the transfer from the
   * writer, on average).
   */
  writeEnded(atNs: number, burstStartNs: number, burstEndNs: number, seenAfterNs: number): void;
}

export interface SeqLockOptions {
  homeNode?: number;
  /** Where the spinlock's events (writers and exclusive readers) are reported. */
  stats?: LockStats;
}

export class SeqLock {
  readonly line: CacheLine;
  readonly spinlock: QSpinlock;
  readonly readerStats = new SeqReaderStats();
  /** The sequence count: odd while a writer is inside its section. */
  sequence = 0;
  /** Latency of the last even read (readBeginNowIfEven, or readBegin that did not spin), ns: a miss when the reader's copy was stale. */
  readDelayNs = 0;
  private parked: ParkedReader[] = [];
  private writerCpu = -1;
  /** When the odd count's store lands. */
  private oddFromNs = 0;
  private endingWrite = false;
  private population: SeqReaderPopulation | null = null;
  /** 1 for a CPU whose section request (requestWriteSection) is a write: the count turns odd at its grant. */
  private readonly writeRequested: Uint8Array;

  constructor(
    private readonly context: KernelContext,
    readonly name: string,
    options: SeqLockOptions = {},
  ) {
    this.line = new CacheLine(context, name, options.homeNode);
    this.spinlock = new QSpinlock(context, name, { line: this.line, stats: options.stats });
    this.spinlock.afterReleaseWrite = (cpu) => this.released(cpu);
    let maxCpu = 0;
    for (const cpu of context.topology.possibleCpus) maxCpu = Math.max(maxCpu, cpu.id);
    this.writeRequested = new Uint8Array(maxCpu + 1);
    this.spinlock.beforeSection = (cpu, grantedAtNs) => {
      if (this.writeRequested[cpu] === 0) return;
      this.writeRequested[cpu] = 0;
      this.beginWrite(cpu, grantedAtNs);
    };
  }

  /** Writer-class counters (write sections and exclusive readers together). */
  get stats(): LockStats {
    return this.spinlock.stats;
  }

  get parkedReaders(): number {
    return this.parked.length;
  }

  /** The count as a reader sees it now: an odd value whose store has not landed reads as the even one before it. */
  get visibleSequence(): number {
    const sequence = this.sequence;
    return (sequence & 1) === 1 && this.context.sim.now < this.oddFromNs ? sequence - 1 : sequence;
  }

  /** Readers held as a population: told of every odd and even count, and charged in every burst. */
  attachPopulation(population: SeqReaderPopulation): void {
    this.population = population;
    this.line.untracked = population;
  }

  /** write_seqlock(): spin_lock, then the count turns odd. */
  *writeLock(cpu: number): ProcessBody<void> {
    yield* this.spinlock.lock(cpu);
    this.beginWrite(cpu, this.context.sim.now);
  }

  /**
   * write_seqlock() and a write section whose length `plan` gives at the
   * grant (ExclusiveSpinlock.requestSection): returns the event to wait for,
   * which fires at the section's end, still holding; the count turns odd at
   * the grant.
   */
  requestWriteSection(cpu: number, plan: SectionPlan): SimEvent<void> {
    this.writeRequested[cpu] = 1;
    return this.spinlock.requestSection(cpu, plan);
  }

  /** read_seqlock_excl() and a section whose length `plan` gives at the grant, as one process step. */
  requestExclusiveSection(cpu: number, plan: SectionPlan): SimEvent<void> {
    return this.spinlock.requestSection(cpu, plan);
  }

  /** write_seqlock() when the spinlock is free: see ExclusiveSpinlock.lockNowIfFree. */
  writeLockNowIfFree(cpu: number): number {
    const delayNs = this.spinlock.lockNowIfFree(cpu);
    if (delayNs < 0) return -1;
    this.beginWrite(cpu, this.context.sim.now + delayNs);
    return delayNs;
  }

  /** __read_seqcount_begin() when the count is even (no spin): returns it, its read latency in `readDelayNs`; -1 if odd (use readBegin). */
  readBeginNowIfEven(cpu: number): number {
    const sequence = this.visibleSequence;
    if ((sequence & 1) === 1) return -1;
    const now = this.context.sim.now;
    this.readDelayNs = this.line.read(cpu, now) - now;
    this.readerStats.reads++;
    return sequence;
  }

  /** write_sequnlock(): the count turns even, then spin_unlock; spinning readers see the even count in the release's re-read burst. */
  writeUnlock(cpu: number): void {
    if (this.writerCpu !== cpu) throw new Error(`${this.name}: cpu ${cpu} ends a write section it does not hold`);
    this.writerCpu = -1;
    this.sequence++;
    this.endingWrite = true;
    this.spinlock.unlock(cpu);
  }

  /** read_seqlock_excl(): excludes writers without moving the count. */
  *lockExclusive(cpu: number): ProcessBody<void> {
    yield* this.spinlock.lock(cpu);
  }

  unlockExclusive(cpu: number): void {
    if (this.writerCpu === cpu) throw new Error(`${this.name}: cpu ${cpu} ends a write section with unlockExclusive`);
    this.spinlock.unlock(cpu);
  }

  /** __read_seqcount_begin(): spins while the count is odd; returns the even count it saw. */
  *readBegin(cpu: number): ProcessBody<number> {
    const sim = this.context.sim;
    const visible = this.visibleSequence;
    if ((visible & 1) === 0) {
      this.readDelayNs = this.line.read(cpu, sim.now) - sim.now;
      this.readerStats.reads++;
      return visible;
    }
    const startNs = sim.now;
    const event = sim.event<number>();
    this.parked.push({ cpu, event });
    this.line.addSpinner(cpu, startNs);
    this.context.cpuState.setSpinning(cpu, true);
    const sequence: number = yield event;
    this.context.cpuState.setSpinning(cpu, false);
    this.readDelayNs = 0;
    const spinNs = sim.now - startNs;
    const stats = this.readerStats;
    stats.reads++;
    stats.spunReads++;
    stats.spinNs += spinNs;
    if (spinNs > stats.maxSpinNs) stats.maxSpinNs = spinNs;
    stats.spinNsByCpu.set(cpu, (stats.spinNsByCpu.get(cpu) ?? 0) + spinNs);
    return sequence;
  }

  /** read_seqretry() by `cpu`: true if a write section began since `readBegin` returned `sequence`. */
  readRetry(sequence: number, cpu?: number): boolean {
    if (cpu !== undefined) this.line.read(cpu, this.context.sim.now);
    const moved = this.visibleSequence !== sequence;
    if (moved) this.readerStats.retries++;
    return moved;
  }

  private beginWrite(cpu: number, atNs: number): void {
    this.sequence++;
    this.writerCpu = cpu;
    this.oddFromNs = atNs;
    this.population?.writeBegan(atNs);
  }

  /** The releasing write has landed: parked readers see the even count at their re-reads; the population too. */
  private released(writerCpu: number): void {
    if (!this.endingWrite) return;
    this.endingWrite = false;
    const { sim, topology } = this.context;
    const line = this.line;
    const parked = this.parked;
    if (parked.length > 0) {
      this.parked = [];
      const sequence = this.sequence;
      for (const reader of parked) {
        const seenNs = line.burstReadNs(topology.fanOutUnit(reader.cpu)) + topology.transferNs(writerCpu, reader.cpu, line.homeNode);
        reader.event.succeed(sequence, NORMAL, seenNs - sim.now);
      }
      for (const reader of parked) line.removeSpinner(reader.cpu);
    }
    this.population?.writeEnded(line.lastWriteNs, line.burstStartNs, line.burstEndNs, topology.upgradeNs(writerCpu, line.homeNode));
  }
}
