// Type-checks against the installed package's declarations (exports.types): the API as a TypeScript user sees it.
import { loadScenario, resolveScenario, runScenario, summarize, diffReports, plan, version, type SummaryDocument, type DiffDocument, type PlanRow } from 'locksim';

const load: (file: string) => ReturnType<typeof loadScenario> = loadScenario;
async function firstP50(text: string): Promise<number | null> {
  const summary: SummaryDocument = summarize(await runScenario(resolveScenario(text, 'inline.yaml'), { jobs: 1 }));
  return summary.points[0].metrics.p50LatencyS.mean;
}
const diff: (a: string, b: string) => Promise<DiffDocument> = diffReports;
async function cheapest(): Promise<PlanRow | undefined> {
  const ranked = await plan({ containers: 10, layers: 2, runtime: 'containerd-idmap', deadlineNs: 30e9, machines: ['m7a.24xlarge'], seeds: 1, maxConcurrency: 20, jobs: 1 });
  return ranked[0];
}
export { load, firstP50, diff, cheapest, version };
