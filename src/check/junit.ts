/**
 * JUnit XML for CI systems (GitHub Actions test reporters, GitLab, Jenkins):
 * one <testsuite> per scenario, one <testcase> per expectation. A failed
 * expectation is a <failure>; a known gap is <skipped> with its reason, so it
 * shows up in the report without turning the build red.
 *
 * Every string comes from a scenario file or a metric name and is escaped;
 * characters XML 1.0 cannot carry at all are replaced, so the document is
 * well-formed whatever the files contain.
 */
import type { CheckRow } from './expect.js';

export interface JunitSuite {
  readonly name: string;
  readonly file?: string;
  readonly rows: readonly CheckRow[];
}

/** Escapes text for an XML attribute or element body; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
}

function testcase(suite: JunitSuite, row: CheckRow): string {
  const head = `    <testcase${attributes({ classname: suite.name, name: row.expectation, file: suite.file, line: row.line })}`;
  const detail = `expected ${row.expected}, got ${row.got}`;
  if (row.knownGap !== undefined) {
    return `${head}>\n      <skipped${attributes({ message: `known gap (${row.passed ? 'holds' : 'does not hold'}): ${row.knownGap}; ${detail}` })}/>\n    </testcase>`;
  }
  if (row.passed) return `${head}/>`;
  return `${head}>\n      <failure${attributes({ message: detail, type: 'expectation' })}>${escapeXml(`${row.expectation}\n${detail}`)}</failure>\n    </testcase>`;
}

/** The whole report as one JUnit XML document. */
export function junitXml(suites: readonly JunitSuite[], name = 'locksim check'): string {
  const count = (rows: readonly CheckRow[]): { tests: number; failures: number; skipped: number } => ({
    tests: rows.length,
    failures: rows.filter((r) => !r.passed && r.knownGap === undefined).length,
    skipped: rows.filter((r) => r.knownGap !== undefined).length,
  });
  const all = count(suites.flatMap((s) => s.rows));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes({ name, ...all, errors: 0 })}>`];
  for (const suite of suites) {
    const c = count(suite.rows);
    lines.push(`  <testsuite${attributes({ name: suite.name, file: suite.file, ...c, errors: 0 })}>`);
    for (const row of suite.rows) lines.push(testcase(suite, row));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
