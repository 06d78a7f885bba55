import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { checkSummaryLine, checkTable, findScenarioFiles, loadScenarios, reportHolds, runChecks } from '../../src/check/run.js';
import { registerCheck, parseTolerance } from '../../src/cli/commands/check.js';
import type { CommandContext } from '../../src/cli/context.js';
import { InputError } from '../../src/input/errors.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';
import { summaryOf } from './support.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'locksim-check-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const TINY = (name: string, bound: number, extra = ''): string => `# yaml-language-server: $schema=../schemas/scenario.schema.json
name: ${name}
machine: m7a.24xlarge
containers: 2
layers: 1
seeds: 1
arrival: {kind: burst}
expect:
  - {metric: mountOpsPerContainer, equals: 6}
  - {metric: failureRate, below: ${bound}}
${extra}`;

describe('findScenarioFiles and loadScenarios', () => {
  it('finds *.yaml recursively in sorted order, skipping baselines and hidden folders', () => {
    const dir = folder({ 'b.yaml': TINY('b', 1), 'a/c.yml': TINY('c', 1), 'a/notes.txt': 'x', '.hidden/d.yaml': 'x', 'baselines/e.yaml': 'x' });
    expect(findScenarioFiles([dir]).map((f) => f.slice(dir.length + 1))).toEqual(['a/c.yml', 'b.yaml']);
    expect(findScenarioFiles([join(dir, 'b.yaml'), dir])).toHaveLength(2);
  });

  it('refuses a missing path, an empty folder, and two scenarios of one name in one folder', () => {
    expect(() => findScenarioFiles(['/no/such/place'])).toThrow(InputError);
    expect(() => findScenarioFiles([folder({ 'x.txt': '' })])).toThrow(/no scenario files/);
    const dir = folder({ 'a.yaml': TINY('same', 1), 'b.yaml': TINY('same', 1) });
    expect(() => loadScenarios(findScenarioFiles([dir]))).toThrow(/scenario name `same` is also used by/);
  });
});

describe('runChecks with a hand-made runner', () => {
  it('evaluates, records and compares baselines', async () => {
    const dir = folder({ 'tiny.yaml': TINY('tiny', 0.05) });
    const scenarios = loadScenarios(findScenarioFiles([dir]));
    let failureRate = 0;
    const runner = async (s: ResolvedScenario) => ({ summary: summaryOf(s, () => ({ mountOpsPerContainer: [6], failureRate: [failureRate] })) });

    const first = await runChecks(scenarios, runner);
    expect(first.scenarios[0].rows).toHaveLength(2);
    expect(reportHolds(first)).toBe(true);

    const recorded = await runChecks(scenarios, runner, { updateBaseline: true });
    expect(recorded.scenarios[0].baselineWritten).toBe(join(dir, 'baselines', 'tiny.json'));

    failureRate = 0.5;
    const drifted = await runChecks(scenarios, runner, { baselineTolerance: 0.05 });
    expect(reportHolds(drifted)).toBe(false);
    expect(drifted.scenarios[0].rows.map((r) => r.passed)).toEqual([true, false, false]);
    expect(drifted.scenarios[0].rows[2].got).toBe('1 of 2 values changed: failureRate @ (single point): 0 -> 0.5 (+inf%)');
    expect(drifted.scenarios[0].baselineDiffs).toHaveLength(1);
    expect(checkSummaryLine(drifted)).toBe('1 hold, 2 failed in 1 scenario');
    expect(checkTable(drifted, { quiet: true }).rows.map((r) => r[4])).toEqual(['FAIL', 'FAIL']);
  });
});

function fakeContext(): CommandContext & { output: string[]; codes: number[] } {
  const output: string[] = [];
  const codes: number[] = [];
  return { output, codes, out: (t) => output.push(t), err: (t) => output.push(t), fail: (c) => codes.push(c), isTty: false };
}

async function check(argv: string[]): Promise<{ text: string; codes: number[] }> {
  const context = fakeContext();
  await registerCheck(yargs(argv).strict().exitProcess(false), context).parseAsync();
  return { text: context.output.join('\n'), codes: context.codes };
}

