import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r5-numa.yaml');
