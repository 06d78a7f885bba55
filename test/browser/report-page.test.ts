/**
 * Opens a generated report page in headless Chromium: the page must load with
 * no console errors, fetch nothing from the network, and draw every chart.
 *
 * Needs /usr/bin/chromium (Debian package `chromium`). Without it the test is
 * skipped on a developer machine, but fails under CI, which installs it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureCurveSpec } from '../../src/charts/failure-curve.js';
import { latencyCurveSpec } from '../../src/charts/latency-curve.js';
import { renderChart } from '../../src/report/render.js';
import { renderReportHtml } from '../../src/report/html.js';
import { toCsv } from '../../src/report/csv.js';
import { writeFileAtomic } from '../../src/report/atomic.js';
import { samplePage } from '../report/sample-page.js';
import { failureRows, latencyRows } from '../report/sample-rows.js';

const CHROMIUM_PATH = '/usr/bin/chromium';
const chromiumPresent = existsSync(CHROMIUM_PATH);
const underCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

const skipReason = `${CHROMIUM_PATH} not found; install the Debian package "chromium" to run the browser tests`;

if (!chromiumPresent && underCi) {
  describe('report page in a browser (CI)', () => {
    it('has Chromium available', () => {
      throw new Error(`${skipReason}. CI must install it: a skipped browser test would hide a broken report page.`);
    });
  });
} else if (!chromiumPresent) {
  console.warn(`test/browser/report-page.test.ts skipped: ${skipReason}.`);
}

describe.skipIf(!chromiumPresent)(`report page in a browser${chromiumPresent ? '' : ` (skipped: ${skipReason})`}`, () => {
  let browser: Browser;
  let dir: string;
  let pageUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'locksim-report-'));
    const latencySpec = latencyCurveSpec(latencyRows);
    const failureSpec = failureCurveSpec(failureRows, { thresholdRate: 0.05 });
    const latency = await renderChart(latencySpec);
    const failure = await renderChart(failureSpec);
    await writeFileAtomic(join(dir, 'latency.vl.json'), JSON.stringify(latencySpec, null, 2));
    await writeFileAtomic(join(dir, 'failure.vl.json'), JSON.stringify(failureSpec, null, 2));
    await writeFileAtomic(join(dir, 'latency.csv'), toCsv(latencyRows.map((row) => ({ ...row }))));
    const html = renderReportHtml(
      samplePage([
        { title: 'Launch latency', caption: 'Median with p90 to p99 band.', svg: latency.svg, specFile: 'latency.vl.json', csvFile: 'latency.csv' },
        { title: 'Launch failures', caption: 'Share of launches that missed the deadline.', svg: failure.svg, specFile: 'failure.vl.json' },
      ]),
    );
    const pagePath = join(dir, 'report.html');
    await writeFileAtomic(pagePath, html);
    pageUrl = pathToFileURL(pagePath).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('loads without console errors or network requests, and every figure draws an SVG', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) foreignRequests.push(request.url());
    });
    page.on('dialog', (dialog) => {
      consoleErrors.push(`unexpected dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });

    await page.goto(pageUrl, { waitUntil: 'load' });

    expect(await page.title()).toBe('Mount storm <script>alert(1)</script>');
    const figures = await page.locator('figure').all();
    expect(figures).toHaveLength(2);
    for (const figure of figures) {
      const svg = figure.locator('svg').first();
      expect(await svg.count()).toBe(1);
      const box = await svg.boundingBox();
      expect(box).not.toBeNull();
      expect(box?.width ?? 0).toBeGreaterThan(100);
      expect(box?.height ?? 0).toBeGreaterThan(100);
      expect(await figure.locator('figcaption a[href$=".vl.json"]').count()).toBe(1);
    }
    // Hostile strings from the sample page stayed text.
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('td', { hasText: '"&<>' }).count()).toBeGreaterThan(0);

    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  });

  it('stays readable on a narrow screen: charts shrink to fit instead of overflowing', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
    await page.goto(pageUrl, { waitUntil: 'load' });
    const widths = await page.locator('figure svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
    for (const width of widths) expect(width).toBeLessThanOrEqual(420);
    expect(await page.locator('html').evaluate((root) => root.scrollWidth)).toBeLessThanOrEqual(420);
    await page.close();
  });
});
