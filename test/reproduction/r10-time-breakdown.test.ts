import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r10-time-breakdown.yaml');
