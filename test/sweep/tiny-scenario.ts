/**
 * Tiny sweeps, resolved like any scenario file: a few launch points of 2-6
 * containers x 3 layers on r5.metal, and a couple of pause_bench points,
 * each run in well under a second.
 */
import { stringify } from 'yaml';
import { loadScenarioText } from '../../src/pipeline.js';
import type { ResolvedScenario } from '../../src/scenario/types.js';

export function launchScenario(containers: readonly number[] = [2, 3, 4, 5, 6], seeds: readonly string[] = ['1', '2']): ResolvedScenario {
  const document = {
    name: 'tiny-launch',
    description: 'sweep test',
    machine: 'r5.metal',
    containers: containers[0],
    layers: 3,
    arrival: { kind: 'staggered', over: '50 ms' },
    horizon: '600 s',
    sampleEvery: '100 ms',
    seeds: [...seeds],
    sweep: { containers: [...containers], machine: ['r5.metal'] },
  };
  return loadScenarioText(stringify(document), 'test/sweep/tiny-scenario.ts');
}

export function pauseBenchScenario(threads: readonly number[] = [2, 4, 8]): ResolvedScenario {
  const document = {
    name: 'tiny-pause',
    description: 'sweep test',
    kind: 'pause-bench',
    machine: 'r5.metal',
    threads: threads[0],
    placement: 'compact',
    lock: 'ticket',
    hold: '50 ns',
    think: '200 ns',
    duration: '200 us',
    seeds: ['7', '8'],
    sweep: { threads: [...threads], machine: ['r5.metal'] },
  };
  return loadScenarioText(stringify(document), 'test/sweep/tiny-scenario.ts');
}
