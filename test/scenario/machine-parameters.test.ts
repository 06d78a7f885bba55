import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/pipeline.js';
import type { LaunchPointSpec } from '../../src/workloads/launch/index.js';
import { buildTopology, findMachineModel } from '../../src/topology/index.js';
import { errorOf } from '../support/input-error.js';

const BASE = 'name: mp\nmachine: r5.metal\ncontainers: 10\nlayers: 5\nseeds: 1\n';

function modelOf(text: string, set: string[] = [], point = 0) {
  const scenario = loadScenarioText(text, 'mp.yaml', { set });
  const spec = scenario.points[point].spec as LaunchPointSpec;
  return scenario.models.machines[spec.machineModel];
}

describe('machineParameters: the uncertain machine values, overridden like model parameters', () => {
  const file = findMachineModel('r5.metal');

  it('takes a value in its unit, or an end of the family\'s own range', () => {
    const model = modelOf(`${BASE}machineParameters: {fanOutRead: 25 ns, missesInFlight: high, smtSlowdown: 1.1}\n`);
    expect(model.parameters.fanOutRead.value).toBe(25);
    expect(model.parameters.missesInFlight.value).toBe(file.parameters.missesInFlight.range[1]);
    expect(model.parameters.smtSlowdown.value).toBe(1.1);
    expect(model.parameters.fanOutRead.source).toMatch(/^override \(set, scenario machineParameters\); the file's value 15/);
    expect(model.parameters.dramLocal).toEqual(file.parameters.dramLocal);
    // The topology reads the overridden values.
    expect(buildTopology(model).missesInFlight).toBe(12);
  });

  it('works from --set and in a sweep, a different model (hash) per value', () => {
    const low = modelOf(BASE, ['machineParameters.dramRemote=low']);
    expect(low.parameters.dramRemote?.value).toBe(file.parameters.dramRemote?.range[0]);
    const scenario = loadScenarioText(`${BASE}sweep: {machineParameters.homeOccupancy: [0.25, 1]}\n`, 'mp.yaml');
    const hashes = scenario.points.map((p) => p.spec.machineModel);
    expect(new Set(hashes).size).toBe(2);
    expect(scenario.models.machines[hashes[0]].parameters.homeOccupancy.value).toBe(0.25);
  });

  it('leaves a family without the value as it is at a range end, and refuses a number for it', () => {
    const model = modelOf('name: mp\nmachine: m7a.24xlarge\ncontainers: 10\nlayers: 5\nseeds: 1\nmachineParameters: {dramRemote: high}\n');
    expect(model.parameters.dramRemote).toBeUndefined();
    const error = errorOf(() => loadScenarioText('name: mp\nmachine: m7a.24xlarge\ncontainers: 10\nlayers: 5\nmachineParameters: {dramRemote: 200 ns}\n', 'mp.yaml'));
    expect(error.message).toMatch(/m7a.24xlarge has no `dramRemote`: it has one NUMA node/);
    expect(error.detail.path).toBe('machineParameters.dramRemote');
  });

  it('names the field, what was expected and what was found for a bad entry', () => {
    const unknown = errorOf(() => loadScenarioText(`${BASE}machineParameters: {fanOutReed: 20 ns}\n`, 'mp.yaml'));
    expect(unknown.message).toBe('unknown machine parameter `fanOutReed`');
    expect(unknown.detail.hint).toMatch(/fanOutRead/);
    expect(unknown.detail.line).toBe(6);
    const bare = errorOf(() => loadScenarioText(`${BASE}machineParameters: {fanOutRead: 20}\n`, 'mp.yaml'));
    expect(bare.detail.path).toBe('machineParameters.fanOutRead');
    const share = errorOf(() => loadScenarioText(`${BASE}machineParameters: {homeOccupancy: 1.5}\n`, 'mp.yaml'));
    expect(share.detail.expected).toBe('a share in (0, 1]');
    const count = errorOf(() => loadScenarioText(`${BASE}machineParameters: {missesInFlight: 2.5}\n`, 'mp.yaml'));
    expect(count.detail.expected).toBe('a whole number from 1 to 1024');
    const unit = errorOf(() => loadScenarioText(`${BASE}machineParameters: {smtSlowdown: 2 ns}\n`, 'mp.yaml'));
    expect(unit.detail.path).toBe('machineParameters.smtSlowdown');
  });
});
