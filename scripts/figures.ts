/**
 * The README's figures: regenerate them from scenario files, and check that
 * the committed ones still match what the code produces.
 *
 * A figure is committed twice under `docs/figures/`: `<scenario>-<chart>.png`
 * (what the README shows) and `<scenario>-<chart>.vl.json` (its vega-lite spec,
 * data inline). The check compares the specs, not the PNGs: the spec holds every
 * number drawn, while PNG bytes also depend on the fonts of the machine that
 * rendered them.
 */
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runScenario } from '../src/pipeline.js';
import { loadScenario } from '../src/pipeline.js';
import { findOnsets } from '../src/study/onset.js';
import { writeRunReport } from '../src/report/write-run.js';
import { reportCharts, reportData, resolvedDocument, resultsDocument, type ResolvedDocument, type ResultsDocument } from '../src/report/run-report.js';
import { readReportDocuments } from '../src/report/write-run.js';

export const DEFAULT_FIGURES_DIR = join('docs', 'figures');
export const DEFAULT_REPORTS_DIR = 'reports';

/** Runs each scenario, writes its report under reportsDir/<name>/, copies PNGs and specs to figuresDir; returns the figure files. */
export async function regenerateFigures(scenarioFiles: readonly string[], options: { figuresDir?: string; reportsDir?: string; version: string; log?: (line: string) => void }): Promise<string[]> {
  const figuresDir = options.figuresDir ?? DEFAULT_FIGURES_DIR;
  await mkdir(figuresDir, { recursive: true });
  const copied: string[] = [];
  for (const file of scenarioFiles) {
    const scenario = loadScenario(file);
    options.log?.(`running ${file} (${scenario.points.length} points x ${scenario.seeds.length} seeds)`);
    const run = await runScenario(scenario);
    // The report `locksim run` writes (and `npm run reproduce`): each series' failure onset bisected between sweep points.
    const onsets = await findOnsets(run, (derived) => runScenario(derived));
    const reportDir = join(options.reportsDir ?? DEFAULT_REPORTS_DIR, scenario.name);
    await writeRunReport(run, reportDir, { command: `locksim run ${file}`, version: options.version, onsets });
    for (const name of (await readdir(reportDir)).sort()) {
      if (!name.endsWith('.png') && !name.endsWith('.vl.json')) continue;
      const target = join(figuresDir, `${scenario.name}-${name}`);
      await copyFile(join(reportDir, name), target);
      copied.push(target);
    }
  }
  return copied;
}

/** The chart specs the current code draws for stored documents, by figure file name. */
function specsFor(resolved: ResolvedDocument, results: ResultsDocument): Map<string, string> {
  return new Map(reportCharts(reportData(resolved, results)).map((chart) => [`${resolved.name}-${chart.name}.vl.json`, `${JSON.stringify(chart.spec, null, 2)}\n`]));
}

/**
 * Differences between the committed figure specs and what the code draws now.
 * `resimulate: false` (fast) redraws from the committed reportsDir/<name>/
 * documents, so it catches chart changes; `true` runs the scenarios again, so
 * it also catches model changes (slow: the full sweeps). Empty means in step.
 */
export async function figureMismatches(scenarioFiles: readonly string[], options: { figuresDir?: string; reportsDir?: string; resimulate?: boolean } = {}): Promise<string[]> {
  const figuresDir = options.figuresDir ?? DEFAULT_FIGURES_DIR;
  const problems: string[] = [];
  for (const file of scenarioFiles) {
    const scenario = loadScenario(file);
    let specs: Map<string, string>;
    if (options.resimulate === true) {
      const run = await runScenario(scenario);
      const resolved = JSON.parse(JSON.stringify(resolvedDocument(scenario, { command: '', version: '' }))) as ResolvedDocument;
      const results = JSON.parse(JSON.stringify(resultsDocument(run, { version: '' }))) as ResultsDocument;
      specs = specsFor(resolved, results);
    } else {
      const { resolved, results } = await readReportDocuments(join(options.reportsDir ?? DEFAULT_REPORTS_DIR, scenario.name));
      specs = specsFor(resolved, results);
    }
    for (const [name, spec] of specs) {
      const committed = await readFile(join(figuresDir, name), 'utf8').catch(() => undefined);
      if (committed === undefined) problems.push(`${name}: missing from ${figuresDir}`);
      else if (committed !== spec) problems.push(`${name}: differs from what the code draws now`);
    }
  }
  return problems;
}
