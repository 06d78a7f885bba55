// Tests src/cli/progress.ts (kept under test/report/ because that is this change's test folder).
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

/** A stream that claims to be a terminal and records what is drawn. */
function fakeTerminal(): Writable & { isTTY: boolean; columns: number; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { isTTY: true, columns: 120, output: () => chunks.join('') });
}

describe('createProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('draws nothing and starts no timer when disabled', () => {
    const stream = fakeTerminal();
    const progress = createProgress({ total: 10, label: 'simulating', enabled: false, stream });
    expect(vi.getTimerCount()).toBe(0);
    progress.tick(5);
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(stream.output()).toBe('');
  });

  it('draws nothing for work that finishes within the first second', () => {
    const stream = fakeTerminal();
    const progress = createProgress({ total: 10, label: 'simulating', enabled: true, stream });
    progress.tick(10);
    vi.advanceTimersByTime(900);
    progress.stop();
    vi.advanceTimersByTime(5_000);
    expect(stream.output()).toBe('');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('appears after one second with done/total and an ETA, then clears on stop', () => {
    const stream = fakeTerminal();
    const sigintListeners = process.listenerCount('SIGINT');
    const progress = createProgress({ total: 40, label: 'simulating', enabled: true, stream });
    progress.tick(3);
    vi.advanceTimersByTime(999);
    expect(stream.output()).toBe('');
    vi.advanceTimersByTime(1);
    expect(stream.output()).toContain('simulating [');
    expect(stream.output()).toContain('3/40');
    expect(stream.output()).toContain('ETA');
    // Ctrl-C must still end the process while the bar is shown.
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
    progress.tick(17);
    vi.advanceTimersByTime(500);
    expect(stream.output()).toContain('20/40 (50%)');
    progress.stop();
    progress.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never counts past the total', () => {
    const stream = fakeTerminal();
    const progress = createProgress({ total: 4, label: 'runs', enabled: true, stream, delayMs: 0 });
    vi.advanceTimersByTime(0);
    progress.tick(3);
    progress.tick(3);
    vi.advanceTimersByTime(500);
    expect(stream.output()).toContain('4/4');
    expect(stream.output()).not.toContain('6/4');
    progress.stop();
  });

  it('draws nothing when the stream is not a terminal', () => {
    const stream = Object.assign(fakeTerminal(), { isTTY: false });
    const progress = createProgress({ total: 10, label: 'simulating', enabled: true, stream });
    vi.advanceTimersByTime(2_000);
    progress.tick();
    progress.stop();
    expect(stream.output()).toBe('');
  });
});
