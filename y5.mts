import { loadScenario } from './src/scenario/load.ts';
const t0 = Date.now();
try { loadScenario(process.argv[2]); } catch (e: any) { console.log(e.format?.().slice(0, 200) ?? e); }
console.log(Date.now() - t0, 'ms');
