import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r7-equal-cores.yaml');
