/**
 * The closed forms as scenario files (scenarios/validation/): each runs the
 * way `locksim check` and `locksim validate` run it, and each expectation
 * (the simulation against its theory.* closed form, Little's law) is a test.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeCheckScenario } from '../reproduction/check-scenario.js';

const VALIDATION = fileURLToPath(new URL('../../scenarios/validation/', import.meta.url));

for (const file of readdirSync(VALIDATION).filter((f) => f.endsWith('.yaml')).sort()) describeCheckScenario(file, VALIDATION);
