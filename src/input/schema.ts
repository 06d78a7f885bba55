/**
 * Validation glue: a loaded document is checked against a TypeBox schema, and
 * the first problem (the one nearest the top of the file) becomes ONE
 * InputError with file, line, column, dotted field path, what was expected and
 * what was found. Schemas use `additionalProperties: false`, so a misspelt
 * field is an error with a did-you-mean hint instead of being silently ignored.
 *
 * Two extra schema keywords are understood here and ignored by JSON Schema
 * tools: `expected` (the phrase used in messages, e.g. 'a duration such as
 * "30 s"') and `unit` ('duration' | 'size'), which hands a bad value to the
 * unit parser so the message names the actual mistake (a bare number, a size
 * where a time belongs, an unknown unit).
 */
import { Kind, Type, type SchemaOptions, type Static, type TSchema, type TString } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { InputError } from './errors.js';
import { didYouMean } from './did-you-mean.js';
import { formatFieldPath, type FieldPath, type LoadedDocument } from './load.js';
import { DURATION_EXPECTED, DURATION_PATTERN, SIZE_EXPECTED, SIZE_PATTERN, parseDurationNs, parseSizeBytes, unitOfQuantity } from './units.js';

export interface FieldOptions extends SchemaOptions {
  description: string;
}

/** A duration written with a unit, e.g. "46.8 ns". Parse it with `parseDurationNs` after validation. */
export function Duration(options: FieldOptions): TString {
  return Type.String({ ...options, pattern: DURATION_PATTERN, unit: 'duration', expected: DURATION_EXPECTED });
}

/** A size written with a unit, e.g. "4 MiB". */
export function Size(options: FieldOptions): TString {
  return Type.String({ ...options, pattern: SIZE_PATTERN, unit: 'size', expected: SIZE_EXPECTED });
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = compiled.get(schema);
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker as TypeCheck<T>;
}

/** Where the value came from; `locate` may be absent for values with no source text (flags). */
export interface ValueSource {
  file: string;
  locate?: LoadedDocument['locate'];
}

/**
 * Validates `value` (defaults applied first) and returns it typed, or throws
 * one InputError for the first problem. `root` prefixes field paths when the
 * value is a part of a larger document.
 */
export function validate<T extends TSchema>(schema: T, value: unknown, source: ValueSource, root: FieldPath = []): Static<T> {
  const withDefaults = Value.Default(schema, structuredClone(value)) as unknown;
  const checker = checkerFor(schema);
  if (checker.Check(withDefaults)) return withDefaults as Static<T>;
  let errors = [...checker.Errors(withDefaults)];
  // TypeBox also checks a missing required field's schema against `undefined`; keep only the "missing" error.
  const missing = new Set(errors.filter((e) => e.type === ValueErrorType.ObjectRequiredProperty).map((e) => e.path));
  errors = errors.filter((e) => e.type === ValueErrorType.ObjectRequiredProperty || !missing.has(e.path));
  // A misspelt field also makes its correct name "missing"; report the misspelling, which names the fix.
  const parentOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf('/'));
  const misspeltIn = new Set(errors.filter((e) => e.type === ValueErrorType.ObjectAdditionalProperties).map((e) => parentOf(e.path)));
  errors = errors.filter((e) => !(e.type === ValueErrorType.ObjectRequiredProperty && misspeltIn.has(parentOf(e.path))));
  const located = errors.map((error) => {
    const path = [...root, ...pointerToPath(error.path)];
    return { error, path, position: source.locate?.(path, error.type === ValueErrorType.ObjectAdditionalProperties ? 'key' : 'value') };
  });
  located.sort((a, b) => {
    const lineA = a.position?.line ?? Infinity;
    const lineB = b.position?.line ?? Infinity;
    if (lineA !== lineB) return lineA - lineB;
    const columnA = a.position?.column ?? Infinity;
    const columnB = b.position?.column ?? Infinity;
    if (columnA !== columnB) return columnA - columnB;
    return b.path.length - a.path.length;
  });
  const first = located[0];
  throw toInputError(first.error, first.path, source, first.position);
}

/** Validates a whole loaded document. */
export function validateDocument<T extends TSchema>(schema: T, document: LoadedDocument): Static<T> {
  return validate(schema, document.value, document);
}

