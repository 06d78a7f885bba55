/**
 * The report surface: results in, files a reader can open out. Charts are
 * typed vega-lite specs built from plain rows, rendered headless to SVG/PNG,
 * and assembled into one self-contained HTML page next to CSV and folded-stack
 * files; every file is written atomically.
 */
export { renderChart, type RenderedChart } from './render.js';
export { writeFileAtomic, ensureWritableDir, TEMP_FILE_PREFIX } from './atomic.js';
export { toCsv, quoteCsvField, type CsvRow, type CsvValue } from './csv.js';
export { toFoldedStacks, foldFrameName, type StackSample } from './folded.js';
export { renderReportHtml, escapeHtml, sanitizeSvg, type ReportPage, type ReportChart, type ReportTable, type ReportFileLink } from './html.js';
export { latencyCurveSpec, type LatencyCurveRow, type LatencyCurveOptions } from '../charts/latency-curve.js';
export { failureCurveSpec, type FailureCurveRow, type FailureCurveOptions } from '../charts/failure-curve.js';
export { pauseBenchSpec, type PauseBenchRow, type PauseBenchOptions } from '../charts/pause-bench.js';
export { timeBreakdownSpec, type TimeBreakdownRow, type TimeBreakdownOptions } from '../charts/time-breakdown.js';
export { handoffsSpec, type HandoffsRow, type HandoffsOptions } from '../charts/handoffs.js';
export { mountTableSpec, type MountTableRow } from '../charts/mount-table.js';
export { ablationSpec, type AblationRow, type AblationOptions } from '../charts/ablation.js';
export { CHART_CONFIG, MACHINE_PALETTE, machineColorScale, machineDomain, type ChartOptions } from '../charts/theme.js';
export { writeRunReport, rerenderReport, readReportDocuments, type WriteRunOptions } from './write-run.js';
export {
  resolvedDocument,
  resultsDocument,
  scenarioFromDocument,
  reportData,
  reportCharts,
  reportPage,
  summaryCsv,
  headlineTable,
  headlineRows,
  RESULTS_BUDGET_BYTES,
  type ResolvedDocument,
  type ResultsDocument,
  type ReportData,
  type ChartPlan,
} from './run-report.js';
