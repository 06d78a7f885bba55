import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { perCpuSums } from '../../src/launch/kernel-locks.js';
import { buildTopology, findMachineModel, loadMachineModel } from '../../src/topology/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'models');

describe('for_each_possible_cpu sums from the topology (docs/hardware.md §4.1)', () => {
  const tiny = loadMachineModel(join(fixtures, 'tiny.yaml'));

  it('sums each possible CPU\'s line latency, overlapped up to the misses in flight, plus the loop\'s steps', () => {
    // tiny: 2 sockets x 2 cores x 2 threads; SMT 8 ns, same socket 40, cross socket 130; 10 misses in flight.
    const topology = buildTopology(tiny);
    const sums = perCpuSums(topology, 7, 1);
    // From CPU 0: itself 0, its sibling 8, the other core's two threads 40 each, the other socket's four 130 each.
    const latency = 0 + 8 + 2 * 40 + 4 * 130;
    expect(sums[0]).toBeCloseTo(latency / Math.min(10, 8) + 8 * 1, 9);
  });

  it('charges memory for CPUs that run nothing: nosmt siblings, CPUs outside the workload', () => {
    const nosmt = buildTopology(tiny, { nosmt: true });
    // Siblings 4-7 stay possible but offline: their lines sit in memory (90 local, 180 remote).
    const latency = 90 + 40 + 130 + 130 + 90 + 180 + 180;
    expect(perCpuSums(nosmt, 7, 1)[0]).toBeCloseTo(latency / 8 + 8, 9);
    // With CPU options the siblings do not exist: fewer lines, fewer steps.
    const options = buildTopology(tiny, { smt: false });
    expect(perCpuSums(options, 7, 1)[0]).toBeCloseTo((40 + 130 + 130) / 4 + 4, 9);
  });

  it('makes a two-socket Skylake pay more per sum than a one-socket Sapphire Rapids, and less than serial reads would', () => {
    const r5 = buildTopology(findMachineModel('r5.metal'));
    const m7i = buildTopology(findMachineModel('m7i.metal-24xl'));
    const r5Sum = perCpuSums(r5, 95, 1)[0];
    const m7iSum = perCpuSums(m7i, 95, 1)[0];
    expect(r5Sum).toBeGreaterThan(m7iSum);
    // Serial reads would cost the whole latency sum; 10 fill buffers overlap it tenfold.
    let serial = 0;
    for (const owner of r5.possibleCpus) serial += r5.perCpuLineNs(0, owner.id);
    expect(r5Sum).toBeCloseTo(serial / 10 + 96, 6);
  });
});
