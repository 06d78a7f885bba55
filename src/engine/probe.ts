/**
 * Named observation points. Components emit; collectors listen. A probe with
 * no listener costs one boolean test at the emit site (`if (probe.active)`).
 */
export class Probe<P> {
  private listeners: ((payload: P) => void)[] = [];
  active = false;

  constructor(readonly name: string) {}

  emit(payload: P): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](payload);
  }

  listen(listener: (payload: P) => void): () => void {
    this.listeners.push(listener);
    this.active = true;
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      this.active = this.listeners.length > 0;
    };
  }
}

export class ProbeBus {
  private readonly probes = new Map<string, Probe<unknown>>();

  probe<P>(name: string): Probe<P> {
    let probe = this.probes.get(name);
    if (probe === undefined) {
      probe = new Probe<unknown>(name);
      this.probes.set(name, probe);
    }
    return probe as Probe<P>;
  }

  on<P>(name: string, listener: (payload: P) => void): () => void {
    return this.probe<P>(name).listen(listener);
  }

  names(): string[] {
    return [...this.probes.keys()].sort();
  }
}
