import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r9-fixes.yaml');
