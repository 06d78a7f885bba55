import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReportHtml, sanitizeSvg } from '../../src/report/html.js';
import { HOSTILE_CELL, samplePage } from './sample-page.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs><g clip-path="url(#clip1)"><rect width="10" height="10"/></g></svg>';

describe('renderReportHtml', () => {
  const html = renderReportHtml(
    samplePage([
      { title: 'Latency <b>', caption: 'Median & tail', svg: SVG, specFile: 'latency.vl.json', csvFile: 'latency.csv' },
      { title: 'Failures', caption: 'Share failed', svg: SVG.replace('<g ', '<script>alert(5)</script><g onclick="alert(6)" '), specFile: 'failure.vl.json' },
    ]),
  );

  it('puts planning sections before the headline numbers and caveats after the charts, escaped', () => {
    const page = renderReportHtml({
      ...samplePage([{ title: 'Latency', caption: 'c', svg: SVG, specFile: 'latency.vl.json' }]),
      sections: [
        { id: 'planning', title: 'Planning', paragraphs: ['Recommended: <m7a>.'], tables: [{ columns: ['family', '$/hour'], rows: [['m7a', '5.564*']] }] },
        { id: 'caveats', title: 'Calibration caveats', position: 'after-charts', list: ['ml_section & friends'] },
      ],
    });
    const at = (text: string): number => page.indexOf(text);
    expect(at('<section id="planning">')).toBeGreaterThan(0);
    expect(at('<section id="planning">')).toBeLessThan(at('<section id="headline">'));
    expect(at('<section id="charts">')).toBeLessThan(at('<section id="caveats">'));
    expect(page).toContain('<p>Recommended: &lt;m7a&gt;.</p>');
    expect(page).toContain('<li>ml_section &amp; friends</li>');
  });

  it('contains no <script> element at all, even from hostile input', () => {
    expect(html).not.toMatch(/<script/i);
    // No element carries an event handler (the escaped text `&lt;img … onerror=…&gt;` is harmless text).
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).not.toContain('onclick');
  });

  it('escapes the title, table cells, scenario text and captions', () => {
    expect(html).toContain('<title>Mount storm &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<h1>Mount storm &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain(`<td>${escapeHtml(HOSTILE_CELL)}</td>`);
    expect(escapeHtml(HOSTILE_CELL)).toBe('&quot;&amp;&lt;&gt;');
    // Issue 18: a right-to-left override (and other invisible controls) is shown, not obeyed; newlines and tabs stay.
    expect(escapeHtml('exe.\u202Etxt\u0007\n\tok')).toBe('exe.&lt;U+202E&gt;txt&lt;U+0007&gt;\n\tok');
    expect(html).toContain('<th scope="col">&quot;&amp;&lt;&gt;</th>');
    expect(html).toContain('&lt;img src=x onerror=alert(3)&gt;');
    expect(html).toContain('note: &lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('Figure 1. Latency &lt;b&gt;');
    expect(html).toContain('Median &amp; tail');
    expect(html).toContain('<code>scenarios/&lt;evil&gt;.yaml</code>');
    expect(html).toContain('&amp;&amp; echo &quot;&lt;done&gt;&quot;');
  });

  it('has the lead as paragraphs, numbers formatted and right-aligned', () => {
    expect(html).toContain('<p class="lead">r5.metal starts failing at 100 containers; m7a.24xlarge scales best.</p>');
    expect(html).toContain('<p class="lead">Second paragraph with &lt;b&gt;markup&lt;/b&gt; &amp; an ampersand.</p>');
    expect(html).toContain('<td class="num">31.25</td>');
    expect(html).toContain('<td class="num">20,200</td>');
  });

  it('puts every chart in a figure with a caption and a link to its spec', () => {
    expect(html.match(/<figure /g)).toHaveLength(2);
    expect(html).toContain('<a href="latency.vl.json">vega-lite spec</a>');
    expect(html).toContain('<a href="latency.csv">data (CSV)</a>');
    expect(html).toContain('<a href="failure.vl.json">vega-lite spec</a>');
  });

  it('refuses links with a scheme', () => {
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="#"><code>javascript:alert(4)</code></a>');
  });

  it('gives each inlined SVG its own ids so charts do not clip each other', () => {
    expect(html).toContain('id="fig-1-clip1"');
    expect(html).toContain('url(#fig-1-clip1)');
    expect(html).toContain('id="fig-2-clip1"');
    expect(html).toContain('url(#fig-2-clip1)');
    expect(html).not.toContain('"clip1"');
  });

  it('loads nothing from the network: no external src/href, and a CSP that forbids it', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*"(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the command, the version and the seeds', () => {
    expect(html).toContain('How to reproduce');
    expect(html).toContain('locksim 0.1.0, seeds 1, 2.');
  });

  it('is deterministic', () => {
    expect(renderReportHtml(samplePage([]))).toBe(renderReportHtml(samplePage([])));
  });
});

describe('sanitizeSvg', () => {
  it('removes scripts, foreignObject, handlers, javascript: links, comments and prologs', () => {
    const dirty =
      '<?xml version="1.0"?><!DOCTYPE svg><!-- c --><svg onload="x()"><SCRIPT type="text/javascript">alert(1)</SCRIPT>' +
      '<scr<script></script>ipt>alert(2)</script><foreignObject><div>hi</div></foreignObject>' +
      '<a xlink:href="javascript:alert(3)"><text onmouseover=\'y()\'>ok</text></a><script src="x.js"/></svg>';
    const clean = sanitizeSvg(dirty, 'f');
    expect(clean).not.toMatch(/script|foreignObject|onload|onmouseover|javascript:|<!--|<\?xml|DOCTYPE/i);
    expect(clean).toContain('<text>ok</text>');
    expect(clean.startsWith('<svg')).toBe(true);
  });

  it('leaves text that merely mentions "on" alone', () => {
    expect(sanitizeSvg('<svg><text>based on x=3</text></svg>', 'f')).toBe('<svg><text>based on x=3</text></svg>');
  });

  it('refuses markup that is not SVG', () => {
    expect(() => sanitizeSvg('<div></div>', 'f')).toThrow(/<svg>/);
  });
});
