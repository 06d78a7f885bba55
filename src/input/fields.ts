/**
 * Field paths into a scenario: the common language of `--set path=value`,
 * `sweep:` keys and `where:` keys. A path is read against the schema (so an
 * unknown one gets a did-you-mean over the real ones) and against plain data.
 *
 * Paths only ever walk a file's own fields: `__proto__`, `constructor` and
 * `prototype` are refused as segments, and lookups use own properties, so no
 * path can reach or modify an object's prototype.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { InputError } from './errors.js';
import { validate, type ValueSource } from './schema.js';
import { formatFieldPath, type FieldPath } from './load.js';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

const SEGMENT = /^[A-Za-z0-9_$][A-Za-z0-9_$-]*$/;

/** `deadlines.launch` → ['deadlines', 'launch']; `expect[0].below` → ['expect', 0, 'below']. Undefined when malformed. */
export function parseFieldPath(text: string): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(text)) !== null) {
    consumed = pattern.lastIndex;
    if (match[1] !== undefined) {
      if (!expectKey || !SEGMENT.test(match[1]) || FORBIDDEN_SEGMENTS.has(match[1])) return undefined;
      path.push(match[1]);
      expectKey = false;
    } else if (match[2] !== undefined) {
      if (expectKey) return undefined;
      path.push(Number(match[2]));
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
  }
  if (consumed !== text.length || expectKey || path.length === 0) return undefined;
  return path;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` in plain data (own properties only), or undefined. */
export function getPath(value: unknown, path: FieldPath): unknown {
  let node = value;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node) || segment >= node.length) return undefined;
      node = node[segment];
    } else {
      if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return undefined;
      node = node[segment];
    }
  }
  return node;
}

/**
 * Writes `value` at `path`, creating missing mappings on the way. Returns
 * false (writing nothing) when a step goes through something that is not a
 * mapping or a list, e.g. `machine.family` while `machine` is a string.
 */
export function setPath(root: Record<string, unknown>, path: FieldPath, value: unknown): boolean {
  if (path.some((segment) => typeof segment === 'string' && FORBIDDEN_SEGMENTS.has(segment))) return false;
  let node: unknown = root;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (typeof segment === 'number') {
      if (!Array.isArray(node) || segment > node.length) return false;
      if (last) node[segment] = value;
      else {
        if (node[segment] === undefined) node[segment] = {};
        node = node[segment];
      }
    } else {
      if (!isPlainObject(node)) return false;
      if (last) node[segment] = value;
      else {
        if (!Object.hasOwn(node, segment) || node[segment] === undefined || node[segment] === null) node[segment] = {};
        node = node[segment];
      }
    }
  }
  return true;
}

function kindOf(schema: TSchema): string | undefined {
  return (schema as unknown as Record<symbol, string | undefined>)[Kind];
}

/** Recursive schemas (`Type.Recursive`) by $id, met on the way down: their `This` references resolve to them. */
type Refs = Map<string, TSchema>;

function resolveRef(schema: TSchema, refs: Refs): TSchema {
  const s = schema as TSchema & { $id?: string; $ref?: string };
  if (typeof s.$id === 'string') refs.set(s.$id, schema);
  if (kindOf(schema) === 'This' && typeof s.$ref === 'string') return refs.get(s.$ref) ?? schema;
  return schema;
}

function childSchema(schema: TSchema, segment: string | number, refs: Refs = new Map()): TSchema | undefined {
  schema = resolveRef(schema, refs);
  const s = schema as TSchema & { properties?: Record<string, TSchema>; patternProperties?: Record<string, TSchema>; items?: TSchema; anyOf?: TSchema[] };
  switch (kindOf(schema)) {
    case 'Union':
      for (const branch of s.anyOf ?? []) {
        const child = childSchema(branch, segment, refs);
        if (child !== undefined) return resolveRef(child, refs);
      }
      return undefined;
    case 'Object':
      return typeof segment === 'string' && s.properties !== undefined && Object.hasOwn(s.properties, segment) ? resolveRef(s.properties[segment], refs) : undefined;
    case 'Record':
      return typeof segment === 'string' && s.patternProperties !== undefined ? resolveRef(Object.values(s.patternProperties)[0], refs) : undefined;
    case 'Array':
      return typeof segment === 'number' && s.items !== undefined ? resolveRef(s.items, refs) : undefined;
    default:
      return undefined;
  }
}

/** The schema of the field at `path`, or undefined when the schema has no such field. */
export function schemaAt(schema: TSchema, path: FieldPath, refs: Refs = new Map()): TSchema | undefined {
  let node: TSchema | undefined = resolveRef(schema, refs);
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = childSchema(node, segment, refs);
  }
  return node;
}

/** Named field paths of a schema, two levels deep (`containers`, `deadlines.launch`), for did-you-mean lists. */
export function namedFieldPaths(schema: TSchema, depth = 2, prefix = ''): string[] {
  const s = schema as TSchema & { properties?: Record<string, TSchema>; anyOf?: TSchema[] };
  const kind = kindOf(schema);
  if (kind === 'Union') return [...new Set((s.anyOf ?? []).flatMap((branch) => namedFieldPaths(branch, depth, prefix)))];
  if (kind !== 'Object' || s.properties === undefined || depth === 0) return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(s.properties)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    paths.push(path);
    paths.push(...namedFieldPaths(child, depth - 1, path));
  }
  return paths;
}

/** A copy of `schema` whose references to recursive roots (`This`) are the roots themselves, so it compiles on its own. */
function inlineRecursive(schema: TSchema, refs: Refs): TSchema {
  if (refs.size === 0) return schema;
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (typeof node !== 'object' || node === null) return node;
    const s = node as TSchema & { $ref?: string };
    if (kindOf(s) === 'This' && typeof s.$ref === 'string' && refs.has(s.$ref)) return refs.get(s.$ref);
    const out: Record<string | symbol, unknown> = {};
    for (const key of Reflect.ownKeys(node)) out[key] = copy((node as Record<string | symbol, unknown>)[key]);
    return out;
  };
  return copy(schema) as TSchema;
}

/** The branch of a union that matches the shape of `value`, to explain what is wrong inside it. */
function branchFor(union: TSchema, value: unknown): TSchema | undefined {
  const branches = (union as TSchema & { anyOf?: TSchema[] }).anyOf ?? [];
  const kinds = branches.map(kindOf);
  const pick = (wanted: readonly string[]): TSchema | undefined => {
    const index = kinds.findIndex((kind) => kind !== undefined && wanted.includes(kind));
    return index === -1 ? undefined : branches[index];
  };
  if (Array.isArray(value)) return pick(['Array']);
  if (isPlainObject(value)) {
    // Among mapping branches, the one whose fields the value uses most (a step's kind key, `kind: normal`).
    const keys = Object.keys(value);
    let best: TSchema | undefined;
    let bestScore = -1;
    branches.forEach((branch, index) => {
      if (kinds[index] !== 'Object' && kinds[index] !== 'Record') return;
      const properties = (branch as TSchema & { properties?: Record<string, unknown> }).properties ?? {};
      const score = keys.filter((key) => Object.hasOwn(properties, key)).length;
      if (score > bestScore) {
        best = branch;
        bestScore = score;
      }
    });
    return best;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? (pick(['Integer']) ?? pick(['Number'])) : (pick(['Number']) ?? pick(['Integer']));
  if (typeof value === 'string') return pick(['String']);
  if (typeof value === 'boolean') return pick(['Boolean']);
  return undefined;
}

/**
 * `validate` from src/input, with one refinement: when the first problem is a
 * union that matched no branch (`layers: {kind: normal, mean: "x"}`), the
 * value is validated again against the branch of its own shape, so the
 * message names the field inside it instead of "expected a count or a mapping".
 */
export function validateField<T>(schema: TSchema, value: unknown, source: ValueSource, root: FieldPath = []): T {
  try {
    return validate(schema, value, source, root) as T;
  } catch (error) {
    if (!(error instanceof InputError) || error.detail.path === undefined) throw error;
    const rootText = formatFieldPath(root);
    if (!error.detail.path.startsWith(rootText)) throw error;
    const relativeText = error.detail.path.slice(rootText.length).replace(/^\./, '');
    const relative = relativeText === '' ? [] : parseFieldPath(relativeText.startsWith('[') ? `_${relativeText}` : relativeText);
    if (relative === undefined) throw error;
    const path = relativeText.startsWith('[') ? relative.slice(1) : relative;
    const refs: Refs = new Map();
    const fieldSchema = schemaAt(schema, path, refs);
    if (fieldSchema === undefined || kindOf(fieldSchema) !== 'Union') throw error;
    const fieldValue = getPath(value, path);
    const branch = branchFor(fieldSchema, fieldValue);
    if (branch === undefined || branch === fieldSchema) throw error;
    // A branch cut out of a recursive schema (a step inside a step) refers back to it: put it back in whole.
    validateField(inlineRecursive(branch, refs), fieldValue, source, [...root, ...path]);
    throw error;
  }
}
