// The fuzz thread's entry: loads its TypeScript body through tsx (the suite runs from sources).
import { tsImport } from 'tsx/esm/api';

await tsImport('./fuzz-worker.ts', import.meta.url);
