import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importC2cMatrix, parseC2cCsv } from '../../src/topology/index.js';
import { REPO_ROOT } from '../../src/input/catalog.js';
import { InputError } from '../../src/input/errors.js';

describe('c2c CSV import (nviennot/core-to-core-latency layout)', () => {
  it('reads a lower triangle into a symmetric matrix with a zero diagonal', () => {
    const m = parseC2cCsv(',,\n40.5,,\n41,130.25,\n', 'x.csv');
    expect(m.cpus).toBe(3);
    expect(m.latencyNs).toEqual([
      [0, 40.5, 41],
      [40.5, 0, 130.25],
      [41, 130.25, 0],
    ]);
  });

  it('keeps empty and NaN cells as missing, and averages a pair given both ways', () => {
    const m = parseC2cCsv(',10,\nNaN,,\n5,7,\n', 'x.csv');
    expect(m.latencyNs[0][1]).toBe(10);
    expect(m.latencyNs[1][0]).toBe(10);
    expect(m.latencyNs[2][0]).toBe(5);
    expect(parseC2cCsv(',,\n,,\n5,,\n', 'y.csv').latencyNs[1][0]).toBeNaN();
    expect(parseC2cCsv(',4\n6,\n', 'z.csv').latencyNs[0][1]).toBe(5);
  });

  it('rejects negative and non-numeric cells with line and column', () => {
    let error: unknown;
    try {
      parseC2cCsv(',,\n40,,\n41,-3,\n', 'neg.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toBe(
      'neg.csv:3:4: latency between CPU 2 and CPU 1 is not a non-negative number (expected a latency in ns >= 0, or an empty cell, found "-3")',
    );
    expect(() => parseC2cCsv(',\nabc,\n', 'bad.csv')).toThrow(InputError);
    expect(() => parseC2cCsv(',,,\n1,\n', 'wide.csv')).toThrow(/more cells than the matrix has rows/);
  });

  it('imports the shipped matrices', () => {
    const dir = join(REPO_ROOT, 'data', 'c2c');
    const spr = importC2cMatrix(join(dir, 'Intel Xeon W9-3475X 2.2GHz 36Cores 2023-Q2 by-ReinForce-II.csv'));
    expect(spr.cpus).toBe(36);
    const cl = importC2cMatrix(join(dir, 'Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz.csv'));
    expect(cl.cpus).toBe(96);
    // SMT siblings i and i + 48 are the cheapest pair (docs/hardware.md: 7.5-7.9 ns).
    expect(cl.latencyNs[0][48]).toBeLessThan(8);
  });
});
