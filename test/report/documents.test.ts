// The machine-readable outputs: schemaVersion and version in each, schemas in schemas/ kept current,
// a tidy runs.csv, and documents that validate against their own schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KINDS } from '../../src/schemas.js';
import { jsonSchemaFor } from '../../src/workloads/schemas.js';
import { columnWithUnit, declarationOf, kindMetrics, MetricsDocumentSchema, runsCsv, summaryDocument, SummaryDocumentSchema } from '../../src/report/documents.js';
import { locksimVersion, OUTPUT_SCHEMA_VERSION, outputHead } from '../../src/input/package-info.js';
import { metricCatalogue } from '../../src/workloads/catalogue.js';
import { runScenario } from '../../src/pipeline.js';
import type { ScenarioRun } from '../../src/workloads/run.js';
import { launchScenario } from '../sweep/tiny-scenario.js';

/** JSON as a reader gets it (NaN -> null). */
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('output schemas', () => {
  it('are emitted and up to date', () => {
    for (const [name, schema] of Object.entries(OUTPUT_KINDS)) {
      const emitted = readFileSync(join(import.meta.dirname, '..', '..', 'schemas', `${name}.schema.json`), 'utf8');
      expect(emitted, `run \`npx tsx src/schemas.ts\` (${name})`).toBe(jsonSchemaFor(name, schema));
    }
  });

  it('start with schemaVersion and the version of locksim’s own package.json', () => {
    const own = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(locksimVersion()).toBe(own.version);
    expect(outputHead()).toEqual({ schemaVersion: OUTPUT_SCHEMA_VERSION, locksim: { version: own.version } });
  });

  it('hold the metric catalogue with units and directions', () => {
    const doc = roundTrip({ ...outputHead(), kinds: metricCatalogue() });
    expect(Value.Check(MetricsDocumentSchema, doc)).toBe(true);
    const launch = kindMetrics('launch');
    expect(declarationOf('p99LatencyS', launch)).toMatchObject({ unit: 's', better: 'lower' });
    expect(declarationOf('throughputPerS', launch)).toMatchObject({ unit: '/s', better: 'higher' });
    expect(declarationOf('mount_lock.p99WaitUs', launch)).toMatchObject({ name: '<lock>.p99WaitUs', unit: 'us', better: 'lower' });
    expect(declarationOf('time.spin:mount_lock', launch)).toMatchObject({ name: 'time.<category>', unit: 's' });
  });
});

describe('summary.json and runs.csv of a tiny run', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runScenario(launchScenario([2, 3], ['1', '2']));
  });

  it('summary.json validates against schemas/summary.schema.json', () => {
    const doc = roundTrip(summaryDocument(run.summary, 'launch'));
    expect(Value.Check(SummaryDocumentSchema, doc), JSON.stringify([...Value.Errors(SummaryDocumentSchema, doc)].slice(0, 3))).toBe(true);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'launch', seeds: ['1', '2'] });
  });

  it('runs.csv is one row per point and seed, every metric a number, units in the column names', () => {
    const lines = runsCsv(run.summary, 'launch').trimEnd().split('\r\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 6)).toEqual(['point', 'containers', 'sweep.machine', 'machine', 'seed', expect.any(String)]);
    expect(lines).toHaveLength(1 + 2 * 2);
    expect(header).toContain('p99LatencyS');
    expect(header).toContain('time.spin:mount_lock_s');
    expect(header).toContain('mount_lock.p99WaitUs');
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual([['0', '2', '1'], ['0', '2', '2'], ['1', '3', '1'], ['1', '3', '2']]);
    const p99 = header.indexOf('p99LatencyS');
    for (const row of rows) expect(Number.isFinite(Number(row[p99]))).toBe(true);
  });

  it('names units the metric name does not say', () => {
    expect(columnWithUnit('p50LatencyS', 's')).toBe('p50LatencyS');
    expect(columnWithUnit('mount_lock.meanWaitUs', 'us')).toBe('mount_lock.meanWaitUs');
    expect(columnWithUnit('time.walk', 's')).toBe('time.walk_s');
    expect(columnWithUnit('failureRate', '1')).toBe('failureRate');
    expect(columnWithUnit('throughputPerS', '/s')).toBe('throughputPerS');
  });
});
