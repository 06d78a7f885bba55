// Mount-table counts: an unmount removes the copies its own mount made, whatever the receivers are by then.
import { describe, expect, it } from 'vitest';
import { MountTables } from '../../src/launch/mount-tables.js';
import { ALL_MECHANISMS_ON } from '../../src/launch/index.js';
import { KernelThread } from '../../src/launch/thread.js';
import type { NodeEnvironment } from '../../src/models/types.js';
import type { Simulation } from '../../src/engine/index.js';

const environment = { sandboxedServices: 3, baselineHostMounts: 10 } as NodeEnvironment;
const sim = { now: 0 } as Simulation;

function tables(propagation = true): MountTables {
  return new MountTables(sim, environment, { ...ALL_MECHANISMS_ON, propagation }, () => undefined);
}

describe('MountTables', () => {
  it('starts with the baseline table in the host and in every service', () => {
    const mounts = tables();
    expect([mounts.hostMounts, mounts.systemMounts]).toEqual([10, 40]);
  });

  it('returns to the baseline when every mount is unmounted, though containers entered their setup window in between', () => {
    const mounts = tables();
    const launch = new KernelThread(1, 'launch-1', 2, 0, 1);
    // Two bind mounts while only the 3 services receive: 4 copies each.
    mounts.change(launch, 1);
    mounts.change(launch, 1);
    expect(mounts.systemMounts).toBe(40 + 8);
    // Five containers enter runc's setup window: later mounts reach 9 namespaces.
    for (let i = 0; i < 5; i++) mounts.window(true);
    mounts.change(launch, 1);
    expect(mounts.systemMounts).toBe(48 + 9);
    // The old count subtracted 1 + receivers now (9) per unmount: 57 - 27 = 30, below the baseline of 40.
    mounts.change(launch, -1);
    mounts.change(launch, -1);
    mounts.change(launch, -1);
    expect(mounts.hostMounts).toBe(10);
    expect(mounts.systemMounts).toBe(40);
    expect(mounts.maxSystemMounts).toBe(57);
  });

  it('unmounts a thread’s mounts oldest first, apart from other threads’', () => {
    const mounts = tables();
    const a = new KernelThread(1, 'a', 1, 0, 1);
    const b = new KernelThread(2, 'b', 1, 0, 1);
    mounts.change(a, 1); // 4 copies
    mounts.window(true);
    mounts.change(b, 1); // 5 copies
    mounts.change(a, 1); // 5 copies
    mounts.window(true);
    mounts.change(a, -1); // a's first mount: 4
    expect(mounts.systemMounts).toBe(40 + 5 + 5);
    mounts.change(b, -1);
    mounts.change(a, -1);
    expect(mounts.systemMounts).toBe(40);
  });

  it('counts one copy per mount without propagation, and never goes below the baseline', () => {
    const mounts = tables(false);
    const launch = new KernelThread(1, 'launch-1', 1, 0, 1);
    mounts.change(launch, 1);
    mounts.window(true);
    mounts.change(launch, -1);
    expect([mounts.hostMounts, mounts.systemMounts]).toEqual([10, 10]);
  });
});
