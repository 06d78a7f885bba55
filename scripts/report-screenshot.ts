/**
 * The README's picture of a report page: the top of DIR/index.html (the
 * finding, the planning section, the known gaps), 1,400 px wide, in headless
 * Chromium (Debian's /usr/bin/chromium, as the browser test uses).
 * Run: `npx tsx scripts/report-screenshot.ts reports/netflix-case docs/report-page.png`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [dir, out, heightText] = process.argv.slice(2);
if (dir === undefined || out === undefined) {
  process.stderr.write('usage: npx tsx scripts/report-screenshot.ts REPORT_DIR OUT.png [HEIGHT_PX]\n');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: Number(heightText ?? 1250) } });
  await page.goto(pathToFileURL(resolve(dir, 'index.html')).href);
  await page.screenshot({ path: out });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
}
