// The additive mesh fit (c + a_i + a_j) by least squares, and mathjs kept off the simulation path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitMeshModel } from '../../src/study/mesh-fit.js';
import { importC2cMatrix } from '../../src/topology/index.js';

describe('fitMeshModel', () => {
  it('recovers a matrix made by the model exactly', async () => {
    const offsets = [0, 3, 1.5, 7, 2, 4.5];
    const latencyNs = offsets.map((a, i) => offsets.map((b, j) => (i === j ? 0 : 40 + a + b)));
    const fit = await fitMeshModel({ cpus: offsets.length, latencyNs });
    expect(fit.baseNs).toBeCloseTo(40, 9);
    fit.offsetsNs.forEach((a, i) => expect(a).toBeCloseTo(offsets[i], 9));
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.pairs).toBe(15);
  });

  it('gives the fit data/c2c/derived_additive_fit.csv records for a measured Sapphire Rapids matrix', async () => {
    const file = 'Intel Xeon W9-3475X 2.2GHz 36Cores 2023-Q2 by-ReinForce-II.csv';
    const row = readFileSync('data/c2c/derived_additive_fit.csv', 'utf8').split('\n').find((line) => line.includes(file))!.split(',');
    const [r2, rmse, c, , aMedian, aMax] = row.slice(3).map(Number);
    const fit = await fitMeshModel(importC2cMatrix(join('data/c2c', file)));
    expect(fit.baseNs).toBeCloseTo(c, 1);
    expect(fit.offsetMaxNs).toBeCloseTo(aMax, 1);
    expect(fit.offsetMedianNs).toBeCloseTo(aMedian, 1);
    expect(fit.r2).toBeCloseTo(r2, 2);
    expect(fit.rmseNs).toBeCloseTo(rmse, 1);
  });

  it('refuses too few CPUs', async () => {
    await expect(fitMeshModel({ cpus: 2, latencyNs: [[0, 1], [1, 0]] })).rejects.toThrow(/at least 3 CPUs/);
  });
});

describe('mathjs', () => {
  it('is imported nowhere but the mesh fit and the calibration\'s covariance, and there only on first use', () => {
    const files = (readdirSync('src', { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.ts'));
    const users = files.filter((f) => /import\(?\s*['"]mathjs['"]|from ['"]mathjs['"]/.test(readFileSync(join('src', f), 'utf8'))).sort();
    expect(users).toEqual([join('study', 'calibrate.ts'), join('study', 'mesh-fit.ts')]);
    for (const user of users) {
      const source = readFileSync(join('src', user), 'utf8');
      expect(source).not.toMatch(/^import .*mathjs/m);
      expect(source).toMatch(/await import\('mathjs'\)/);
    }
  });
});
