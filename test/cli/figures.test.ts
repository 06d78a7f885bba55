// The README figure tooling (scripts/figures.ts) on a tiny scenario: regenerate, then check in step and out of step.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureMismatches, regenerateFigures } from '../../scripts/figures.js';
import { TINY_PAUSE } from './support.js';

describe('README figures', () => {
  let root: string;
  let figuresDir: string;
  let reportsDir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'locksim-figures-'));
    figuresDir = join(root, 'figures');
    reportsDir = join(root, 'reports');
    await regenerateFigures([TINY_PAUSE], { figuresDir, reportsDir, version: 'test' });
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('copies each chart\'s PNG and spec, named after the scenario', async () => {
    expect((await readdir(figuresDir)).sort()).toEqual(['tiny-pause-handoffs.png', 'tiny-pause-handoffs.vl.json', 'tiny-pause-pause-bench.png', 'tiny-pause-pause-bench.vl.json']);
  });

  it('finds the figures in step, from the stored reports and from a new simulation', async () => {
    expect(await figureMismatches([TINY_PAUSE], { figuresDir, reportsDir })).toEqual([]);
    expect(await figureMismatches([TINY_PAUSE], { figuresDir, reportsDir, resimulate: true })).toEqual([]);
  });

  it('names a figure that no longer matches', async () => {
    await writeFile(join(figuresDir, 'tiny-pause-handoffs.vl.json'), '{}\n');
    expect(await figureMismatches([TINY_PAUSE], { figuresDir, reportsDir })).toEqual(['tiny-pause-handoffs.vl.json: differs from what the code draws now']);
  });
});
