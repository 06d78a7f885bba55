/**
 * The report page: one self-contained HTML file a capacity planner can open
 * from disk, mail, or attach to a CI run.
 *
 * Self-contained means no network at all: no scripts, fonts, stylesheets or
 * images are fetched; charts are inline SVG and the CSS is inline. A
 * Content-Security-Policy meta tag enforces that in the browser, so a stray
 * reference fails loudly in testing instead of leaking a request.
 *
 * Every string in a ReportPage may come from a user's scenario or model file
 * (scenario names, machine names, free text), so everything is HTML-escaped
 * except the chart SVG, which vega generated (vega escapes the text it draws).
 * The SVG is still sanitised: scripts, foreignObject, event-handler attributes
 * and javascript: links are removed, and its ids are prefixed per figure,
 * because vega names its clip paths `clip1`, `clip2`… in every chart and two
 * inlined charts would otherwise clip each other.
 */

/** A plain table: a header row and rows of cells. Numbers are right-aligned. */
export interface ReportTable {
  caption?: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

export interface ReportChart {
  title: string;
  /** One or two sentences on what the chart shows and how to read it. */
  caption: string;
  /** SVG markup as produced by `renderChart` (src/report/render.ts). */
  svg: string;
  /** Relative path of the chart's vega-lite spec, e.g. `latency.vl.json`. */
  specFile: string;
  /** Relative path of the chart's data as CSV, when written. */
  csvFile?: string;
  /** Relative path of a PNG rendering, when written. */
  pngFile?: string;
}

/** A file in the report directory worth pointing the reader to (results.json, resolved-scenario.json…). */
export interface ReportFileLink {
  file: string;
  description: string;
}

/** A section of prose, tables and a list (planning, caveats): before the headline numbers, or after the charts. */
export interface ReportSection {
  id: string;
  title: string;
  /** Where it goes (default before the headline numbers, where a planner starts reading). */
  position?: 'before-headline' | 'after-charts';
  paragraphs?: readonly string[];
  tables?: readonly ReportTable[];
  list?: readonly string[];
}

export interface ReportPage {
  title: string;
  /** The finding in a few sentences; blank lines separate paragraphs. */
  lead: string;
  /** The scenario exactly as run (the resolved form is best: it has every default filled in). */
  scenario: { fileName: string; text: string };
  headline: ReportTable;
  /** Sections before the headline numbers or after the charts. */
  sections?: readonly ReportSection[];
  charts: readonly ReportChart[];
  /** The exact command that regenerates this report. */
  reproduce: { command: string; note?: string };
  files?: readonly ReportFileLink[];
  footer: { locksimVersion: string; seeds: readonly (number | string)[] };
}

/** Renders the page as a complete HTML document (UTF-8, no external resources). */
export function renderReportHtml(page: ReportPage): string {
  const parts: string[] = [];
  parts.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...paragraphs(page.lead).map((text) => `<p class="lead">${escapeHtml(text)}</p>`),
    '</header>',
  );

  const renderSection = (section: ReportSection): void => {
    parts.push(`<section id="${escapeHtml(section.id.replace(/[^A-Za-z0-9_-]/g, '-'))}">`, `<h2>${escapeHtml(section.title)}</h2>`);
    for (const text of section.paragraphs ?? []) parts.push(`<p>${escapeHtml(text)}</p>`);
    for (const table of section.tables ?? []) parts.push(renderTable(table));
    if (section.list !== undefined && section.list.length > 0) parts.push('<ul>', ...section.list.map((item) => `<li>${escapeHtml(item)}</li>`), '</ul>');
    parts.push('</section>');
  };
  for (const section of page.sections ?? []) if (section.position !== 'after-charts') renderSection(section);

  parts.push('<section id="headline">', '<h2>Headline numbers</h2>', renderTable(page.headline), '</section>');

  if (page.charts.length > 0) {
    parts.push('<section id="charts">', '<h2>Charts</h2>');
    page.charts.forEach((chart, index) => parts.push(renderFigure(chart, index + 1)));
    parts.push('</section>');
  }
  for (const section of page.sections ?? []) if (section.position === 'after-charts') renderSection(section);

  parts.push(
    '<section id="scenario">',
    '<h2>Scenario</h2>',
    `<p>As run, from <code>${escapeHtml(page.scenario.fileName)}</code>:</p>`,
    `<pre class="scenario"><code>${escapeHtml(page.scenario.text)}</code></pre>`,
    '</section>',
  );

  parts.push(
    '<section id="reproduce">',
    '<h2>How to reproduce</h2>',
    '<p>Run this from the repository root; the same seeds give byte-identical results.</p>',
    `<pre class="command"><code>${escapeHtml(page.reproduce.command)}</code></pre>`,
  );
  if (page.reproduce.note !== undefined) parts.push(`<p>${escapeHtml(page.reproduce.note)}</p>`);
  parts.push('</section>');

  if (page.files !== undefined && page.files.length > 0) {
    parts.push('<section id="files">', '<h2>Files in this report</h2>', '<ul>');
    for (const link of page.files) {
      parts.push(`<li><a href="${escapeHtml(safeRelativeHref(link.file))}"><code>${escapeHtml(link.file)}</code></a>: ${escapeHtml(link.description)}</li>`);
    }
    parts.push('</ul>', '</section>');
  }

