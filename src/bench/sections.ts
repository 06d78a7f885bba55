/** Benchmarks of the model layers; each section adds rows as its capability lands. */
export interface BenchRow {
  name: string;
  value: string;
  note: string;
}

export async function benchmarkSections(): Promise<BenchRow[]> {
  return [];
}
