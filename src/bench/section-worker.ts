/** A thread of its own for the model benchmarks (see run.ts): it runs them and posts the rows back. */
import { parentPort } from 'node:worker_threads';
import { benchmarkSections } from './sections.js';

parentPort?.postMessage(await benchmarkSections());