describe('locksim check (real runs of tiny scenarios)', () => {
  it('exits 0 when every expectation holds, 1 when one fails, and writes JUnit', async () => {
    const dir = folder({
      'ok.yaml': TINY('ok', 0.5),
      'gap.yaml': TINY('gap', 0.5, '  - {metric: p50LatencyS, above: 1000, knownGap: "deliberately false"}\n'),
    });
    const junit = join(dir, 'junit.xml');
    const passing = await check(['check', dir, '--junit', junit]);
    expect(passing.codes).toEqual([]);
    expect(passing.text).toMatch(/gap\s+mountOpsPerContainer @ every point == 6\s+== 6\s+6\s+ok/);
    expect(passing.text).toMatch(/p50LatencyS @ every point > 1000\s+> 1000\s+\S+\s+known gap/);
    expect(passing.text).toContain('4 hold, 0 failed, 1 known gap in 2 scenarios');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="locksim check" tests="5" failures="0" skipped="1" errors="0" time="\d+\.\d{3}">/);
    expect(xml).toMatch(/<testsuite name="ok" file="[^"]*ok\.yaml" tests="2" failures="0" skipped="0" errors="0" time="\d+\.\d{3}">\n {4}<properties>\n {6}<property name="seeds" value="1"\/>\n {6}<property name="locksim\.version" value="[^"]+"\/>\n {6}<property name="model\.machine\.m7a\.24xlarge" value="[0-9a-f]{16}"\/>/);

    const failing = folder({ 'bad.yaml': TINY('bad', 0.5, '  - {metric: mountOpsPerContainer, equals: 7}\n') });
    const result = await check(['check', failing, '--quiet']);
    expect(result.codes).toEqual([1]);
    const lines = result.text.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+assertion\s+expected\s+got$/);
    expect(lines.slice(2)).toEqual([expect.stringMatching(/^bad\s+mountOpsPerContainer @ every point == 7\s+== 7\s+6\s+FAIL$/), '2 hold, 1 failed in 1 scenario']);
  });

  it('refuses bad input before running or writing anything but the JUnit error', async () => {
    const dir = folder({ 'good.yaml': TINY('good', 0.5), 'typo.yaml': TINY('typo', 0.5).replace('containers: 2', 'contaners: 2') });
    const junit = join(dir, 'junit.xml');
    const error = await check(['check', dir, '--junit', junit, '--update-baseline']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toMatch(/typo\.yaml:4:1: contaners: unknown field `contaners`.*Did you mean `containers`\?$/);
    expect(readFileSync(junit, 'utf8')).toMatch(/errors="1"[\s\S]*<error message="[^"]*typo\.yaml:4:1: contaners: unknown field `contaners`/);
    expect(existsSync(join(dir, 'baselines'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['good.yaml', 'junit.xml', 'typo.yaml']);
  });

  it('reads the baseline tolerance as a percentage or a fraction', () => {
    expect(parseTolerance('5%')).toBe(0.05);
    expect(parseTolerance('0.1')).toBe(0.1);
    expect(() => parseTolerance('5')).toThrow(InputError);
    expect(() => parseTolerance('abc')).toThrow(InputError);
  });
});

describe('scenarios with nothing to check', () => {
  it('are not run unless a baseline is being recorded', async () => {
    const dir = folder({ 'figure.yaml': TINY('figure', 1).replace(/expect:[\s\S]*$/, '') });
    const scenarios = loadScenarios(findScenarioFiles([dir]));
    let runs = 0;
    const runner = async (s: ResolvedScenario) => {
      runs += 1;
      return { summary: summaryOf(s, () => ({ failureRate: [0] })) };
    };
    const report = await runChecks(scenarios, runner);
    expect(runs).toBe(0);
    expect(report.scenarios[0].skipped).toBe(true);
    expect(checkSummaryLine(report)).toBe('0 hold, 0 failed in 0 scenarios (1 without expectations or baseline not run)');
    await runChecks(scenarios, runner, { updateBaseline: true });
    expect(runs).toBe(1);
    // Now it has a baseline to compare with.
    const again = await runChecks(scenarios, runner);
    expect(runs).toBe(2);
    expect(again.scenarios[0].rows.map((r) => r.passed)).toEqual([true]);
  });
});
