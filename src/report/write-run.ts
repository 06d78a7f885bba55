/**
 * Writes a run's report directory, and redraws one from its stored results.
 *
 *   writeRunReport:   ScenarioRun -> resolved.json + results.json, then render
 *   rerenderReport:   resolved.json + results.json (read back) -> render
 *   render:           summary.json, summary.csv, runs.csv, per chart .vl.json/.csv/.svg/.png,
 *                     flamegraph-<machine>.folded, index.html
 *
 * The run is rendered from its documents after a JSON round trip, exactly as
 * `locksim report` reads them, so both paths write the same bytes. No file
 * carries a timestamp; the locksim version is the only thing that may differ
 * between two runs of the same inputs. Every file is written atomically.
 */
import { basename, join } from 'node:path';
import type { ScenarioRun } from '../workloads/run.js';
import type { FailureOnset } from '../analysis/onset.js';
import { decodeJson } from '../input/json-codec.js';
import { encodeResolvedDocument, readResolvedDocument } from '../scenario/document.js';
import { WORKLOADS } from '../workloads/registry.js';
import { InputError } from '../input/errors.js';
import { MAX_JSON_DOCUMENT_BYTES, readTextBounded } from '../input/read.js';
import { checkStored } from '../input/stored.js';
import { checkRunsAgree, ResultsDocumentSchema } from './stored-documents.js';
import { existsSync } from 'node:fs';
import { ensureWritableDir } from './atomic.js';
import { writeReportDir, type ReportWriteOptions, type StageFile } from './report-dir.js';
import { toCsv } from './csv.js';
import { toFoldedStacks } from './folded.js';
import { renderReportHtml, type ReportChart, type ReportSection } from './html.js';
import { renderChart } from './render.js';
import { runsCsv, summaryDocument } from './documents.js';
import { foldedFiles, pairsSection, uncertaintySection, type UncertaintyStudyDocument, reportCharts, reportData, reportPage, resolvedDocument, resultsDocument, summaryCsv, type PairStudyDocument, type ReportData, type ResolvedDocument, type ResultsDocument } from './run-report.js';

export interface WriteRunOptions {
  /** The command line that produced the run, shown as "how to reproduce". */
  readonly command: string;
  readonly version: string;
  /** Failure onsets found by bisection (src/study/onset.ts), stored in results.json and drawn. */
  readonly onsets?: readonly FailureOnset[];
}

/**
 * Writes the whole report of `run` into `outDir` (created if needed), replacing
 * any previous report whole or not at all (report-dir.ts); returns the paths written.
 */
export async function writeRunReport(run: ScenarioRun, outDir: string, options: WriteRunOptions, io: Pick<ReportWriteOptions, 'fs'> = {}): Promise<string[]> {
  await ensureWritableDir(outDir);
  const resolvedText = encodeResolvedDocument(resolvedDocument(run.scenario, options));
  const resultsText = `${JSON.stringify(resultsDocument(run, { version: options.version, onsets: options.onsets }))}\n`;
  return writeReportDir(
    outDir,
    async (stage) => {
      const written = [await stage('resolved.json', resolvedText), await stage('results.json', resultsText)];
      const rendered = await renderReport(stage, decodeJson(resolvedText) as ResolvedDocument, JSON.parse(resultsText) as ResultsDocument, { version: options.version, dir: outDir });
      return [...written, ...rendered];
    },
    io,
  );
}

/** Redraws every derived file of a report directory from its resolved.json and results.json, replacing them whole or not at all. */
export async function rerenderReport(dir: string, options: { version: string }, io: Pick<ReportWriteOptions, 'fs'> = {}): Promise<string[]> {
  // A folder that is not a report is named as such before anything is locked or written.
  if (!existsSync(dir)) await readReportDocuments(dir);
  return writeReportDir(
    dir,
    async (stage) => {
      const { resolved, results } = await readReportDocuments(dir);
      return renderReport(stage, resolved, results, { ...options, dir });
    },
    { ...io, source: 'DIR', keep: STORED_DOCUMENTS },
  );
}

/** The documents a report is redrawn from; `locksim report` keeps them as they are. */
const STORED_DOCUMENTS = ['resolved.json', 'results.json'];

/** Reads the two stored documents of a report; a missing or foreign file is an InputError. */
export async function readReportDocuments(dir: string): Promise<{ resolved: ResolvedDocument; results: ResultsDocument }> {
  const resolvedFile = join(dir, 'resolved.json');
  const resultsFile = join(dir, 'results.json');
  const hint = 'Run the scenario again to rewrite the report';
  const resolved = readResolvedDocument(await readText(resolvedFile), resolvedFile, new Set(WORKLOADS.keys()));
  const results = checkStored(ResultsDocumentSchema, await readJson(resultsFile, ['locksim', 'scenario', 'points', 'folded']), resultsFile, { expected: 'the results.json `locksim run` writes', hint });
  if (results.kind !== resolved.kind) {
    throw new InputError('results.json and resolved.json describe different kinds of scenario', { file: resultsFile, path: 'kind', expected: JSON.stringify(resolved.kind), found: JSON.stringify(results.kind), hint: `${hint}.` });
  }
  checkRunsAgree(results.points, resolved.seeds, resolved.kind, resultsFile, 'points');
  return { resolved, results: results as unknown as ResultsDocument };
}

