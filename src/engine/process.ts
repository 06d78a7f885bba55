import { Interrupt, NORMAL, PROCESSED, SimEvent, URGENT } from './event.js';
import type { Simulation } from './simulation.js';

/**
 * A process body: a generator that yields the events it waits for and receives
 * their values back. Sub-steps compose with `yield*`, so a lock acquisition
 * reads like the kernel path it models.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ProcessBody<R = void> = Generator<SimEvent<any>, R, any>;

/**
 * A running generator. A process is itself an event that succeeds with the
 * generator's return value, so processes can wait for each other.
 */
export class Process<R = void> extends SimEvent<R> {
  private waitingOn: SimEvent | null = null;
  private readonly resumeCallback = (event: SimEvent): void => this.resume(event);

  constructor(
    sim: Simulation,
    private readonly body: ProcessBody<R>,
    readonly name: string,
  ) {
    super(sim);
    // Start URGENT so an interrupt at the same instant cannot reach a process
    // that has not begun.
    const start = new SimEvent(sim);
    start.addCallback(this.resumeCallback);
    start.succeed(undefined, URGENT);
    this.waitingOn = start;
  }

  get isAlive(): boolean {
    return !this.isTriggered;
  }

  /** Throws an `Interrupt` into the process at the current time. */
  interrupt(cause?: unknown): void {
    if (!this.isAlive) throw new Error(`process ${this.name} has terminated and cannot be interrupted`);
    const interruption = new SimEvent<Interrupt>(this.sim);
    interruption.addCallback(() => {
      if (!this.isAlive) return;
      if (this.waitingOn !== null) this.waitingOn.removeCallback(this.resumeCallback);
      this.resume(interruption);
    });
    interruption.defused = true;
    interruption.fail(new Interrupt(cause), URGENT);
  }

  private resume(event: SimEvent): void {
    this.waitingOn = null;
    let current: SimEvent = event;
    for (;;) {
      let step: IteratorResult<SimEvent, R>;
      try {
        if (current.ok) {
          step = this.body.next(current.value);
        } else {
          current.defused = true;
          step = this.body.throw(current.value);
        }
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)), NORMAL);
        return;
      }
      if (step.done === true) {
        this.succeed(step.value, NORMAL);
        return;
      }
      const next = step.value;
      if (!(next instanceof SimEvent)) {
        this.fail(new TypeError(`process ${this.name} yielded ${String(next)}, not an event`));
        return;
      }
      if (next.state === PROCESSED) {
        current = next;
        continue;
      }
      next.addCallback(this.resumeCallback);
      this.waitingOn = next;
      return;
    }
  }
}
