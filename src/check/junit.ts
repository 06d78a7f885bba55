/**
 * JUnit XML for CI systems (GitHub Actions test reporters, GitLab, Jenkins):
 * one <testsuite> per scenario, one <testcase> per expectation. A failed
 * expectation is a <failure>; a known gap is <skipped> with its reason, so it
 * shows up in the report without turning the build red. Each suite carries
 * its wall time (`time`, s) and <properties>: seeds, the locksim version and
 * the content hash of every model it ran on, so a red build names its inputs.
 * Bad input (exit 2) is one <testcase> with an <error>, so a reporter step
 * after a failed check still finds a file.
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
  /** Wall time from the start of the check to this scenario's results, in s. */
  readonly timeS?: number;
  /** Name and value pairs for <properties>, in order. */
  readonly properties?: readonly (readonly [string, string])[];
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

function seconds(value: number | undefined): string | undefined {
  return value === undefined || !Number.isFinite(value) ? undefined : value.toFixed(3);
}

function properties(values: readonly (readonly [string, string])[] | undefined, indent: string): string[] {
  if (values === undefined || values.length === 0) return [];
  return [`${indent}<properties>`, ...values.map(([name, value]) => `${indent}  <property${attributes({ name, value })}/>`), `${indent}</properties>`];
}

function testcase(suite: JunitSuite, row: CheckRow): string {
  const head = `    <testcase${attributes({ classname: suite.name, name: row.expectation, file: suite.file, line: row.line, time: '0' })}`;
  const detail = `expected ${row.expected}, got ${row.got}`;
  if (row.knownGap !== undefined) {
    return `${head}>\n      <skipped${attributes({ message: `known gap (${row.passed ? 'holds' : 'does not hold'}): ${row.knownGap}; ${detail}` })}/>\n    </testcase>`;
  }
  if (row.passed) return `${head}/>`;
  return `${head}>\n      <failure${attributes({ message: detail, type: 'expectation' })}>${escapeXml(`${row.expectation}\n${detail}`)}</failure>\n    </testcase>`;
}

/** The whole report as one JUnit XML document; `timeS` is the whole check's wall time. */
export function junitXml(suites: readonly JunitSuite[], name = 'locksim check', options: { timeS?: number; properties?: readonly (readonly [string, string])[] } = {}): string {
  const count = (rows: readonly CheckRow[]): { tests: number; failures: number; skipped: number } => ({
    tests: rows.length,
    failures: rows.filter((r) => !r.passed && r.knownGap === undefined).length,
    skipped: rows.filter((r) => r.knownGap !== undefined).length,
  });
  const all = count(suites.flatMap((s) => s.rows));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes({ name, ...all, errors: 0, time: seconds(options.timeS) })}>`];
  for (const suite of suites) {
    const c = count(suite.rows);
    lines.push(`  <testsuite${attributes({ name: suite.name, file: suite.file, ...c, errors: 0, time: seconds(suite.timeS) })}>`);
    lines.push(...properties([...(options.properties ?? []), ...(suite.properties ?? [])], '    '));
    for (const row of suite.rows) lines.push(testcase(suite, row));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/**
 * The JUnit document of a check that could not start (bad input, exit 2):
 * one suite with one <testcase> holding an <error> with the message.
 */
export function junitErrorXml(message: string, options: { name?: string; file?: string; properties?: readonly (readonly [string, string])[] } = {}): string {
  const name = options.name ?? 'locksim check';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name, tests: 1, failures: 0, skipped: 0, errors: 1, time: '0.000' })}>`,
    `  <testsuite${attributes({ name: 'input', file: options.file, tests: 1, failures: 0, skipped: 0, errors: 1, time: '0.000' })}>`,
    ...properties(options.properties, '    '),
    `    <testcase${attributes({ classname: 'input', name: 'scenario files load', file: options.file, time: '0' })}>`,
    `      <error${attributes({ message, type: 'input' })}>${escapeXml(message)}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
