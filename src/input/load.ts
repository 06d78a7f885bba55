/**
 * Reading a YAML or JSON input file into a plain value that still knows where
 * every field came from.
 *
 * JSON is a subset of YAML, so one parser (the `yaml` package) reads both and
 * keeps a node tree with source offsets; `locate(path)` maps a field path back
 * to line:column so validation errors can point at the exact spot. Files over a
 * size cap are refused before parsing: an input file is hand-written, and a
 * huge one is a mistake (or an alias bomb) rather than a model.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError, type InputErrorDetail } from './errors.js';
import { describeUnsafeNode, findUnsafeNode } from './plain-data.js';
import { readTextBounded } from './read.js';

/** Default size cap for one input file. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** A field path: keys and list indices from the document root. */
export type FieldPath = readonly (string | number)[];

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface LoadedDocument {
  /** The file name as given (used in error messages). */
  readonly file: string;
  /** The parsed plain value (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
  /**
   * Where the field at `path` is written. For a missing field, the nearest
   * enclosing field that exists (so "missing X" points at X's parent).
   * `target: 'key'` points at the field's name rather than its value.
   */
  locate(path: FieldPath, target?: 'value' | 'key'): SourcePosition | undefined;
}

export interface LoadOptions {
  maxBytes?: number;
}

/** Reads and parses `file`; YAML syntax errors and unreadable files are InputErrors with file:line:column. */
export function loadDocument(file: string, options: LoadOptions = {}): LoadedDocument {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const text = readTextBounded(file, {
    maxBytes,
    expected: 'a YAML or JSON input file',
    hint: 'Input files are hand-written models and scenarios; check that this is the right file.',
  });
  return parseDocumentText(text, file);
}

/** Parses text already in memory; `file` names it in errors. */
export function parseDocumentText(text: string, file: string): LoadedDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const position = first.linePos?.[0];
    throw new InputError(`YAML syntax error: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, {
      file,
      line: position?.line,
      column: position?.col,
      expected: 'valid YAML or JSON',
      found: first.code,
    });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError('cannot expand the document', { file, expected: 'valid YAML', found: describeError(error) });
  }
  const positionOf = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate = (path: FieldPath, target: 'value' | 'key' = 'value'): SourcePosition | undefined => {
    let node: unknown = document.contents;
    let best: SourcePosition | undefined = rangeStart(node, positionOf);
    for (const [index, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) return best;
        // Point at the value when there is one; a bare `key:` points at the key.
        const wantsKey = target === 'key' && index === path.length - 1;
        best = rangeStart(wantsKey ? pair.key : (pair.value ?? pair.key), positionOf) ?? rangeStart(pair.key, positionOf) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) return best;
        best = rangeStart(item, positionOf) ?? best;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };
  const unsafe = findUnsafeNode(value);
  if (unsafe !== undefined) {
    const { message, expected, found } = describeUnsafeNode(unsafe);
    const position = locate(unsafe.path, unsafe.kind === 'proto-key' ? 'key' : 'value');
    throw new InputError(message, { file, line: position?.line, column: position?.column, path: formatFieldPath(unsafe.path), expected, found });
  }
  return { file, value, locate };
}

/** An InputError pointing at `path` in `document` (line and column filled in when the field exists). */
export function errorAt(document: Pick<LoadedDocument, 'file' | 'locate'>, path: FieldPath, message: string, detail: InputErrorDetail = {}): InputError {
  const position = document.locate(path);
  return new InputError(message, {
    file: document.file,
    line: position?.line,
    column: position?.column,
    path: formatFieldPath(path),
    ...detail,
  });
}

/** ['topology', 'sockets', 1, 'cores'] → `topology.sockets[1].cores`. */
export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

function rangeStart(node: unknown, positionOf: (offset: number) => SourcePosition): SourcePosition | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : positionOf(range[0]);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function describeError(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
