import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/report/csv.js';

describe('toCsv', () => {
  it('writes a header and CRLF-terminated rows, columns in first-seen order', () => {
    expect(toCsv([{ machine: 'r5.metal', containers: 100 }, { machine: 'm7a', failed: true, containers: 50 }])).toBe(
      'machine,containers,failed\r\nr5.metal,100,\r\nm7a,50,true\r\n',
    );
  });

  it('quotes commas, quotes, CR and LF, doubling inner quotes (RFC 4180)', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: 'line1\nline2', d: 'cr\rhere', e: 'plain' }]);
    expect(csv).toBe('a,b,c,d,e\r\n"x,y","say ""hi""","line1\nline2","cr\rhere",plain\r\n');
  });

  it('quotes fields with leading or trailing spaces so readers do not trim them', () => {
    expect(toCsv([{ a: ' padded ' }])).toBe('a\r\n" padded "\r\n');
  });

  it('quotes header names that need it', () => {
    expect(toCsv([{ 'latency, s': 1.5 }])).toBe('"latency, s"\r\n1.5\r\n');
  });

  it('uses the given columns in the given order, leaving missing and null values empty', () => {
    expect(toCsv([{ b: 2, a: 1, c: null }], ['c', 'a', 'missing', 'b'])).toBe('c,a,missing,b\r\n,1,,2\r\n');
  });

  it('writes non-finite numbers as empty fields', () => {
    expect(toCsv([{ x: Number.NaN, y: Number.POSITIVE_INFINITY, z: -0 }])).toBe('x,y,z\r\n,,0\r\n');
  });

  it('is empty without rows or columns, and a header alone with columns but no rows', () => {
    expect(toCsv([])).toBe('');
    expect(toCsv([], ['a', 'b'])).toBe('a,b\r\n');
  });
});
