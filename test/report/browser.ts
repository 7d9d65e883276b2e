/** Opening a report page in the system's headless Chromium (never a downloaded browser). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageCheck {
  errors: string[];
  /** Requests the page made beyond its own file (there should be none). */
  requests: string[];
  figures: number;
  /** Per figure: marks drawn in its SVG (paths, rects, lines, texts, circles). */
  marks: number[];
  sections: string[];
}

/** Loads `file`, lets `inspect` look at the page, and reports what a reader would see. */
export async function openPage(file: string, inspect?: (page: Page) => Promise<void>): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'polyhead-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1300, height: 900 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const marks = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => f.querySelectorAll('svg [class^="mark-"] path, svg [class^="mark-"] rect, svg [class^="mark-"] line, svg [class^="mark-"] text, svg [class^="mark-"] circle').length),
    );
    const sections = await page.$$eval('section', (all) => all.map((s) => s.id));
    await inspect?.(page);
    return { errors, requests, figures: marks.length, marks, sections };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
