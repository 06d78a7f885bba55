/**
 * `locksim metrics`: every metric of every workload kind, with its unit,
 * kind, better direction and description (the catalogue docs/metrics.md is generated from).
 */
import type { Argv } from 'yargs';
import { metricCatalogue } from '../../workloads/catalogue.js';
import { formatTable } from '../../report/table.js';
import { outputHead } from '../../input/package-info.js';
import type { CommandContext } from '../context.js';

export function registerMetrics(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'metrics',
    'List every metric a scenario can report or expect, per workload kind, with unit and description',
    (y) =>
      y
        .option('kind', { type: 'string', describe: 'only this workload kind (launch, pause-bench)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the catalogue as JSON' })
        .example('$0 metrics --kind launch', 'the launch metrics'),
    (argv) => {
      const catalogue = metricCatalogue().filter((entry) => argv.kind === undefined || entry.kind === argv.kind);
      if (argv.json) {
        context.out(JSON.stringify({ ...outputHead(), kinds: catalogue }, null, 2));
        return;
      }
      for (const { kind, metrics } of catalogue) {
        context.out(`kind: ${kind}`);
        context.out(formatTable(['metric', 'unit', 'kind', 'better', 'description'], metrics.map((m) => [m.name, m.unit, m.kind, m.better, m.description])));
        context.out('');
      }
    },
  );
}
