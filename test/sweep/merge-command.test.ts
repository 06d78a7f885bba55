import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline.js';
import { writeRunReport } from '../../src/report/write-run.js';
import { executeMerge } from '../../src/cli/commands/merge.js';
import { locksimVersion } from '../../src/cli/commands/run.js';
import type { CommandContext } from '../../src/cli/context.js';
import { ensureWritableDir } from '../../src/report/atomic.js';
import { runShard } from '../../src/pipeline.js';
import { writePartial } from '../../src/sweep/partial.js';
import { launchScenario } from './tiny-scenario.js';

const root = mkdtempSync(join(tmpdir(), 'locksim-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function quietContext(): CommandContext & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (text) => lines.push(text), err: (text) => lines.push(text), fail: () => undefined, isTty: false };
}

describe('locksim merge', () => {
  it('writes the report a single run writes, file for file, byte for byte', async () => {
    const scenario = launchScenario([2, 3, 4], ['1']);
    const command = 'locksim run tiny.yaml';
    const singleDir = join(root, 'single');
    await writeRunReport(await runScenario(scenario), singleDir, { command, version: locksimVersion() });
    for (let index = 0; index < 2; index++) {
      const dir = join(root, 'partials', `shard-${index}`);
      await ensureWritableDir(dir);
      await writePartial(dir, await runShard(scenario, { index, count: 2 }, { command }));
    }
    const mergedDir = join(root, 'merged');
    const context = quietContext();
    await executeMerge({ inputs: [join(root, 'partials')], out: mergedDir, quiet: true }, context);
    expect(context.lines).toEqual([join(mergedDir, 'index.html')]);
    const files = readdirSync(singleDir).sort();
    expect(readdirSync(mergedDir).sort()).toEqual(files);
    expect(files).toContain('results.json');
    for (const file of files) expect(readFileSync(join(mergedDir, file)).equals(readFileSync(join(singleDir, file))), file).toBe(true);
  });
});
