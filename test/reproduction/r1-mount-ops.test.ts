import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r1-mount-ops.yaml');
