import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { loadDocument, parseDocumentText } from '../../src/input/load.js';
import { Duration, validate, validateDocument } from '../../src/input/schema.js';
import { errorOf } from '../support/input-error.js';


const Schema = Type.Object(
  {
    name: Type.String({ description: 'A name.' }),
    topology: Type.Object(
      {
        sockets: Type.Integer({ minimum: 1, description: 'Sockets.' }),
        hold: Type.Optional(Duration({ description: 'A time.', default: '1 us' })),
      },
      { additionalProperties: false },
    ),
    tags: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

describe('loadDocument / parseDocumentText', () => {
  it('maps field paths back to line and column, in YAML and in JSON', () => {
    const yaml = parseDocumentText('name: x\ntopology:\n  sockets: 2\ntags:\n  - a\n  - b\n', 'a.yaml');
    expect(yaml.value).toEqual({ name: 'x', topology: { sockets: 2 }, tags: ['a', 'b'] });
    expect(yaml.locate(['topology', 'sockets'])).toEqual({ line: 3, column: 12 });
    expect(yaml.locate(['topology', 'sockets'], 'key')).toEqual({ line: 3, column: 3 });
    expect(yaml.locate(['tags', 1])).toEqual({ line: 6, column: 5 });
    // A missing field points at the nearest parent that exists.
    expect(yaml.locate(['topology', 'cores'])).toEqual({ line: 3, column: 3 });
    const json = parseDocumentText('{\n  "name": "x",\n  "topology": {"sockets": 2}\n}\n', 'a.json');
    expect(json.locate(['topology', 'sockets'])).toEqual({ line: 3, column: 27 });
  });

  it('reports YAML syntax errors with file:line:column', () => {
    const error = errorOf(() => parseDocumentText('name: x\nname: y\n', 'dup.yaml'));
    expect(error.format()).toMatch(/^dup\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  it('refuses files over the size cap before parsing, and missing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'locksim-load-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `name: ${'x'.repeat(200)}\n`);
    expect(errorOf(() => loadDocument(file, { maxBytes: 100 })).message).toContain('too large');
    expect(loadDocument(file).value).toEqual({ name: 'x'.repeat(200) });
    expect(errorOf(() => loadDocument(join(dir, 'none.yaml'))).detail.found).toBe('no such file');
  });
});

describe('validate', () => {
  it('returns the value with defaults applied', () => {
    const doc = parseDocumentText('name: x\ntopology:\n  sockets: 2\n', 'ok.yaml');
    expect(validateDocument(Schema, doc)).toEqual({ name: 'x', topology: { sockets: 2, hold: '1 us' } });
  });

  it('names an unknown field with a did-you-mean hint, at the key', () => {
    const doc = parseDocumentText('name: x\ntopology:\n  sockets: 2\n  sokets: 3\n', 'typo.yaml');
    const error = errorOf(() => validateDocument(Schema, doc));
    expect(error.detail).toMatchObject({ file: 'typo.yaml', line: 4, column: 3, path: 'topology.sokets', hint: 'Did you mean `sockets`?' });
  });

  it('reports a misspelt required field as the misspelling, not as missing', () => {
    const doc = parseDocumentText('name: x\ntopology:\n  sockest: 2\n', 'typo.yaml');
    const error = errorOf(() => validateDocument(Schema, doc));
    expect(error.message).toBe('unknown field `sockest`');
    expect(error.detail.hint).toBe('Did you mean `sockets`?');
  });

  it('reports a missing field, a wrong type and a bad unit with path, expected and found', () => {
    const missing = errorOf(() => validateDocument(Schema, parseDocumentText('name: x\ntopology: {}\n', 'm.yaml')));
    expect(missing.format()).toBe('m.yaml:2:11: topology.sockets: missing required field `sockets` (expected an integer >= 1 (Sockets), found nothing)');
    const wrong = errorOf(() => validateDocument(Schema, parseDocumentText('name: x\ntopology:\n  sockets: 0\n', 'w.yaml')));
    expect(wrong.format()).toBe('w.yaml:3:12: topology.sockets: value too small (expected an integer >= 1, found 0)');
    const unit = errorOf(() => validateDocument(Schema, parseDocumentText('name: x\ntopology:\n  sockets: 1\n  hold: 12 parsecs\n', 'u.yaml')));
    expect(unit.format()).toContain('u.yaml:4:9: topology.hold: "parsecs" is a unit of length, not of duration');
    expect(unit.format()).toContain('expected a duration such as "30 s" or "46.8 ns", found "12 parsecs"');
  });

  it('reports the problem nearest the top of the file first', () => {
    const doc = parseDocumentText('name: 5\ntopology:\n  sockets: -1\n', 'order.yaml');
    expect(errorOf(() => validateDocument(Schema, doc)).detail.line).toBe(1);
  });

  it('works on values without a source (flags), with a root path', () => {
    const error = errorOf(() => validate(Schema.properties.topology, { sockets: 'two' }, { file: '--set' }, ['topology']));
    expect(error.format()).toBe('--set: topology.sockets: invalid value (expected an integer >= 1, found "two")');
  });
});
