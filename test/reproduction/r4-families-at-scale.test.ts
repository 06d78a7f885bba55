import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r4-families-at-scale.yaml');
