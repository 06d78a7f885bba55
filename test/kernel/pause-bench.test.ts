import { describe, expect, it } from 'vitest';
import { placeThreads, runPauseBench } from '../../src/lock-bench/index.js';
import { m7aLike, m7iLike, r5MetalLike } from '../support/test-topology.js';

describe('pause_bench', () => {
  it('places threads compactly (thread 0 of every core first), spread over domains, or on socket 0', () => {
    const r5 = r5MetalLike(); // 2 sockets x 24 cores x 2 threads: cpus 0-23 socket 0, 24-47 socket 1, then siblings
    expect(placeThreads(r5, 4, 'compact')).toEqual([0, 1, 2, 3]);
    expect(placeThreads(r5, 4, 'spread')).toEqual([0, 24, 1, 25]);
    expect(placeThreads(r5, 26, 'one-socket').slice(22)).toEqual([22, 23, 48, 49]);
    expect(() => placeThreads(r5, 49, 'one-socket')).toThrow(RangeError);
    expect(placeThreads(m7aLike(), 3, 'spread')).toEqual([0, 8, 16]);
  });

  it('is deterministic and obeys Little\'s law in its closed loop', () => {
    const options = { topology: m7iLike(2), threads: 64, holdNs: 100, thinkNs: 100, durationNs: 1e6, seed: 4 } as const;
    const a = runPauseBench(options);
    const b = runPauseBench(options);
    expect(a).toEqual(b);
    // N = X (Z + R): each thread is either thinking or inside a request-to-release latency.
    const little = (a.throughputPerSec / 1e9) * (options.thinkNs + a.meanLatencyNs);
    expect(Math.abs(little / options.threads - 1)).toBeLessThan(0.05);
    expect(a.p50LatencyNs).toBeLessThanOrEqual(a.p99LatencyNs);
    expect(a.handoffsByClass.domain + a.handoffsByClass.smt).toBeGreaterThan(0);
  });

  it('one thread: latency is the hold time', () => {
    const result = runPauseBench({ topology: r5MetalLike(), threads: 1, holdNs: 100, thinkNs: 50, durationNs: 1e5 });
    expect(result.meanLatencyNs).toBe(100);
  });

  // R8 as the model reads it (test topologies with docs/hardware.md medians; home
  // service 30 ns, re-read 15 ns, SMT slowdown 1.2 for every family).
  it('R8: r5 one socket below both sockets at 48 threads; m7a lowest at high thread counts', () => {
    const run = (topology: ReturnType<typeof r5MetalLike>, threads: number, placement: 'compact' | 'one-socket') =>
      runPauseBench({ topology, threads, placement, holdNs: 100, thinkNs: 100, durationNs: 1e6, seed: 1 }).meanLatencyNs;
    expect(run(r5MetalLike(), 48, 'one-socket')).toBeLessThan(run(r5MetalLike(), 48, 'compact'));
    for (const threads of [48, 96]) {
      const m7a = run(m7aLike(), threads, 'compact');
      expect(m7a).toBeLessThan(run(m7iLike(2), threads, 'compact'));
      expect(m7a).toBeLessThan(run(r5MetalLike(), threads, 'compact'));
      if (threads === 48) expect(m7a).toBeLessThan(run(m7iLike(1), threads, 'compact'));
    }
  });
});
