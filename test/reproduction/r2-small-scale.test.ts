import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r2-small-scale.yaml');
