import { describe, expect, it } from 'vitest';
import { formatDurationNs, parseDurationNs, parseSizeBytes } from '../../src/input/units.js';
import { formatCpuList, parseCpuList } from '../../src/input/cpulist.js';
import { closestMatch, editDistance } from '../../src/input/did-you-mean.js';
import { errorOf } from '../support/input-error.js';


describe('parseDurationNs', () => {
  it.each([
    ['30 s', 30e9],
    ['46.8 ns', 46.8],
    ['0.5us', 500],
    ['2 ms', 2e6],
    ['1.5 min', 90e9],
    ['1e3 ns', 1000],
    ['250 µs', 250e3],
  ])('%s is %d ns', (text, ns) => {
    expect(parseDurationNs(text)).toBeCloseTo(ns, 6);
  });

  it('rejects a unit of another dimension with the expected form in the message', () => {
    const error = errorOf(() => parseDurationNs('12 parsecs', { file: 'm.yaml', line: 3, path: 'latency.smt' }));
    expect(error.format()).toBe(
      'm.yaml:3: latency.smt: "parsecs" is a unit of length, not of duration (expected a duration such as "30 s" or "46.8 ns", found "12 parsecs")',
    );
    expect(errorOf(() => parseDurationNs('4 MiB')).message).toContain('unit of size');
    expect(errorOf(() => parseDurationNs('5 m')).message).toContain('unit of length');
  });

  it('rejects bare numbers, unknown units (with a hint) and negatives', () => {
    expect(errorOf(() => parseDurationNs(46.8)).message).toContain('bare number');
    expect(errorOf(() => parseDurationNs('46.8')).message).toContain('bare number');
    const unknown = errorOf(() => parseDurationNs('3 mss'));
    expect(unknown.message).toContain('unknown unit "mss"');
    expect(unknown.detail.hint).toBe('Did you mean `ms`?');
    expect(errorOf(() => parseDurationNs('-1 ns')).message).toContain('cannot be negative');
    expect(parseDurationNs('-1 ns', {}, { allowNegative: true })).toBe(-1);
  });

  it('formats durations back compactly', () => {
    expect(formatDurationNs(7.6)).toBe('7.6 ns');
    expect(formatDurationNs(1500)).toBe('1.5 us');
    expect(formatDurationNs(30e9)).toBe('30 s');
  });
});

describe('parseSizeBytes', () => {
  it('reads sizes and rejects times', () => {
    expect(parseSizeBytes('4 MiB')).toBe(4 * 1024 * 1024);
    expect(parseSizeBytes('64 B')).toBe(64);
    expect(errorOf(() => parseSizeBytes('3 ns')).message).toContain('unit of duration');
  });
});

describe('CPU lists', () => {
  it('round-trips the Linux list format', () => {
    expect(parseCpuList('0-3,8,10-11')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(formatCpuList([11, 0, 1, 2, 3, 8, 10])).toBe('0-3,8,10-11');
    expect(parseCpuList('0-6:2')).toEqual([0, 2, 4, 6]);
    expect(errorOf(() => parseCpuList('3-1')).message).toContain('backwards');
    expect(errorOf(() => parseCpuList('a-b')).detail.expected).toContain('Linux CPU list');
  });
});

describe('did you mean', () => {
  it('finds near misses only', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('josn', 'json')).toBe(1);
    expect(closestMatch('coresPerSockett', ['sockets', 'coresPerSocket'])).toBe('coresPerSocket');
    expect(closestMatch('zzzz', ['sockets', 'coresPerSocket'])).toBeUndefined();
  });
});

describe('a bare number', () => {
  it('is told the unit it most likely meant', () => {
    expect(errorOf(() => parseDurationNs('30', {}, { bareNumberUnit: 's' })).format()).toContain('Write the unit, e.g. "30 s".');
    expect(errorOf(() => parseDurationNs(30)).format()).toContain('Write the unit, e.g. "30 ns".');
  });
});

describe('quantities past 2^53 base units (issue 18)', () => {
  it('refuses a duration or size that would overflow or lose its nanoseconds, naming the field', () => {
    for (const text of ['1e300 h', '1e400 s', '4800 h', '1e7 h']) {
      const error = errorOf(() => parseDurationNs(text, { file: 'x.yaml', path: 'horizon' }));
      expect(error.detail.path).toBe('horizon');
      expect(error.format()).toMatch(/horizon: .* (is too large|is not a finite duration)/);
    }
    expect(parseDurationNs('100 h')).toBe(3.6e14);
    expect(parseDurationNs('2400 h')).toBe(8.64e15);
    expect(() => parseSizeBytes('1e300 GiB')).toThrow(/is too large/);
    expect(parseSizeBytes('4 GiB')).toBe(4 * 2 ** 30);
  });
});
