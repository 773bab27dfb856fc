/**
 * Headless Chromium for the browser tests and the benchmark: Debian's `/usr/bin/chromium` driven by
 * playwright-core, with a fresh profile directory per launch.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Chromium is: `$GYRE_CHROMIUM` or `/usr/bin/chromium`. */
const CHROMIUM = process.env['GYRE_CHROMIUM'] ?? '/usr/bin/chromium';

/** The flags the project's toolchain notes ask for. */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Why browser tests cannot run, or undefined when they can. With `CI` set a missing browser is an
 * error (the caller fails); without, the caller skips with this message.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set GYRE_CHROMIUM`;
}

/** The screenshot directory: `$GYRE_ARTIFACTS/screenshots` or `<repo>/.ci/artifacts/screenshots`. */
export function screenshotDir(): string {
  const base = process.env['GYRE_ARTIFACTS'] ?? resolve(import.meta.dirname, '../../../.ci/artifacts');
  const dir = join(base, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Launches Chromium with a fresh `--user-data-dir`; `close()` removes it. */
export async function launch(viewport = { width: 1360, height: 900 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'gyre-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
