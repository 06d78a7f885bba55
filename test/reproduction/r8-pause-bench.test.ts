import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r8-pause-bench.yaml');
