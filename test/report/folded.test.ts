import { describe, expect, it } from 'vitest';
import { toFoldedStacks } from '../../src/report/folded.js';

describe('toFoldedStacks', () => {
  it('merges identical stacks, sorts them, and rounds the summed weight', () => {
    const folded = toFoldedStacks([
      { stack: ['containerd', 'mount', 'path_init'], weight: 1000.4 },
      { stack: ['containerd', 'idmap'], weight: 10 },
      { stack: ['containerd', 'mount', 'path_init'], weight: 0.4 },
      { stack: ['containerd', 'mount'], weight: 5 },
    ]);
    expect(folded).toBe('containerd;idmap 10\ncontainerd;mount 5\ncontainerd;mount;path_init 1001\n');
  });

  it('sums before rounding, so many small samples are not lost', () => {
    const samples = Array.from({ length: 10 }, () => ({ stack: ['a'], weight: 0.3 }));
    expect(toFoldedStacks(samples)).toBe('a 3\n');
  });

  it('drops stacks whose weight rounds to zero', () => {
    expect(toFoldedStacks([{ stack: ['a'], weight: 0.2 }, { stack: ['b'], weight: 2 }])).toBe('b 2\n');
  });

  it('keeps frame names readable by flamegraph.pl: no ";" or line breaks inside a frame', () => {
    expect(toFoldedStacks([{ stack: ['lock;spin', 'multi\nline', ' ', 'with space'], weight: 7 }])).toBe('lock:spin;multi line;[unnamed];with space 7\n');
  });

  it('sorts by code units, independent of locale', () => {
    expect(toFoldedStacks([{ stack: ['b'], weight: 1 }, { stack: ['B'], weight: 1 }, { stack: ['a'], weight: 1 }])).toBe('B 1\na 1\nb 1\n');
  });

  it('rejects negative or non-finite weights and empty stacks', () => {
    expect(() => toFoldedStacks([{ stack: ['a'], weight: -1 }])).toThrow(RangeError);
    expect(() => toFoldedStacks([{ stack: ['a'], weight: Number.NaN }])).toThrow(RangeError);
    expect(() => toFoldedStacks([{ stack: [], weight: 1 }])).toThrow(RangeError);
  });

  it('is empty for no samples', () => {
    expect(toFoldedStacks([])).toBe('');
  });
});
