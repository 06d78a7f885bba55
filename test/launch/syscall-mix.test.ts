import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioText, runScenario } from '../../src/pipeline.js';
import { readReportDocuments, writeRunReport } from '../../src/report/write-run.js';
import { errorOf } from '../support/input-error.js';

const mix = (groups: string, extra = ''): string => `name: mix\nkind: syscall-mix\nmachine: m7a.24xlarge\nduration: 2 ms\nseeds: 1\ngroups:\n${groups}${extra}`;

describe('syscall-mix scenarios', () => {
  it('run groups over the kernel recipes: lookups spin while mounts write, every group is measured', async () => {
    const scenario = loadScenarioText(mix('  lookups: {threads: 8, do: [stat], think: 1 us}\n  mounters: {threads: 2, do: [mount, umount]}\n  readers: {threads: 1, do: [mountinfo], perSecond: 2000}\n'), 'mix.yaml');
    const run = await runScenario(scenario);
    const metrics = run.summary.points[0].metrics;
    expect(metrics['lookups.opsPerS'].mean).toBeGreaterThan(0);
    expect(metrics['mounters.operations'].mean).toBeGreaterThan(0);
    expect(metrics['readers.operations'].mean).toBeGreaterThan(0);
    expect(metrics['mount_lock.acquisitions'].mean).toBeGreaterThan(0);
    expect(metrics.pathInitSpinShare.mean).toBeGreaterThan(0);
    // Lookups alone never find the count odd.
    const quiet = await runScenario(loadScenarioText(mix('  lookups: {threads: 8, do: [stat], think: 1 us}\n'), 'mix.yaml'));
    expect(quiet.summary.points[0].metrics.pathInitSpinShare.mean).toBe(0);
    // The same seed, the same numbers.
    expect((await runScenario(scenario)).summary).toEqual(run.summary);
    // The report reads back (locksim report, checkpoints and partials read the same documents).
    const dir = mkdtempSync(join(tmpdir(), 'locksim-mix-report-'));
    await writeRunReport(run, dir, { command: 'test', version: '0' });
    expect((await readReportDocuments(dir)).resolved.kind).toBe('syscall-mix');
  }, 30_000);

  it('sweep a group\'s threads, and name an unknown procedure with the kernel\'s syscalls', () => {
    const swept = loadScenarioText(mix('  lookups: {threads: 8, do: [stat]}\n', 'sweep: {groups.lookups.threads: [4, 8]}\n'), 'mix.yaml');
    expect(swept.points.map((p) => p.coordinates['groups.lookups.threads'])).toEqual([4, 8]);
    const error = errorOf(() => loadScenarioText(mix('  lookups: {threads: 8, do: [stat, mountt]}\n'), 'mix.yaml'));
    expect(error.format()).toMatch(/^mix\.yaml:7:\d+: groups\.lookups\.do\[1\]: unknown procedure `mountt`.*Did you mean `mount`\?/);
    expect(errorOf(() => loadScenarioText(mix('  w: {threads: 1, do: [stat], think: 1 us, perSecond: 10}\n'), 'mix.yaml')).message).toMatch(/closed loop \(think\) or at a rate/);
  });
});
