import type { Argv } from 'yargs';
import { basename, join } from 'node:path';
import { parseMechanismList } from '../../study/ablation.js';
import { parsePairs, runPairs } from '../../study/pairs.js';
import { PAIRS_NOTE, pairTextTable, writePairsReport } from '../../study/pairs-report.js';
import { ensureWritableDir } from '../../report/atomic.js';
import { formatTable } from '../../report/table.js';
import { HARDWARE_MECHANISMS } from '../../launch/index.js';
import { shellWord, studyExecution } from '../progress.js';
import { locksimVersion } from './run.js';
import type { CommandContext } from '../context.js';

/** `locksim pairs [SCENARIO]`: which hardware mechanism carries each family difference, and which differences rest on one uncertain value. */
export function registerPairs(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'pairs [scenario]',
    'Compare machines pairwise at one launch point: the share of each difference each hardware mechanism carries, and the differences that rest on one uncertain machine value',
    (y) =>
      y
        .positional('scenario', { type: 'string', default: join('scenarios', 'hardware-pairs.yaml'), describe: 'a launch scenario giving the study point (its machine sweep is replaced by the pairs\' machines)' })
        .option('pair', { type: 'string', array: true, describe: 'pairs to compare, A:B (repeatable or comma-separated; default r5 vs m7i, m7i vs m7a, 48xl vs 24xl, HT on vs off both ways)' })
        .option('mechanisms', { type: 'string', array: true, describe: `mechanisms to switch off, comma-separated (default ${HARDWARE_MECHANISMS.join(', ')})` })
        .option('flags', { type: 'boolean', default: true, describe: 'move each uncertain machine value to its range ends to flag the differences resting on it (--no-flags skips those runs)' })
        .option('set', { type: 'string', array: true, default: [], describe: 'override a field of every run, path=value (repeatable)' })
        .option('seeds', { type: 'number', describe: 'replications per point (overrides the file\'s seeds)' })
        .option('out', { type: 'string', default: join('reports', 'hardware-pairs'), describe: 'report directory' })
        .option('jobs', { type: 'number', describe: 'threads running the study, all runs in one pool (default: every core; 1 runs in this process)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress and no table; only the files written' })
        .example('$0 pairs', 'the default pairs at the study point of scenarios/hardware-pairs.yaml')
        .example('$0 pairs --pair m6i.metal:r5.metal --no-flags --seeds 1', 'one more pair, shares only'),
    async (argv) => {
      const pairs = parsePairs(argv.pair?.map(String));
      const mechanisms = argv.mechanisms === undefined ? [...HARDWARE_MECHANISMS] : parseMechanismList(argv.mechanisms.map(String));
      const set = (argv.set ?? []).map(String);
      const out = argv.out;
      const showProgress = context.isTty && !argv.quiet;
      const execution = studyExecution(argv.jobs, showProgress);
      const study = await runPairs(argv.scenario, {
        pairs,
        mechanisms,
        flags: argv.flags,
        set,
        ...(argv.seeds === undefined ? {} : { seeds: argv.seeds }),
        executor: execution.executor,
        onLoaded: async () => ensureWritableDir(out),
        onProgress: execution.onProgress,
      }).finally(() => execution.close());
      if (!argv.quiet) {
        const table = pairTextTable(study);
        context.out(formatTable(table.header, table.rows));
        context.out(`\n${PAIRS_NOTE}`);
      }
      const command = ['locksim', 'pairs', argv.scenario, ...(argv.pair ?? []).flatMap((p) => ['--pair', String(p)]), ...(argv.mechanisms === undefined ? [] : ['--mechanisms', mechanisms.join(',')]), ...(argv.flags ? [] : ['--no-flags']), ...set.flatMap((s) => ['--set', s]), ...(argv.seeds === undefined ? [] : ['--seeds', String(argv.seeds)])]
        .map(shellWord)
        .join(' ');
      const written = await writePairsReport(study, out, { command, version: locksimVersion() });
      context.out(`wrote ${written.map((file) => basename(file)).join(', ')} in ${out}`);
    },
  );
}
