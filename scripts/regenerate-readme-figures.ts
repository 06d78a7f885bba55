/**
 * Regenerates the README's figures: runs each scenario, writes its report
 * under reports/<name>/, and copies every chart's PNG and vega-lite spec to
 * the figures folder as <name>-<chart>.png / .vl.json.
 *
 *   npx tsx scripts/regenerate-readme-figures.ts [--out docs/figures] [--reports reports] SCENARIO...
 *
 * Commit the figures folder and the reports it came from; the figure test
 * (figureMismatches in scripts/figures.ts) then checks they match the code.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_FIGURES_DIR, DEFAULT_REPORTS_DIR, regenerateFigures } from './figures.js';

function usage(message: string): never {
  process.stderr.write(`regenerate-readme-figures: ${message}\nusage: npx tsx scripts/regenerate-readme-figures.ts [--out DIR] [--reports DIR] SCENARIO...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let figuresDir = DEFAULT_FIGURES_DIR;
let reportsDir = DEFAULT_REPORTS_DIR;
const scenarios: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--out' || arg === '--reports') {
    const value = args[++i];
    if (value === undefined) usage(`${arg} needs a directory`);
    if (arg === '--out') figuresDir = value;
    else reportsDir = value;
  } else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
  else scenarios.push(arg);
}
if (scenarios.length === 0) usage('name at least one scenario file');

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const files = await regenerateFigures(scenarios, { figuresDir, reportsDir, version, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${files.length} figure files in ${figuresDir}/\n`);