async function readText(file: string): Promise<string> {
  await Promise.resolve();
  try {
    return readTextBounded(file, { maxBytes: MAX_JSON_DOCUMENT_BYTES, expected: 'a report directory written by `locksim run`' });
  } catch (error) {
    if (!(error instanceof InputError) || error.message !== 'cannot read the file') throw error;
    throw new InputError(`cannot read ${file}`, { file, expected: 'a report directory written by `locksim run`', found: error.detail.found, hint: 'Pass the directory `locksim run` wrote (it holds resolved.json and results.json).' });
  }
}

async function readJson(file: string, required: readonly string[]): Promise<Record<string, unknown>> {
  const text = await readText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON`, { file, found: error instanceof Error ? error.message : String(error), hint: 'Run the scenario again to rewrite the report.' });
  }
  const missing = typeof value === 'object' && value !== null && !Array.isArray(value) ? required.filter((key) => !(key in value)) : required;
  if (missing.length > 0) {
    throw new InputError(`${file} was not written by locksim run`, { file, expected: `fields ${required.join(', ')}`, found: `no ${missing.join(', ')}`, hint: 'Run the scenario again to rewrite the report.' });
  }
  return value as Record<string, unknown>;
}

/**
 * A pair study kept beside the report (`locksim pairs` writes ../hardware-pairs/), as a section of the page, when one compares this
 * report's machines. The study compares launch storms, so only a launch report shows it: a lock benchmark on the same machines asks another question.
 */
function pairsSectionBeside(dir: string, data: ReportData): ReportSection[] {
  if (data.resolved.kind !== 'launch') return [];
  const file = join(dir, '..', PAIRS_FOLDER, 'pairs.json');
  if (!existsSync(file)) return [];
  let study: PairStudyDocument;
  try {
    study = JSON.parse(readTextBounded(file, { maxBytes: MAX_JSON_DOCUMENT_BYTES, expected: 'a pairs.json written by `locksim pairs`' })) as PairStudyDocument;
    if (!Array.isArray(study.rows)) return [];
  } catch {
    // A damaged or foreign study is left out of the page, not a reason to fail the report.
    return [];
  }
  const machines = new Set(data.summary.points.map((p) => p.machine));
  const section = pairsSection(study, machines, `../${PAIRS_FOLDER}/index.html`);
  return section === undefined ? [] : [section];
}

/**
 * An uncertainty study kept beside the report (`locksim uncertainty FILE`
 * writes ../uncertainty-<file name>/), as a section of the page, when it
 * tested this report's scenario.
 */
function uncertaintySectionBeside(dir: string, data: ReportData): ReportSection[] {
  const { name, file } = data.resolved;
  for (const folder of [...new Set([`uncertainty-${basename(file).replace(/\.ya?ml$/i, '')}`, `uncertainty-${name}`])]) {
    const path = join(dir, '..', folder, 'uncertainty.json');
    if (!existsSync(path)) continue;
    let study: UncertaintyStudyDocument;
    try {
      study = JSON.parse(readTextBounded(path, { maxBytes: MAX_JSON_DOCUMENT_BYTES, expected: 'an uncertainty.json written by `locksim uncertainty`' })) as UncertaintyStudyDocument;
      if (!Array.isArray(study.conclusions) || !Array.isArray(study.parameters)) continue;
    } catch {
      // A damaged or foreign study is left out of the page, not a reason to fail the report.
      continue;
    }
    const section = uncertaintySection(study, name, `../${folder}/uncertainty.md`);
    if (section !== undefined) return [section];
  }
  return [];
}

/** Where `locksim pairs` writes its study by default, beside the run reports. */
const PAIRS_FOLDER = 'hardware-pairs';

/** Stages summary, charts, folded stacks and the page; returns the paths they will have. */
async function renderReport(stage: StageFile, resolved: ResolvedDocument, results: ResultsDocument, options: { version: string; dir?: string }): Promise<string[]> {
  const data = reportData(resolved, results);
  const written: string[] = [];
  const write = async (name: string, content: string | Uint8Array): Promise<void> => {
    written.push(await stage(name, content));
  };
  await write('summary.json', `${JSON.stringify(summaryDocument(data.summary, resolved.kind), null, 2)}\n`);
  await write('summary.csv', summaryCsv(data.summary, resolved.kind));
  await write('runs.csv', runsCsv(data.summary, resolved.kind));
  const charts: ReportChart[] = [];
  for (const chart of reportCharts(data)) {
    const rendered = await renderChart(chart.spec);
    await write(`${chart.name}.vl.json`, `${JSON.stringify(chart.spec, null, 2)}\n`);
    await write(`${chart.name}.csv`, toCsv(chart.rows));
    await write(`${chart.name}.svg`, rendered.svg);
    await write(`${chart.name}.png`, rendered.png);
    charts.push({ title: chart.title, caption: chart.caption, svg: rendered.svg, specFile: `${chart.name}.vl.json`, csvFile: `${chart.name}.csv`, pngFile: `${chart.name}.png` });
  }
  for (const folded of foldedFiles(results)) await write(folded.file, toFoldedStacks(folded.stacks));
  const extraSections = options.dir === undefined ? [] : [...pairsSectionBeside(options.dir, data), ...uncertaintySectionBeside(options.dir, data)];
  await write('index.html', renderReportHtml(reportPage(data, charts, { version: options.version, extraSections })));
  return written;
}
