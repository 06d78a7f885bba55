/**
 * The page `locksim run` writes, opened in headless Chromium: it loads with no
 * console errors and no network requests, and every chart is drawn. Skipped
 * without /usr/bin/chromium (test/browser/ makes CI insist on it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../src/cli/commands/run.js';
import { recordingContext, TINY_LAUNCH } from './support.js';

const CHROMIUM_PATH = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM_PATH))('the run report in a browser', () => {
  let root: string;
  let index: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'locksim-page-'));
    index = await executeRun({ scenario: TINY_LAUNCH, out: join(root, 'report'), jobs: 1, seeds: 1, set: ['sweep.containers=[2]'], quiet: true, command: 'locksim run' }, recordingContext());
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('loads with no console errors or requests, and draws every chart', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(pathToFileURL(index).href, { waitUntil: 'load' });
      const figures = await page.locator('figure').all();
      expect(figures).toHaveLength(5);
      for (const figure of figures) {
        const box = await figure.locator('svg').first().boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        expect(box?.height ?? 0).toBeGreaterThan(50);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
