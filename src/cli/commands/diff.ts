/**
 * `locksim diff A B`: per point and metric, the change from report folder A
 * to report folder B with its 95% interval and a verdict against the runs'
 * own noise (src/check/diff.ts). Text by default, `--json` or `--markdown`;
 * with $GITHUB_STEP_SUMMARY set, the Markdown is appended there too.
 */
import { appendFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { InputError } from '../../input/errors.js';
import { diffMarkdown, diffReportDirs, diffReportTable, diffSummaryLine } from '../../check/diff.js';
import { formatTable } from '../../report/table.js';
import type { CommandContext } from '../context.js';

export function registerDiff(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'diff <a> <b>',
    'Compare two report folders: per point and metric, the change with its 95% interval and a verdict (better, worse, no change) against the runs\' own noise',
    (y) =>
      y
        .positional('a', { type: 'string', demandOption: true, describe: 'the report folder before (e.g. reports/netflix-case from main)' })
        .positional('b', { type: 'string', demandOption: true, describe: 'the report folder after' })
        .option('metrics', { type: 'string', describe: 'only these metrics, comma-separated (names or families as `locksim metrics` lists them)' })
        .option('all', { type: 'boolean', default: false, describe: 'list every row, "no change" included' })
        .option('limit', { type: 'number', default: 40, describe: 'rows shown in the text and Markdown tables' })
        .option('json', { type: 'boolean', default: false, describe: 'print every row as JSON (schemas/diff.schema.json)' })
        .option('markdown', { type: 'boolean', default: false, describe: 'print a Markdown table (pull-request comments); --json wins when both are given' })
        .option('fail-on-worse', { type: 'boolean', default: false, describe: 'exit 1 when any metric got worse' })
        .example('$0 diff reports/main/netflix-case reports/netflix-case', 'what a model change did to the Netflix case')
        .example('$0 diff before after --metrics p50LatencyS,failureRate --markdown', 'two metrics, as Markdown')
        .epilogue('Points match by their coordinates. Change = mean(B) - mean(A) over seeds; the interval is Welch\'s t interval from the per-seed values (deterministic). Verdicts: better/worse when the interval excludes 0 (by the metric\'s direction), changed for metrics with no direction, no change when it includes 0, inconclusive when a side has one seed. With $GITHUB_STEP_SUMMARY set, the Markdown table is appended to it.\nExit codes: 0 done, 1 with --fail-on-worse when a metric got worse, 2 bad input.'),
    async (argv) => {
      if (!Number.isInteger(argv.limit) || argv.limit < 1) throw new InputError('invalid --limit', { file: '--limit', expected: 'a whole number >= 1', found: String(argv.limit) });
      const metrics = argv.metrics === undefined ? undefined : argv.metrics.split(',').map((m) => m.trim()).filter((m) => m !== '');
      const doc = await diffReportDirs(argv.a, argv.b, { metrics });
      const markdown = diffMarkdown(doc, { all: argv.all, limit: argv.limit });
      if (argv.json) context.out(JSON.stringify(doc, null, 2));
      else if (argv.markdown) context.out(markdown.trimEnd());
      else {
        const table = diffReportTable(doc, { all: argv.all, limit: argv.limit });
        context.out(`A: ${doc.a.dir} (${doc.a.scenario}, locksim ${doc.a.version})\nB: ${doc.b.dir} (${doc.b.scenario}, locksim ${doc.b.version})\n`);
        if (table.rows.length > 0) context.out(formatTable(table.header, table.rows));
        if (table.omitted > 0) context.out(`... and ${table.omitted} more (--all --limit N, or --json)`);
        context.out(diffSummaryLine(doc));
      }
      const stepSummary = process.env.GITHUB_STEP_SUMMARY;
      if (stepSummary !== undefined && stepSummary !== '') {
        try {
          await appendFile(stepSummary, `${markdown}\n`);
        } catch {
          throw new InputError('cannot append to $GITHUB_STEP_SUMMARY', { file: stepSummary, expected: 'a writable file', found: 'an error writing it' });
        }
      }
      if (argv['fail-on-worse'] && doc.counts.worse > 0) context.fail(1);
    },
  );
}