function toInputError(error: ValueError, path: FieldPath, source: ValueSource, position: { line: number; column: number } | undefined): InputError {
  const at = { file: source.file, line: position?.line, column: position?.column, path: formatFieldPath(path) };
  const schema = error.schema as TSchema & { unit?: string; expected?: string };
  const field = path[path.length - 1];
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties: {
      const known = Object.keys((schema as { properties?: Record<string, unknown> }).properties ?? {});
      return new InputError(`unknown field \`${String(field)}\``, {
        ...at,
        expected: known.length > 0 ? `one of the fields ${known.map((k) => `\`${k}\``).join(', ')}` : 'no fields here',
        found: `\`${String(field)}\``,
        hint: didYouMean(String(field), known),
      });
    }
    case ValueErrorType.ObjectRequiredProperty:
      return new InputError(`missing required field \`${String(field)}\``, {
        ...at,
        expected: `${describeExpected(schema)}${schema.description !== undefined ? ` (${firstSentence(schema.description)})` : ''}`,
        found: 'nothing',
      });
    default:
      break;
  }
  // A bare number most likely meant the unit the field's default is written in ("30" for a "30 s" deadline).
  const bareNumberUnit = unitOfQuantity(schema.default);
  if (schema.unit === 'duration') parseDurationNs(error.value, at, { bareNumberUnit });
  if (schema.unit === 'size') parseSizeBytes(error.value, at, { bareNumberUnit });
  return new InputError(messageFor(error), { ...at, expected: describeExpected(schema), found: describeFound(error.value) });
}

function messageFor(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ArrayMinItems:
    case ValueErrorType.ArrayMaxItems:
      return 'wrong number of items';
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return 'value too small';
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return 'value too large';
    default:
      return 'invalid value';
  }
}

/** The phrase for "expected ..." derived from a schema. */
export function describeExpected(schema: TSchema): string {
  const s = schema as TSchema & Record<string, unknown>;
  if (typeof s.expected === 'string') return s.expected;
  const bounds = (): string => {
    const parts: string[] = [];
    if (typeof s.minimum === 'number') parts.push(`>= ${s.minimum}`);
    if (typeof s.exclusiveMinimum === 'number') parts.push(`> ${s.exclusiveMinimum}`);
    if (typeof s.maximum === 'number') parts.push(`<= ${s.maximum}`);
    if (typeof s.exclusiveMaximum === 'number') parts.push(`< ${s.exclusiveMaximum}`);
    return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
  };
  switch (kindOf(s)) {
    case 'Literal':
      return JSON.stringify(s.const);
    case 'Union': {
      const options = (s.anyOf as TSchema[]) ?? [];
      if (options.every((o) => kindOf(o) === 'Literal')) {
        return `one of ${options.map((o) => JSON.stringify((o as Record<string, unknown>).const)).join(', ')}`;
      }
      return options.map(describeExpected).join(' or ');
    }
    case 'Number':
      return `a number${bounds()}`;
    case 'Integer':
      return `an integer${bounds()}`;
    case 'Boolean':
      return 'true or false';
    case 'String':
      return typeof s.pattern === 'string' ? `a string matching /${s.pattern}/` : typeof s.minLength === 'number' && s.minLength > 0 ? 'a non-empty string' : 'a string';
    case 'Array': {
      const items = s.items as TSchema | undefined;
      const count = typeof s.minItems === 'number' && s.minItems === s.maxItems ? `${s.minItems} ` : typeof s.minItems === 'number' && s.minItems > 0 ? `at least ${s.minItems} ` : '';
      return `a list of ${count}${items === undefined ? 'values' : describeExpected(items).replace(/^an? /, '')}`;
    }
    case 'Object':
      return 'a mapping of fields';
    default:
      return 'a valid value';
  }
}

function kindOf(schema: TSchema): unknown {
  return (schema as unknown as Record<symbol, unknown>)[Kind];
}

function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  // JSON.stringify would print NaN and the infinities as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function firstSentence(text: string): string {
  const end = text.search(/\.\s|\.$/);
  return end === -1 ? text : text.slice(0, end);
}

/** "/topology/sockets/1" → ['topology', 'sockets', 1]. */
function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
