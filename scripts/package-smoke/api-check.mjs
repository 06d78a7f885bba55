// Imports locksim's programmatic API as a dependency and runs the pipeline on a scenario in memory.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import { log } from 'node:console';
import { checkScenario, diffReports, isInputError, metricCatalogue, resolveScenario, runScenario, summarize, version, writeReport } from 'locksim';

const text = `name: api-check
machine: m7a.24xlarge
containers: 4
layers: 3
arrival: {kind: burst}
seeds: 2
expect:
  - {metric: failureRate, atMost: 1}
`;
const scenario = resolveScenario(text, 'api-check.yaml');
const run = await runScenario(scenario, { jobs: 1 });
const summary = summarize(run);
const own = JSON.parse(readFileSync(new URL('./node_modules/locksim/package.json', import.meta.url), 'utf8')).version;
if (version !== own || summary.locksim.version !== own || summary.schemaVersion !== 1) throw new Error(`version ${version}, summary ${summary.locksim.version}, package ${own}`);
const check = checkScenario(scenario, run);
if (!check.holds) throw new Error(`expectation failed: ${JSON.stringify(check.rows)}`);
await writeReport(run, 'api-report');
const diff = await diffReports('api-report', 'api-report');
if (diff.rows.some((r) => r.verdict !== 'no change')) throw new Error('a report differs from itself');
if (!metricCatalogue().some((k) => k.kind === 'launch')) throw new Error('no launch metrics');
try {
  resolveScenario('name: bad\nmachine: r5.metl\n', 'bad.yaml');
  throw new Error('a bad machine name was accepted');
} catch (error) {
  if (!isInputError(error)) throw error;
}
log(`locksim ${version} API: ${summary.points.length} point(s), p50 ${summary.points[0].metrics.p50LatencyS.mean.toFixed(3)} s, ${check.rows.length} expectation(s) hold, diff of a report with itself: ${diff.rows.length} rows, no change`);
