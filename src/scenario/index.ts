/**
 * Scenario files: schema, loader and resolved types. Import from here rather
 * than from the individual modules.
 */
export * from './types.js';
export { DEFAULT_SCENARIO_MODELS_DIR, loadScenario, loadScenarioText, type LoadScenarioOptions } from './load.js';
export { SCENARIO_LIMITS, ScenarioFileSchema, LaunchScenarioSchema, PauseBenchScenarioSchema } from './schema.js';
export { LAUNCH_METRICS, PAUSE_BENCH_METRICS, metricNames } from './metrics.js';
