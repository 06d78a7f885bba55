import { describeCheckScenario } from './check-scenario.js';

describeCheckScenario('r6-hyperthreading.yaml');
