import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { registerModels } from '../../src/cli/commands/models.js';
import type { CommandContext } from '../../src/cli/context.js';

function fakeContext(): CommandContext & { output: string[]; codes: number[] } {
  const output: string[] = [];
  const codes: number[] = [];
  return { output, codes, out: (t) => output.push(t), err: (t) => output.push(t), fail: (c) => codes.push(c), isTty: false };
}

async function run(argv: string[]): Promise<string> {
  const context = fakeContext();
  await registerModels(yargs(argv).strict().exitProcess(false), context).parseAsync();
  return context.output.join('\n');
}

describe('locksim models', () => {
  it('lists every family with sockets, cores, threads, L3 domains and price', async () => {
    const text = await run(['models']);
    expect(text).toMatch(/^name\s+cpu\s+kind\s+sockets\s+cores\s+threads\s+L3 domains\s+NUMA nodes\s+\$\/h/);
    expect(text).toMatch(/m7a\.metal-48xl\s+AMD EPYC 9R14 \(Genoa\)\s+chiplet\s+2\s+192\s+192\s+24\s+2\s+11\.1283/);
    expect(text).toContain('r5.metal-one-socket (variant of r5.metal)');
  });

  it('shows a layout and writes the heatmap as vega-lite, SVG and PNG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'locksim-models-'));
    const text = await run(['models', 'show', 'm7i.metal-24xl', '--variant', 'ht-off', '--out', out]);
    expect(text).toContain('m7i.metal-24xl+ht-off: Intel Xeon Platinum 8488C');
    expect(text).toContain('48 of 48 possible CPUs online');
    expect(text).toContain('L3 0: 48 cores');
    const stem = join(out, 'm7i.metal-24xl+ht-off-heatmap');
    const spec = JSON.parse(readFileSync(`${stem}.vl.json`, 'utf8')) as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(48 * 48);
    expect(readFileSync(`${stem}.svg`, 'utf8')).toContain('<svg');
    expect(readFileSync(`${stem}.png`).subarray(1, 4).toString()).toBe('PNG');
    // Atomic writes leave no temporary files behind.
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(existsSync(`${stem}.png`)).toBe(true);
  });

  it('shows sibling pairs when SMT is on', async () => {
    const out = mkdtempSync(join(tmpdir(), 'locksim-models-'));
    const text = await run(['models', 'show', 'r5.12xlarge', '--out', out]);
    expect(text).toContain('0/24 1/25');
  });
});

describe('locksim models fit', () => {
  const file = 'data/c2c/Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz.csv';

  it('fits one socket of a measured matrix and prints the machine file line', async () => {
    const text = await run(['models', 'fit', file, '--cpus', '0-31']);
    expect(text).toMatch(/32 CPUs, 496 measured pairs/);
    expect(text).toMatch(/^ {2}sameDomain: \{ base: [\d.]+ ns, offsetMax: [\d.]+ ns, basis: measured, source: "additive fit of .* CPUs 0-31: c = /m);
  });

  it('prints JSON with the output head', async () => {
    const fit = JSON.parse(await run(['models', 'fit', file, '--cpus', '0-7', '--json']));
    expect(fit).toMatchObject({ schemaVersion: 1, file, cpus: [0, 1, 2, 3, 4, 5, 6, 7], pairs: 28 });
    expect(fit.offsetsNs).toHaveLength(8);
  });

  it('refuses CPUs the matrix does not have', async () => {
    await expect(run(['models', 'fit', file, '--cpus', '0-500'])).rejects.toThrow(/CPU not in the matrix/);
  });
});
