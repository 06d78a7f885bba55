import { FifoWaitQueue, type SimEvent, type Simulation } from '../engine/index.js';

/**
 * A single FIFO server with a uniform handoff cost: the abstract lock that
 * queueing theory has closed forms for. `request` returns the event to wait
 * on; `release` hands the server to the oldest waiter after `handoffNs`.
 */
export class FifoServer {
  private busy = false;
  private readonly waiters: FifoWaitQueue<null>;
  busySinceNs = 0;
  busyTimeNs = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly handoffNs = 0,
  ) {
    this.waiters = new FifoWaitQueue<null>(sim);
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  request(): SimEvent {
    if (!this.busy) {
      this.busy = true;
      this.busySinceNs = this.sim.now;
      return this.sim.timeout(0);
    }
    return this.waiters.enqueue(null).event;
  }

  release(): void {
    if (this.waiters.length > 0) {
      this.waiters.wakeNext(undefined, this.handoffNs);
      return;
    }
    this.busy = false;
    this.busyTimeNs += this.sim.now - this.busySinceNs;
  }

  /** Busy time up to `nowNs`, counting a busy period still in progress. */
  busyTimeUntil(nowNs: number): number {
    return this.busyTimeNs + (this.busy ? nowNs - this.busySinceNs : 0);
  }
}