  const seedLabel = page.footer.seeds.length === 1 ? 'seed' : 'seeds';
  parts.push(
    '</main>',
    '<footer>',
    `<p>Generated by locksim ${escapeHtml(page.footer.locksimVersion)}, ${seedLabel} ${escapeHtml(page.footer.seeds.map(String).join(', '))}.</p>`,
    '</footer>',
    '</body>',
    '</html>',
    '',
  );
  return parts.join('\n');
}

function renderTable(table: ReportTable): string {
  const lines = ['<div class="table-wrap">', '<table>'];
  if (table.caption !== undefined) lines.push(`<caption>${escapeHtml(table.caption)}</caption>`);
  lines.push('<thead><tr>' + table.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('') + '</tr></thead>');
  lines.push('<tbody>');
  for (const row of table.rows) {
    lines.push('<tr>' + row.map((cell) => (typeof cell === 'number' ? `<td class="num">${escapeHtml(formatNumber(cell))}</td>` : `<td>${escapeHtml(cell)}</td>`)).join('') + '</tr>');
  }
  lines.push('</tbody>', '</table>', '</div>');
  return lines.join('\n');
}

function renderFigure(chart: ReportChart, figureNumber: number): string {
  const id = `fig-${figureNumber}`;
  const links = [`<a href="${escapeHtml(safeRelativeHref(chart.specFile))}">vega-lite spec</a>`];
  if (chart.csvFile !== undefined) links.push(`<a href="${escapeHtml(safeRelativeHref(chart.csvFile))}">data (CSV)</a>`);
  if (chart.pngFile !== undefined) links.push(`<a href="${escapeHtml(safeRelativeHref(chart.pngFile))}">PNG</a>`);
  return [
    `<figure id="${id}" aria-labelledby="${id}-title">`,
    `<h3 id="${id}-title">Figure ${figureNumber}. ${escapeHtml(chart.title)}</h3>`,
    `<div class="chart">${sanitizeSvg(chart.svg, id)}</div>`,
    `<figcaption>${escapeHtml(chart.caption)} <span class="links">(${links.join(' · ')})</span></figcaption>`,
    '</figure>',
  ].join('\n');
}

/**
 * Escapes text for HTML element content and double- or single-quoted attribute
 * values. Bidirectional controls (U+202E and kin) and other invisible control
 * characters are shown as `<U+202E>`: an entity would still reorder the text
 * around it (the "Trojan Source" trick), so they are made visible instead.
 * Newlines and tabs stay (the scenario is shown as written).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']|[^\P{Cc}\n\t]|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => HTML_ENTITIES[c] ?? `&lt;U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}&gt;`);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Prepares vega's SVG for inlining: keeps the drawing, removes anything that could
 * run code or pull in outside content, and namespaces ids with `idPrefix`.
 */
export function sanitizeSvg(svg: string, idPrefix: string): string {
  let clean = svg
    .replace(/<\?xml[\s\S]*?\?>/gi, '')
    .replace(/<!DOCTYPE[\s\S]*?>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  // Repeat until stable so nesting like `<scr<script></script>ipt>` cannot reassemble a tag.
  let previous: string;
  do {
    previous = clean;
    clean = clean
      .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
      .replace(/<\/?script\b[^>]*>/gi, '')
      .replace(/<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi, '')
      .replace(/<\/?foreignObject\b[^>]*>/gi, '')
      .replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, ''))
      .replace(/((?:xlink:)?href\s*=\s*["'])\s*javascript:[^"']*/gi, '$1#');
  } while (clean !== previous);
  clean = clean.trim();
  if (!/^<svg\b/i.test(clean)) throw new Error('sanitizeSvg: expected markup starting with <svg>');
  return prefixSvgIds(clean, idPrefix);
}

function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(\s*#([^)\s]+)\s*\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/((?:xlink:)?href=")#([^"]+)"/g, (_m, attr: string, id: string) => `${attr}#${prefix}-${id}"`);
}

/** Links in the page point at files next to it; anything with a scheme (javascript:, http:) is refused. */
function safeRelativeHref(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('//')) return '#';
  return file.split('/').map(encodeURIComponent).join('/');
}

function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

/**
 * Table numbers: integers and values >= 1000 as whole numbers with thousands
 * separators, smaller ones to 4 significant digits. en-US so the page does not
 * depend on the machine's locale. Callers wanting units or fixed decimals pass strings.
 */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const PAGE_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --rule: #d9dde4; --wash: #f5f7fa; --accent: #2458a6; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding: 32px 0 8px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 12px; }
h2 { font-size: 1.35rem; margin: 40px 0 12px; }
h3 { font-size: 1.05rem; margin: 0 0 8px; }
p.lead { font-size: 1.1rem; max-width: 70ch; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.88em; }
pre { background: var(--wash); border: 1px solid var(--rule); border-radius: 6px; padding: 12px 14px; overflow-x: auto; line-height: 1.45; }
pre.scenario { max-height: 32rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; min-width: 50%; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 6px; }
th, td { padding: 6px 14px 6px 0; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { border-bottom: 2px solid var(--ink); font-weight: 600; }
td.num { text-align: right; }
figure { margin: 24px 0 36px; padding: 16px 0 0; border-top: 1px solid var(--rule); }
figure .chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); max-width: 80ch; margin-top: 8px; }
figcaption .links { white-space: nowrap; }
footer { color: var(--muted); font-size: 0.9rem; border-top: 1px solid var(--rule); margin-top: 48px; padding-top: 12px; padding-bottom: 32px; }
`.trim();
