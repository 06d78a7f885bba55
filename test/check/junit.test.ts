import { describe, expect, it } from 'vitest';
import { escapeXml, junitErrorXml, junitXml } from '../../src/check/junit.js';
import type { CheckRow } from '../../src/check/expect.js';

/**
 * A small well-formedness check (no XML parser among the dependencies): tags
 * nest and close, attributes are quoted, and no raw `<` or `&` appears
 * outside a tag or an entity.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const stack: string[] = [];
  const token = /<\/?([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  let roots = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [whole, name, , selfClosing, text] = match;
    if (text !== undefined) {
      expect(text.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/[<&]/);
      continue;
    }
    for (const [, value] of whole.matchAll(/="([^"]*)"/g)) expect(value.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/[<&"]/);
    if (whole.startsWith('</')) expect(stack.pop()).toBe(name);
    else if (selfClosing !== '/') {
      if (stack.length === 0) roots += 1;
      stack.push(name);
    } else if (stack.length === 0) roots += 1;
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

const HOSTILE = 'a <b> & "c" \'d\' ]]> \u0001 \uD800';

const rows: CheckRow[] = [
  { scenario: 's', expectation: 'failureRate @ containers=60 < 0.05', expected: '< 0.05', got: '0.01', passed: true, line: 12 },
  { scenario: 's', expectation: `p50 ${HOSTILE}`, expected: `< ${HOSTILE}`, got: '9 & more', passed: false },
  { scenario: 's', expectation: 'onset', expected: 'in [70, 140]', got: '200', passed: false, knownGap: `the model's onset is late <${HOSTILE}>` },
];

describe('junitXml', () => {
  const xml = junitXml([{ name: `s & ${HOSTILE}`, file: 'scenarios/s.yaml', rows }, { name: 'empty', rows: [] }]);

  it('is well-formed whatever the strings contain', () => {
    assertWellFormed(xml);
    expect(xml).not.toContain('\u0001');
  });

  it('has one suite per scenario, one case per expectation, failures and known gaps as skipped', () => {
    expect(xml).toContain('<testsuites name="locksim check" tests="3" failures="1" skipped="1" errors="0">');
    expect(xml).toContain('<testsuite name="s &amp; a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; ]]&gt; \uFFFD \uFFFD" file="scenarios/s.yaml" tests="3" failures="1" skipped="1" errors="0">');
    expect(xml).toContain('<testcase classname="s &amp; a &lt;b&gt;');
    expect(xml).toContain('name="failureRate @ containers=60 &lt; 0.05" file="scenarios/s.yaml" line="12" time="0"/>');
    expect(xml).toMatch(/<failure message="expected &lt; a &lt;b&gt; &amp; &quot;c&quot;.*, got 9 &amp; more" type="expectation">/);
    expect(xml).toMatch(/<skipped message="known gap \(does not hold\): the model&apos;s onset is late &lt;a/);
    expect(xml).toContain('<testsuite name="empty" tests="0" failures="0" skipped="0" errors="0">');
  });

  it('carries wall times and properties when given', () => {
    const timed = junitXml([{ name: 'r3', file: 'scenarios/r3.yaml', rows: [], timeS: 1.23456, properties: [['seeds', '1,2,3'], ['model.machine.r5.metal', 'abc123']] }], 'locksim check', { timeS: 2 });
    expect(timed).toContain('<testsuites name="locksim check" tests="0" failures="0" skipped="0" errors="0" time="2.000">');
    expect(timed).toContain('<testsuite name="r3" file="scenarios/r3.yaml" tests="0" failures="0" skipped="0" errors="0" time="1.235">\n    <properties>\n      <property name="seeds" value="1,2,3"/>\n      <property name="model.machine.r5.metal" value="abc123"/>\n    </properties>');
  });

  it('writes bad input as one testcase with an error', () => {
    const xml = junitErrorXml('typo.yaml:4:1: contaners: unknown field <x>', { file: 'typo.yaml', properties: [['locksim.version', '0.1.0']] });
    expect(xml).toContain('<testsuites name="locksim check" tests="1" failures="0" skipped="0" errors="1" time="0.000">');
    expect(xml).toContain('<testcase classname="input" name="scenario files load" file="typo.yaml" time="0">\n      <error message="typo.yaml:4:1: contaners: unknown field &lt;x&gt;" type="input">');
    expect(xml).toContain('<property name="locksim.version" value="0.1.0"/>');
  });

  it('escapes the five XML characters', () => {
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });
});
