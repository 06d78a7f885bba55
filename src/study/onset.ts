/**
 * The failure onset of each series of a sweep, closer than the sweep's
 * steps: between a series' last passing point and its first failing one
 * (more than the kind's threshold of failed launches, 5%), a bisection over
 * container count (bisect.ts) with the same seeds, so it is deterministic
 * and any --jobs gives the same bytes. A sweep from 200 to 300 containers
 * then says "from 235-240", not "from 300".
 *
 * Each step is the series' last passing point with only the container count
 * changed, run on the caller's executor; every series bisects at once.
 */
import type { FailureOnset, OnsetStep } from '../analysis/onset.js';
import type { ScenarioRun } from '../pipeline.js';
import type { ResolvedScenario, RunPoint } from '../scenario/types.js';
import { workloadKind } from '../workloads/registry.js';
import { bisectOnset } from './bisect.js';

/** Bisection stops when the last pass and the first fail are this many containers apart. */
export const ONSET_RESOLUTION = 10;

/** Runs one derived scenario (the caller decides where: its executor, its progress bar). */
export type OnsetRunner = (scenario: ResolvedScenario) => Promise<ScenarioRun>;

/** Series: points sharing every coordinate but x, sorted by x. */
function seriesOf(run: ScenarioRun, xKey: string, x: (point: RunPoint) => number): RunPoint[][] {
  const groups = new Map<string, RunPoint[]>();
  for (const point of run.scenario.points) {
    const key = JSON.stringify(Object.entries(point.coordinates).filter(([k]) => k !== xKey).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    groups.set(key, [...(groups.get(key) ?? []), point]);
  }
  return [...groups.values()].map((points) => [...points].sort((a, b) => x(a) - x(b)));
}

/** The onset of every series whose sweep crosses the threshold between two points more than ONSET_RESOLUTION apart. */
export async function findOnsets(run: ScenarioRun, runMore: OnsetRunner, resolution = ONSET_RESOLUTION): Promise<FailureOnset[]> {
  const kind = workloadKind(run.scenario.kind);
  const onset = kind.onset;
  if (onset === undefined) return [];
  const summaries = new Map(run.summary.points.map((p) => [p.index, p]));
  const meanOf = (point: RunPoint): number => summaries.get(point.index)?.metrics[onset.metric]?.mean ?? Number.NaN;
  const x = (point: RunPoint): number => kind.x(point.spec);
  const searches: Promise<FailureOnset | undefined>[] = [];
  for (const series of seriesOf(run, kind.xKey, x)) {
    const failing = series.findIndex((p) => meanOf(p) > onset.threshold);
    if (failing <= 0) continue;
    const pass = series[failing - 1];
    const fail = series[failing];
    if (meanOf(pass) > onset.threshold || Number.isNaN(meanOf(pass))) continue;
    searches.push(bisectSeries(run, pass, x(pass), x(fail), onset, runMore, resolution));
  }
  const found = await Promise.all(searches);
  return found.filter((o): o is FailureOnset => o !== undefined);
}

async function bisectSeries(
  run: ScenarioRun,
  base: RunPoint,
  lastPass: number,
  firstFail: number,
  onset: NonNullable<ReturnType<typeof workloadKind>['onset']>,
  runMore: OnsetRunner,
  resolution: number,
): Promise<FailureOnset | undefined> {
  const kind = workloadKind(run.scenario.kind);
  const machine = run.points.find((p) => p.point.index === base.index)?.machine ?? '';
  const steps: OnsetStep[] = [];
  const passes = async (value: number): Promise<boolean> => {
    const point: RunPoint = { index: 0, coordinates: { ...base.coordinates, [kind.xKey]: value }, spec: onset.at(base.spec, value) };
    const derived: ResolvedScenario = { ...run.scenario, name: `${run.scenario.name}-onset`, points: [point], expectations: [] };
    const { summary } = await runMore(derived);
    const estimate = summary.points[0].metrics[onset.metric];
    steps.push({ x: value, mean: estimate.mean, perSeed: [...estimate.perSeed] });
    return estimate.mean <= onset.threshold;
  };
  if (firstFail - lastPass <= resolution) return undefined;
  const found = await bisectOnset(lastPass, firstFail, passes, resolution);
  return { coordinates: { ...base.coordinates }, machine, xKey: kind.xKey, metric: onset.metric, threshold: onset.threshold, lastPass: found.lastPass, firstFail: found.firstFail, steps };
}
