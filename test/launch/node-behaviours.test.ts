/**
 * The node's own behaviours (issue 15), each on a small storm: how many
 * lines a mountinfo read() renders, systemd's event priorities and the
 * health check, EBUSY from forked helpers (left or retried by the runtime's
 * version), kubelet's CRI timeout, and the applications' start-up.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_ROOT, ModelCatalog } from '../../src/input/catalog.js';
import { loadScenarioText, runPoint } from '../../src/pipeline.js';
import type { LaunchRunResult } from '../../src/launch/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of models/ with the node file edited. */
function editedNode(edit: (text: string) => string): ModelCatalog {
  const root = mkdtempSync(join(tmpdir(), 'locksim-node-'));
  dirs.push(root);
  cpSync(DEFAULT_MODELS_ROOT, root, { recursive: true });
  const file = join(root, 'nodes', 'k8s-node.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return new ModelCatalog(root);
}

const defaultCatalog = new ModelCatalog();

function storm(lines: readonly string[], set: readonly string[] = [], catalog = defaultCatalog): LaunchRunResult {
  const text = ['name: node-behaviour', 'machine: m7a.12xlarge', 'seeds: 1', ...lines].join('\n');
  const scenario = loadScenarioText(text, '(test)', { set, catalog });
  return runPoint(scenario, scenario.points[0], scenario.seeds[0]).output.result as LaunchRunResult;
}

const SMALL = ['containers: 12', 'layers: 6'];

describe('mountinfo reads', () => {
  it("take namespace_sem once per read() of the reader's buffer: ~7 lines per 1 KiB read through stdio, ~27 per 4 KiB", () => {
    const noKubelet = editedNode((t) => t.replace(/(kubelet:\n {4}enabled:) true/, '$1 false'));
    const small = storm([...SMALL, 'arrival: {kind: burst}'], [], noKubelet);
    const b = small.background;
    expect(b.systemdParses).toBeGreaterThan(0);
    // Each parse's last read is short, so the mean is a little under 1024 / 150 = 6.83 lines.
    const perRead = b.mountinfoLines! / b.mountinfoReads!;
    expect(perRead).toBeGreaterThan(6.4);
    expect(perRead).toBeLessThanOrEqual(1024 / 150);
    const big = storm([...SMALL, 'arrival: {kind: burst}'], [], editedNode((t) => t.replace(/(kubelet:\n {4}enabled:) true/, '$1 false').replace('readBytes: 1024', 'readBytes: 4096')));
    const bigPerRead = big.background.mountinfoLines! / big.background.mountinfoReads!;
    expect(bigPerRead).toBeGreaterThan(24);
    expect(bigPerRead).toBeLessThanOrEqual(4096 / 150);
  });
});

describe("systemd's event priorities", () => {
  // A health check every 100 ms during a storm of mount events.
  const often = editedNode((t) => t.replace(/(nodeHealthCheck:\n {4}enabled: true\n {4}every:) 10 s/, '$1 100 ms'));

  it('make the node health check wait while mount events keep arriving, and not without them', () => {
    const on = storm(['containers: 24', 'layers: 6'], [], often).background;
    const off = storm(['containers: 24', 'layers: 6'], ['mechanisms.systemdEventPriorities=false'], often).background;
    expect(on.healthChecks).toBeGreaterThan(10);
    expect(on.dbusWaitsBehindMounts).toBeGreaterThan(0);
    expect(off.dbusWaitsBehindMounts).toBe(0);
    expect(on.healthCheckMaxNs!).toBeGreaterThan(off.healthCheckMaxNs!);
  });

  it('fail the launches in progress at the deadline of a check not answered', () => {
    const result = storm(['containers: 24', 'layers: 6', 'deadlines: {nodeHealthCheck: 1 us}'], [], often);
    expect(result.background.healthCheckFailures).toBeGreaterThan(0);
    expect(result.containers.some((c) => c.reason === 'node-health-check')).toBe(true);
  });
});

describe('EBUSY from forked user-namespace helpers', () => {
  // A helper alive for 300 ms, and 5 ms of containerd's own work after each syscall (so an fd stays open
  // ~15 ms from open_tree to close): a bind a concurrent launch's helper inherited is still busy at its umount.
  const longHelper = ['parameters.userns_helper=300 ms', 'parameters.syscall_user=5 ms'];
  const LAUNCHES = ['containers: 20', 'layers: 6'];

  it('leaves the mount in containerd 2.1.0-2.1.4 (flags 0, no retry): the host table keeps it', () => {
    const result = storm([...LAUNCHES, 'runtime: containerd-idmap'], longHelper);
    const b = result.background;
    expect(b.ebusyReturns).toBeGreaterThan(0);
    expect(b.ebusyRetries).toBe(0);
    expect(b.leakedMounts).toBe(b.ebusyReturns);
    // At the end the host table holds each container's rootfs overlay and the leaked binds.
    const last = result.mountTable.samples[result.mountTable.samples.length - 1];
    const first = result.mountTable.samples[0];
    expect(last.hostMounts - first.hostMounts).toBe(20 + b.leakedMounts!);
  });

  it('is retried 50 ms apart by the fixed releases until the helper is gone: nothing leaks', () => {
    const result = storm([...LAUNCHES, 'runtime: containerd-common-parent'], longHelper);
    const b = result.background;
    expect(b.ebusyReturns).toBeGreaterThan(0);
    expect(b.ebusyRetries).toBe(b.ebusyReturns);
    expect(b.leakedMounts).toBe(0);
  });

  it('never happens with MNT_DETACH (containerd 2.0.0-2.0.6) or with the mechanism off', () => {
    expect(storm([...LAUNCHES, 'runtime: containerd-2.0-idmap'], longHelper).background.ebusyReturns).toBe(0);
    expect(storm([...LAUNCHES, 'runtime: containerd-idmap'], [...longHelper, 'mechanisms.usernsHelperFds=false']).background.ebusyReturns).toBe(0);
  });
});

describe("kubelet's CRI request timeout", () => {
  it('fails a launch when its request times out; the launch makes no further request and never completes', () => {
    const full = storm(SMALL);
    const timedOut = storm([...SMALL, 'deadlines: {runtimeRequest: 1 ms}']);
    expect(timedOut.background.criTimeouts).toBe(12);
    for (const container of timedOut.containers) {
      expect(container.reason).toBe('runtime-request-timeout');
      expect(container.latencyNs).toBeNull();
    }
    const ops = (r: LaunchRunResult): number => r.containers.reduce((sum, c) => sum + c.mountOps, 0);
    // The first request (the image unpack) finishes; no mount request follows.
    expect(ops(timedOut)).toBe(0);
    expect(ops(full)).toBeGreaterThan(0);
  });

  it('without the mechanism only marks launches whose request ran past the timeout, when it ends', () => {
    const result = storm([...SMALL, 'deadlines: {runtimeRequest: 1 ms}'], ['mechanisms.kubeletCri=false']);
    for (const container of result.containers) expect(container.latencyNs).not.toBeNull();
    expect(result.containers.every((c) => c.reason === 'runtime-request-timeout')).toBe(true);
  });
});

describe("applications' start-up", () => {
  it('runs on the node (CPU, path walks) and ends the launch at the first readiness probe after it', () => {
    const on = storm(SMALL, ['parameters.app_startup_spread=0']);
    const off = storm(SMALL, ['mechanisms.applicationStartup=false']);
    expect(on.background.appStartups).toBe(12);
    expect(on.background.appWalks).toBeGreaterThan(0);
    expect(off.background.appStartups).toBe(0);
    // Start-up 1 s on an idle node, probed every second from the start: at least 1 s more per launch.
    const mean = (r: LaunchRunResult): number => r.containers.reduce((sum, c) => sum + c.latencyNs!, 0) / r.containers.length;
    expect(mean(on) - mean(off)).toBeGreaterThanOrEqual(1e9 * 0.99);
  });
});
