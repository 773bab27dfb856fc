// Screenshots of report pages for docs/guide/img/. Not part of the build or the tests: run it by
// hand after a guide run. It uses the playwright-core that @gyre/report has as a dev dependency,
// and the Chromium at CHROMIUM (default /usr/bin/chromium).
//
//   node scripts/guide-screenshots.mjs <page.html[#fragment]> <out.png> [width] [height] [css selector to scroll to]
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(join(fileURLToPath(new URL('..', import.meta.url)), 'packages/report/package.json'));
const { chromium } = require('playwright-core');
const [page, out, width = '1200', height = '800', selector] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: node scripts/guide-screenshots.mjs <page.html> <out.png> [width] [height] [selector]');
  process.exit(254);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const p = await browser.newPage({ viewport: { width: Number(width), height: Number(height) }, deviceScaleFactor: 1 });
  const [file, fragment] = page.split('#');
  await p.goto(pathToFileURL(resolve(file)).href + (fragment ? `#${fragment}` : ''));
  await p.waitForTimeout(500);
  if (selector) await p.locator(selector).first().scrollIntoViewIfNeeded();
  await p.screenshot({ path: out });
} finally {
  await browser.close();
}
