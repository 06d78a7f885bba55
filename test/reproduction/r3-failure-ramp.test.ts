import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r3-failure-ramp.yaml');
