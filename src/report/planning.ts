/**
 * What a planner reads first on a report page: per family the price (with
 * its source and date, marked as an estimate until checked) and the monthly
 * cost, a recommendation with its margin, and the model's known gaps and
 * calibration caveats. All of it is read from the report's own documents:
 * prices from the machine models, capacities from the sweep and its
 * bisected onsets, gaps from the scenario's `knownGap` expectations,
 * caveats from the models' calibrated parameters and estimated values.
 * Pure: no I/O.
 */
import type { ResolvedModels } from '../scenario/types.js';
import type { Expectation } from '../scenario/types.js';
import type { MachineModel } from '../topology/index.js';
import type { SeriesOnset, SeriesPoint } from '../charts/series.js';
import { formatSignificant } from '../charts/format.js';
import { formatDurationNs } from '../input/units.js';
import type { ReportTable } from './html.js';

/** Hours in a month, as AWS bills a month (365 x 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** A price read from a machine model, with whether it is still an estimate. */
function priceOf(model: MachineModel): { usdPerHour: number; usdPerMonth: number; date: string; source: string; estimate: boolean } {
  return { usdPerHour: model.priceUsdPerHour, usdPerMonth: model.priceUsdPerHour * HOURS_PER_MONTH, date: model.priceDate, source: model.priceSource, estimate: /estimate/i.test(model.priceSource) };
}

/** Instruction set from the CPU model: Graviton (Neoverse) families are arm64. */
function archOf(model: MachineModel): string {
  return /graviton|neoverse|ampere|\barm/i.test(model.cpuModel) ? 'arm64' : 'x86_64';
}

/** The machine model a series runs on. */
function modelOf(point: SeriesPoint, models: ResolvedModels): MachineModel | undefined {
  return models.machines[point.point.spec.machineModel];
}

/** Per machine model in the report: price, monthly cost, source and date. */
export function priceTable(points: readonly SeriesPoint[], models: ResolvedModels): ReportTable | undefined {
  const seen = new Map<string, MachineModel>();
  for (const p of points) {
    const model = modelOf(p, models);
    if (model !== undefined && !seen.has(model.name)) seen.set(model.name, model);
  }
  if (seen.size === 0) return undefined;
  const rows = [...seen.values()].sort((a, b) => a.priceUsdPerHour - b.priceUsdPerHour || (a.name < b.name ? -1 : 1));
  const estimates = rows.some((m) => priceOf(m).estimate);
  return {
    caption: `On-demand list prices from the machine model files; monthly = $/hour x ${HOURS_PER_MONTH}.${estimates ? ' Prices marked * are estimates until checked against the provider’s price list.' : ''}`,
    columns: ['family', 'CPU', 'arch', '$/hour', '$/month', 'price date', 'price source'],
    rows: rows.map((m) => {
      const price = priceOf(m);
      const mark = price.estimate ? '*' : '';
      return [m.name, m.cpuModel, archOf(m), `${price.usdPerHour.toFixed(3)}${mark}`, `${Math.round(price.usdPerMonth).toLocaleString('en-US')}${mark}`, price.date, price.source];
    }),
  };
}

/** How many containers a series launches at once below the failure threshold, as far as the sweep and its onset show. */
interface Capacity {
  readonly series: string;
  readonly model: MachineModel;
  /** Largest count known to pass (0 when the first point already fails). */
  readonly passes: number;
  /** True when no point failed: the capacity is at least `passes`. */
  readonly atLeast: boolean;
  /** Smallest count known to fail, when one did. */
  readonly fails?: number;
}

function capacities(points: readonly SeriesPoint[], onsets: readonly SeriesOnset[], models: ResolvedModels, failureMetric: string, threshold: number): Capacity[] {
  const bySeries = new Map<string, SeriesPoint[]>();
  for (const p of points) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p]);
  const out: Capacity[] = [];
  for (const [series, list] of bySeries) {
    const sorted = [...list].sort((a, b) => a.x - b.x);
    const model = modelOf(sorted[0], models);
    if (model === undefined) continue;
    const rate = (p: SeriesPoint): number => p.summary.metrics[failureMetric]?.mean ?? Number.NaN;
    const failing = sorted.findIndex((p) => rate(p) > threshold);
    const onset = onsets.find((o) => o.series === series);
    if (failing < 0) out.push({ series, model, passes: sorted[sorted.length - 1].x, atLeast: true });
    else if (onset !== undefined) out.push({ series, model, passes: onset.lastPass, atLeast: false, fails: onset.firstFail });
    else out.push({ series, model, passes: failing === 0 ? 0 : sorted[failing - 1].x, atLeast: false, fails: sorted[failing].x });
  }
  return out;
}

/**
 * The recommendation: the family that launches the most containers at once
 * below the failure threshold (ties: the cheapest), with its margin over the
 * next one; and, when a cheaper family comes within the sweep's reach, that
 * trade-off. Undefined for reports without failures to plan by.
 */
