/**
 * What parsed YAML or JSON may hold before anything reads it as fields.
 *
 * YAML can write two things no field can hold. An alias of an enclosing node
 * (`layers: &a [*a]`) parses to a value that contains itself, and every
 * recursive reader (validation, cloning, hashing) would run until the stack
 * overflows. A `__proto__` key parses to an own property, but the first copy
 * that assigns it (a clone, a default-filling pass) sets the copy's prototype
 * instead, so `mechanisms: {__proto__: {propagation: false}}` would switch a
 * mechanism off without naming it. Both are refused where they are written.
 */
import type { FieldPath } from './load.js';

export type UnsafeNode = { readonly kind: 'cycle'; readonly path: FieldPath } | { readonly kind: 'proto-key'; readonly path: FieldPath };

/**
 * The first node of `value` (depth first, in written order) that contains
 * itself or is a `__proto__` key, or undefined. Iterative, so any depth is
 * safe; a node reached twice through aliases is walked once.
 */
export function findUnsafeNode(value: unknown): UnsafeNode | undefined {
  const checked = new Set<object>();
  const open = new Set<object>();
  // Each frame: a container, its child entries, the next child, and how it was reached (paths are built only for a find).
  interface Frame {
    readonly node: object;
    readonly entries: readonly (readonly [string | number, unknown])[];
    next: number;
    readonly parent: Frame | undefined;
    readonly key: string | number | undefined;
  }
  const pathOf = (frame: Frame | undefined, last: string | number): FieldPath => {
    const path: (string | number)[] = [last];
    for (let f = frame; f !== undefined && f.key !== undefined; f = f.parent) path.push(f.key);
    return path.reverse();
  };
  const stack: Frame[] = [];
  if (typeof value === 'object' && value !== null) stack.push(frameOf(value, undefined, undefined));
  if (stack.length > 0) open.add(stack[0].node);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next === frame.entries.length) {
      stack.pop();
      open.delete(frame.node);
      checked.add(frame.node);
      continue;
    }
    const [key, child] = frame.entries[frame.next++];
    if (key === '__proto__') return { kind: 'proto-key', path: pathOf(frame, key) };
    if (typeof child !== 'object' || child === null || checked.has(child)) continue;
    if (open.has(child)) return { kind: 'cycle', path: pathOf(frame, key) };
    open.add(child);
    stack.push(frameOf(child, frame, key));
  }
  return undefined;

  function frameOf(node: object, parent: Frame | undefined, key: string | number | undefined): Frame {
    const entries: (readonly [string | number, unknown])[] = Array.isArray(node)
      ? node.map((item, index) => [index, item] as const)
      : Object.keys(node).map((name) => [name, (node as Record<string, unknown>)[name]] as const);
    return { node, entries, next: 0, parent, key };
  }
}

/** The message and detail of an UnsafeNode, for an InputError. */
export function describeUnsafeNode(node: UnsafeNode): { message: string; expected: string; found: string } {
  return node.kind === 'cycle'
    ? { message: 'a YAML alias refers to a node that contains it', expected: 'a value that does not contain itself', found: 'an alias of an enclosing node (an endless value)' }
    : { message: '`__proto__` is not a field name', expected: 'a field name', found: '`__proto__`' };
}
