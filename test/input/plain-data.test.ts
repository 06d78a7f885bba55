import { describe, expect, it } from 'vitest';
import { findUnsafeNode } from '../../src/input/plain-data.js';
import { parseDocumentText } from '../../src/input/load.js';
import { errorOf } from '../support/input-error.js';

describe('findUnsafeNode', () => {
  it('finds a node that contains itself and a __proto__ key, with their paths', () => {
    const cyclic: unknown[] = [1];
    cyclic.push({ a: cyclic });
    expect(findUnsafeNode({ x: cyclic })).toEqual({ kind: 'cycle', path: ['x', 1, 'a'] });
    expect(findUnsafeNode(JSON.parse('{"a": {"b": [{"__proto__": {}}]}}'))).toEqual({ kind: 'proto-key', path: ['a', 'b', 0, '__proto__'] });
  });

  it('accepts shared nodes (plain aliases), and any depth without recursion', () => {
    const shared = { v: 1 };
    expect(findUnsafeNode({ a: shared, b: [shared, shared] })).toBeUndefined();
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnsafeNode(deep)).toBeUndefined();
  });

  it('makes the YAML loader refuse them where they are written', () => {
    expect(errorOf(() => parseDocumentText('a:\n  b: &x [1, *x]\n', 'x.yaml')).format()).toBe(
      'x.yaml:2:13: a.b[1]: a YAML alias refers to a node that contains it (expected a value that does not contain itself, found an alias of an enclosing node (an endless value))',
    );
    expect(errorOf(() => parseDocumentText('{"a": {"__proto__": {"x": 1}}}', 'x.json')).format()).toBe('x.json:1:8: a.__proto__: `__proto__` is not a field name (expected a field name, found `__proto__`)');
  });
});
