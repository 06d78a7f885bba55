/** `npm run bench`: prints every benchmark (see run.ts). */
import { formatBenchmarks, runBenchmarks } from './run.js';

process.stdout.write(`${formatBenchmarks(await runBenchmarks())}\n`);
