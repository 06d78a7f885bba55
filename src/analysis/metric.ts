/**
 * How a metric is declared, once: its name, unit, kind, description and how
 * it is computed from one run. Each workload kind has a table of these
 * (src/workloads/<kind>/metrics.ts); the names an `expect:` may use, the
 * summary's keys, the CSV columns, the headline table and `locksim metrics`
 * all read that table.
 *
 * Some metrics come in families named after the models: one per lock of the
 * kernel model (`mount_lock.meanWaitUs`), per time category
 * (`time.spin:mount_lock`), per distance class (`handoffs.cross-socket`).
 * A family declares its name pattern and lists its members for a given
 * point, so a kernel file with other locks gets metrics of its own.
 */

/** What kind of statistic a metric is, as reports and readers need to know. */
export type MetricKind =
  /** A quantile of a per-launch or per-acquisition distribution. */
  | 'quantile'
  /** A mean of a per-launch or per-acquisition quantity. */
  | 'mean'
  /** A fraction of launches (0..1). */
  | 'rate'
  /** A fraction of time (0..1). */
  | 'share'
  /** A count of events or objects in the run. */
  | 'count'
  /** The largest value seen during the run. */
  | 'max'
  /** Events per second of simulated time. */
  | 'throughput';

export interface MetricDeclaration {
  /** The name, or for a family its pattern with `<placeholder>`s (e.g. `<lock>.meanWaitUs`). */
  readonly name: string;
  /** Unit of the value: s, ms, us, ns, 1 (a ratio), count, /s. */
  readonly unit: string;
  readonly kind: MetricKind;
  /** Which way is an improvement, for `locksim diff`'s verdicts: a latency is better lower, a throughput higher, a count of work neither. */
  readonly better: MetricDirection;
  readonly description: string;
}

export type MetricDirection = 'lower' | 'higher' | 'neither';

/** One metric of a kind's table. `R` is one run's output, `C` what the kind passes along about the point (its models). */
export interface Metric<R, C> extends MetricDeclaration {
  compute(run: R, context: C): number;
}

/** A family of metrics whose members depend on the point (its locks, its time categories). */
export interface MetricFamily<R, C> extends MetricDeclaration {
  /** Every member's name for this point. */
  names(context: C): string[];
  /** Every member's value in one run (names as `names` gives them). */
  compute(run: R, context: C): Record<string, number>;
}

export interface MetricTable<R, C> {
  readonly metrics: readonly Metric<R, C>[];
  readonly families: readonly MetricFamily<R, C>[];
}

/** Every metric of one run, by name. */
export function computeMetrics<R, C>(table: MetricTable<R, C>, run: R, context: C): Record<string, number> {
  const values: Record<string, number> = {};
  for (const metric of table.metrics) values[metric.name] = metric.compute(run, context);
  for (const family of table.families) Object.assign(values, family.compute(run, context));
  return values;
}

/** Every metric name a point with `context` has. */
export function metricNamesOf<R, C>(table: MetricTable<R, C>, context: C): string[] {
  return [...table.metrics.map((m) => m.name), ...table.families.flatMap((f) => f.names(context))];
}

/** The declarations, for `locksim metrics`, the docs and `--json` consumers. */
export function declarations<R, C>(table: MetricTable<R, C>): MetricDeclaration[] {
  return [...table.metrics, ...table.families].map(({ name, unit, kind, better, description }) => ({ name, unit, kind, better, description }));
}
