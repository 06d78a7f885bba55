/**
 * Checking what locksim reads back from its own files (a report's
 * results.json and resolved.json, a checkpoint journal, a shard's partial)
 * before anything reads it as results.
 *
 * Those files are written by locksim, but they sit on disk where anyone (or a
 * bad merge, or a full disk) can change them, and the code that reads them
 * assumes their shape at every level. So each is checked against a schema of
 * the whole document, not only its top-level keys, and a wrong shape is one
 * InputError naming the file and the field path (exit 2), never a TypeError.
 *
 * Stored numbers may be NaN or infinite (a journal keeps them tagged) or
 * null (plain JSON writes NaN as null), which TypeBox's Number refuses, so
 * they have a kind of their own.
 */
import { Kind, Type, TypeRegistry, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { InputError } from './errors.js';
import { describeExpected } from './schema.js';

const STORED_NUMBER = 'LocksimStoredNumber';
if (!TypeRegistry.Has(STORED_NUMBER)) TypeRegistry.Set(STORED_NUMBER, (_schema, value) => typeof value === 'number' || value === null);

/** A number as stored: any number, NaN and ±Infinity included, or null (NaN through plain JSON). */
export function StoredNumber(): TUnsafe<number> {
  return Type.Unsafe<number>({ [Kind]: STORED_NUMBER, expected: 'a number' });
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let checker = compiled.get(schema);
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker;
}

/**
 * `value` typed by `schema`, or an InputError naming `file`, the first field
 * that does not fit, what was expected there and what was found.
 */
export function checkStored<T extends TSchema>(schema: T, value: unknown, file: string, what: { expected: string; hint: string }): Static<T> {
  if (checkerFor(schema).Check(value)) return value as Static<T>;
  const problem = firstProblem(schema, value, []);
  if (problem === undefined) throw new InputError(`${file} is not ${what.expected}`, { file, expected: what.expected, hint: what.hint });
  const { error, path } = problem;
  const missing = error.type === ValueErrorType.ObjectRequiredProperty;
  throw new InputError(missing ? `missing field \`${path[path.length - 1]}\`` : 'a field does not have the shape locksim writes', {
    file,
    path: formatPointerPath(path),
    expected: describeExpected(error.schema),
    found: missing ? 'nothing' : describeStored(error.value),
    hint: `${what.hint} (the file should be ${what.expected})`,
  });
}

/**
 * The first error, as deep as it goes: a union that matched no branch is
 * checked again against the branch its value claims (by its `kind`, or by
 * being the only mapping or list branch), so the message names the field
 * inside it rather than "expected one of several shapes".
 */
function firstProblem(schema: TSchema, value: unknown, prefix: readonly string[]): { error: ValueError; path: string[] } | undefined {
  const error = checkerFor(schema).Errors(value).First();
  if (error === undefined) return undefined;
  const relative = error.path.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = [...prefix, ...relative];
  if (error.type === ValueErrorType.Union) {
    const branch = claimedBranch((error.schema as TSchema & { anyOf?: TSchema[] }).anyOf ?? [], error.value);
    if (branch !== undefined) return firstProblem(branch, error.value, path) ?? { error, path };
  }
  return { error, path };
}

function claimedBranch(branches: readonly TSchema[], value: unknown): TSchema | undefined {
  const kindOf = (schema: TSchema): unknown => (schema as unknown as Record<symbol, unknown>)[Kind];
  if (Array.isArray(value)) {
    const lists = branches.filter((b) => kindOf(b) === 'Array');
    return lists.length === 1 ? lists[0] : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const objects = branches.filter((b) => kindOf(b) === 'Object');
  const claimed = (value as Record<string, unknown>).kind;
  const byKind = objects.filter((b) => (b as TSchema & { properties?: Record<string, { const?: unknown }> }).properties?.kind?.const === claimed);
  if (byKind.length === 1) return byKind[0];
  return objects.length === 1 ? objects[0] : undefined;
}

function formatPointerPath(segments: readonly string[]): string {
  let text = '';
  for (const segment of segments) text += /^\d+$/.test(segment) ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  return text;
}

function describeStored(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}
