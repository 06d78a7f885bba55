/**
 * The metric catalogue: every workload kind's metric table, as `locksim
 * metrics` prints it, `--json` consumers read it and docs/metrics.md shows
 * it (the docs page is generated from here; a test keeps it current).
 */
import { declarations, type MetricDeclaration } from '../analysis/metric.js';
import { WORKLOADS } from './registry.js';

export interface KindMetrics {
  readonly kind: string;
  readonly metrics: readonly MetricDeclaration[];
}

export function metricCatalogue(): KindMetrics[] {
  return [...WORKLOADS.values()].map((kind) => ({ kind: kind.name, metrics: declarations(kind.metrics) }));
}

/** docs/metrics.md. */
export function metricsMarkdown(): string {
  const lines = [
    '# Metrics',
    '',
    'Every metric a point reports, per workload kind, as `expect:` blocks, `summary.json`, `--json` and',
    '`locksim check` name them. Each is computed per seed and summarized over seeds (mean, 95% confidence',
    'half-width, per-seed values). Names with `<placeholders>` are families: one metric per lock of the',
    'kernel model, per time category, or per distance class. Generated from the metric tables',
    '(`src/workloads/<kind>/metrics.ts`) by `npx tsx src/workloads/catalogue.ts`; `locksim metrics` prints the same.',
    '',
  ];
  for (const { kind, metrics } of metricCatalogue()) {
    lines.push(`## kind: ${kind}`, '', '| metric | unit | kind | better | description |', '|---|---|---|---|---|');
    for (const m of metrics) lines.push(`| \`${m.name}\` | ${m.unit} | ${m.kind} | ${m.better} | ${m.description.replaceAll('|', '\\|')} |`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('catalogue.ts')) {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { REPO_ROOT } = await import('../input/catalog.js');
  writeFileSync(join(REPO_ROOT, 'docs', 'metrics.md'), metricsMarkdown());
  process.stdout.write('wrote docs/metrics.md\n');
}
