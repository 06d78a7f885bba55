import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r9-layer-independence.yaml');