export function recommendation(points: readonly SeriesPoint[], onsets: readonly SeriesOnset[], models: ResolvedModels, failure: { metric: string; threshold: number } | undefined, xLabel: string): string | undefined {
  if (failure === undefined) return undefined;
  const ranked = capacities(points, onsets, models, failure.metric, failure.threshold).sort(
    (a, b) => b.passes - a.passes || Number(b.atLeast) - Number(a.atLeast) || a.model.priceUsdPerHour - b.model.priceUsdPerHour || (a.series < b.series ? -1 : 1),
  );
  if (ranked.length === 0) return undefined;
  const pct = `${formatSignificant(failure.threshold * 100)}%`;
  const reach = (c: Capacity): string => (c.atLeast ? `at least ${c.passes} ${xLabel} (no point of the sweep failed)` : c.passes === 0 ? `fewer than ${c.fails} ${xLabel}` : `${c.passes} ${xLabel}, failing from ${c.fails}`);
  const best = ranked[0];
  const price = priceOf(best.model);
  const lines = [
    `Recommended: ${best.series}. It keeps failed launches at or below ${pct} up to ${reach(best)}, at $${price.usdPerHour.toFixed(3)}/hour ($${Math.round(price.usdPerMonth).toLocaleString('en-US')}/month${price.estimate ? ', an estimate until checked' : ''}).`,
  ];
  const next = ranked[1];
  if (next !== undefined) {
    const margin = best.passes - next.passes;
    const nextText = `${next.series} (${reach(next)}, $${next.model.priceUsdPerHour.toFixed(3)}/hour)`;
    if (margin === 0 && !best.atLeast && !next.atLeast) {
      // Same reach: the ranking fell to the price, and the report says so rather than print a margin of +0.
      const why = next.model.priceUsdPerHour > best.model.priceUsdPerHour ? 'chosen as the cheaper' : 'the same price: either will do';
      lines.push(`No margin: ${nextText} reaches as far; ${best.series} is ${why}.`);
    } else {
      lines.push(`Margin: ${margin >= 0 ? '+' : ''}${margin} ${xLabel} over the next, ${nextText}${best.atLeast && next.atLeast ? '; the sweep did not reach either one’s limit' : ''}.`);
    }
  }
  const cheaper = ranked.filter((c) => c.model.priceUsdPerHour < best.model.priceUsdPerHour && c.passes > 0).sort((a, b) => a.model.priceUsdPerHour - b.model.priceUsdPerHour)[0];
  if (cheaper !== undefined) {
    lines.push(`Cheaper: ${cheaper.series} at $${cheaper.model.priceUsdPerHour.toFixed(3)}/hour launches up to ${reach(cheaper)}; enough if your batches stay below that. locksim plan searches every family for a given batch size.`);
  }
  if (archOf(best.model) === 'arm64') lines.push('It is arm64 (Graviton): images must be built for arm64.');
  return lines.join(' ');
}

function parameterValue(value: number, isDuration: boolean): string {
  return isDuration ? formatDurationNs(value) : formatSignificant(value);
}

/** The model's known gaps and calibration caveats, as paragraphs and a table. */
export function caveats(expectations: readonly Expectation[], models: ResolvedModels): { gaps: string[]; table?: ReportTable; estimates: string[] } {
  const gaps = expectations.filter((e) => e.knownGap !== undefined).map((e) => `${e.text}: ${e.knownGap}`);
  const rows = new Map<string, string[]>();
  for (const launch of Object.values(models.launch)) {
    const parameters = [...Object.values(launch.kernel.parameters), ...Object.values(launch.node.parameters), ...Object.values(launch.node.environmentParameters ?? {})];
    for (const p of parameters) {
      if (!p.calibrated) continue;
      const row = [p.name, parameterValue(p.value, p.isDuration), `${parameterValue(p.range[0], p.isDuration)} .. ${parameterValue(p.range[1], p.isDuration)}`, p.provenance.replace(/^calibrated:\s*/, '')];
      rows.set(JSON.stringify(row), row);
    }
  }
  const estimates: string[] = [];
  for (const machine of Object.values(models.machines)) {
    const walk = (value: unknown, path: string): void => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      const record = value as Record<string, unknown>;
      if ((record.basis === 'calibrated' || record.basis === 'estimate') && typeof record.source === 'string') {
        estimates.push(`${machine.name} ${path} (${record.basis}): ${record.source}`);
        return;
      }
      for (const [key, inner] of Object.entries(record)) if (key !== 'costTable' && key !== 'calibration' && key !== 'explicitLayout') walk(inner, path === '' ? key : `${path}.${key}`);
    };
    walk(machine, '');
  }
  const table: ReportTable | undefined =
    rows.size === 0
      ? undefined
      : {
          caption: 'Parameters no public source gives, fitted or chosen within the plausible range written next to them in the model files. Conclusions that depend on them are as good as the fit: locksim sensitivity moves each across its range.',
          columns: ['parameter', 'value', 'plausible range', 'calibrated to'],
          rows: [...rows.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        };
  return { gaps, ...(table === undefined ? {} : { table }), estimates: [...new Set(estimates)] };
}
