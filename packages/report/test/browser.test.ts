/**
 * The pages in a real browser: `gyre serve` on a store of generated runs, and `report.html` opened
 * straight from disk. Screenshots go to `$GYRE_ARTIFACTS/screenshots` (CI keeps them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { startServer, type GyreServer } from '../src/serve';
import { writeReport } from '../src/write';
import { browserMissing, launch, screenshotDir } from './browser';
import { syntheticBroadcast, writeRunFixture, linkLatest, type SyntheticRun } from './synthetic';

const missing = browserMissing();
if (missing && process.env['CI']) throw new Error(`${missing}. CI is set, so the browser tests fail rather than skip.`);
if (missing) console.warn(`${missing}; browser tests skipped.`);

type Lamport = {
  ready: boolean;
  jumped?: { key: string; value: number };
  state(): { rows: number; visibleRows: number; highlighted: number[]; drawnMessages: number[]; selected: number | null; columns: string[] };
  pointOf(id: number): { x: number; y: number } | null;
};
declare global {
  interface Window {
    gyreLamport: Lamport;
    gyreTimeline: { ready: boolean; data: { ops: unknown[] }; pointOf(i: number): { x: number; y: number } };
  }
}

describe.skipIf(missing !== undefined)('in Chromium', () => {
  let dir: string;
  let store: string;
  let server: GyreServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let invalid: SyntheticRun;
  let invalidDir: string;
  const shots = screenshotDir();
  const INVALID = '20261125T120000.000+0000';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-browser-'));
    store = join(dir, 'store');
    const valid = syntheticBroadcast({ nodes: 5, seconds: 4, rate: 40, seed: 'valid' });
    const vdir = writeRunFixture(store, 'broadcast', '20261125T100000.000+0000', valid);
    await writeReport(vdir, { events: valid.events });
    invalid = syntheticBroadcast({ nodes: 10, seconds: 6, rate: 60, seed: 'invalid', lose: 3, partition: [2, 3.5] });
    invalidDir = writeRunFixture(store, 'broadcast', INVALID, invalid);
    await writeReport(invalidDir, { events: invalid.events });
    writeRunFixture(store, 'lin-kv', '20261125T110000.000+0000', { ...valid, results: { ...valid.results, 'valid?': 'unknown' } });
    writeRunFixture(store, 'echo', '20261125T090000.000+0000', { ...valid, incomplete: true });
    linkLatest(store, 'broadcast', INVALID);
    // The store's listing, oldest first (what `listRuns` of @gyre/runner/store gives `gyre serve`).
    const listed = [
      ['echo', '20261125T090000.000+0000', '09'],
      ['broadcast', '20261125T100000.000+0000', '10'],
      ['lin-kv', '20261125T110000.000+0000', '11'],
      ['broadcast', INVALID, '12'],
    ].map(([workload, name, hour]) => ({ workload: workload!, name: name!, time: new Date(`2026-11-25T${hour}:00:00Z`) }));
    server = await startServer({ store, runs: async () => listed, port: 0 });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    return { page, errors };
  }

  async function lamportFrame(page: Page): Promise<Frame> {
    const frame = page.frame({ name: 'lamport' });
    expect(frame, 'the Lamport view is embedded').toBeTruthy();
    await frame!.waitForFunction(() => window.gyreLamport?.ready === true, undefined, { timeout: 30_000 });
    return frame!;
  }

  it('lists runs newest first, each coloured by its validity', async () => {
    const { page, errors } = await open(server.url);
    const rows = await page.$$eval('tr.run', (trs) => trs.map((tr) => [tr.getAttribute('data-run'), getComputedStyle(tr).backgroundColor]));
    expect(rows).toEqual([
      [`broadcast/${INVALID}`, 'rgb(254, 181, 218)'],
      ['lin-kv/20261125T110000.000+0000', 'rgb(255, 170, 38)'],
      ['broadcast/20261125T100000.000+0000', 'rgb(109, 182, 254)'],
      ['echo/20261125T090000.000+0000', 'rgb(234, 234, 234)'],
    ]);
    await page.screenshot({ path: join(shots, 'serve-home.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a run on its report, with the plots, the timeline and the Lamport view', async () => {
    const { page, errors } = await open(server.url);
    await Promise.all([page.waitForURL(/report\.html$/), page.click(`tr[data-run="broadcast/${INVALID}"] a:text("report")`)]);
    expect(await page.textContent('#verdict')).toBe('Invalid');
    const plots = await page.$$eval('figure svg[data-plot]', (svgs) => svgs.map((s) => [s.getAttribute('data-plot'), s.querySelectorAll('.series').length, s.querySelectorAll('.nemesis-period').length]));
    expect(plots).toEqual([
      ['latency-raw', expect.any(Number), 1],
      ['latency-quantiles', expect.any(Number), 1],
      ['rate', expect.any(Number), 1],
    ]);
    for (const [, series] of plots) expect(series).toBeGreaterThan(1);
    const frame = await lamportFrame(page);
    const state = await frame.evaluate(() => window.gyreLamport.state());
    expect(state.rows).toBe(invalid.events.length);
    expect(state.drawnMessages.length).toBeGreaterThan(0);
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    const timeline = page.frames().find((f) => f.url().endsWith('timeline.html'))!;
    await timeline.waitForFunction(() => window.gyreTimeline?.ready === true);
    await page.screenshot({ path: join(shots, 'serve-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a click on an anomaly scrolls the Lamport view to its messages and highlights them', async () => {
    const { page, errors } = await open(`${server.url}files/broadcast/${encodeURIComponent(INVALID)}/report.html`);
    await lamportFrame(page);
    const [value, index] = [...invalid.lostOps][1]!;
    const request = invalid.events.find((e) => e.kind === 'send' && (e.message?.body as { type: string; message?: number }).type === 'broadcast' && (e.message?.body as { message: number }).message === value)!;
    const reply = invalid.events.find((e) => e.kind === 'send' && (e.message?.body as { type: string }).type === 'broadcast_ok' && e.message?.dest === request.message!.src && e.time > request.time)!;
    await page.click(`a.op-link[data-op="${index}"]`);
    const frame = page.frame({ name: 'lamport' })!;
    await frame.waitForFunction((i) => window.gyreLamport.jumped?.value === i, index);
    await page.waitForTimeout(200);
    const state = await frame.evaluate(() => window.gyreLamport.state());
    expect(frame.url()).toMatch(new RegExp(`messages\\.html#op=${index}$`));
    expect(state.highlighted.sort((a, b) => a - b)).toEqual([request.id, reply.id].sort((a, b) => a - b));
    expect(state.drawnMessages).toContain(request.id);
    // The Messages section is in view.
    const top = await page.$eval('#messages', (el) => el.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(50);
    // Hovering the highlighted request shows its full body.
    const p = await frame.evaluate((id) => window.gyreLamport.pointOf(id), request.id);
    expect(p).not.toBeNull();
    const box = (await page.$('iframe[name=lamport]'))!;
    const fb = (await box.boundingBox())!;
    await page.mouse.move(fb.x + p!.x, fb.y + p!.y);
    await frame.waitForSelector('#tip:not([hidden])');
    expect(await frame.textContent('#tip')).toContain(`"message":${value}`);
    await page.screenshot({ path: join(shots, 'anomaly-to-messages.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters the Lamport view by message type and by node', async () => {
    const { page, errors } = await open(`${server.url}files/broadcast/${encodeURIComponent(INVALID)}/messages.html`);
    await page.waitForFunction(() => window.gyreLamport?.ready === true);
    const sends = invalid.events.filter((e) => e.kind === 'send');
    const ids = (pred: (b: Record<string, unknown>, src: string, dest: string) => boolean) => new Set(sends.filter((e) => pred(e.message!.body as Record<string, unknown>, e.message!.src, e.message!.dest)).map((e) => e.id));
    const rowsOf = (set: Set<number>) => invalid.events.filter((e) => set.has(e.id)).length;

    await page.click('details.pick:has(#types) summary');
    await page.click('#types button[data-all="0"]');
    await page.locator('#types label', { hasText: /^\s*read_ok\b/ }).locator('input').check();
    await page.waitForFunction((n) => window.gyreLamport.state().visibleRows === n, rowsOf(ids((b) => b['type'] === 'read_ok')));
    await page.screenshot({ path: join(shots, 'lamport-filter-type.png') });

    await page.click('#clear');
    await page.click('details.pick:has(#types) summary');
    await page.click('details.pick:has(#nodes) summary');
    await page.click('#nodes button[data-all="0"]');
    await page.locator('#nodes label', { hasText: /^\s*n3\s*$/ }).locator('input').check();
    const n3 = ids((_, s, d) => s === 'n3' || d === 'n3');
    await page.waitForFunction((n) => window.gyreLamport.state().visibleRows === n, rowsOf(n3));
    await page.screenshot({ path: join(shots, 'lamport-filter-node.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an operation’s details on hover in the timeline', async () => {
    const { page, errors } = await open(`${server.url}files/broadcast/${encodeURIComponent(INVALID)}/timeline.html`);
    await page.waitForFunction(() => window.gyreTimeline?.ready === true);
    const p = await page.evaluate(() => window.gyreTimeline.pointOf(0));
    await page.mouse.move(p.x, p.y);
    await page.waitForSelector('#tl-tip:not([hidden])');
    expect(await page.textContent('#tl-tip')).toMatch(/process \d+ · (read|broadcast)/);
    await page.screenshot({ path: join(shots, 'timeline.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the messages at a time (#t=) and at a message (#msg=)', async () => {
    const target = invalid.events[Math.floor(invalid.events.length * 0.6)]!;
    const first = invalid.events.findIndex((e) => e.time >= target.time);
    const { page, errors } = await open(`${server.url}files/broadcast/${encodeURIComponent(INVALID)}/messages.html#t=${target.time}`);
    await page.waitForFunction(() => window.gyreLamport?.ready === true);
    const s1 = await page.evaluate(() => window.gyreLamport.state() as unknown as { topRow: number });
    // The event sits a third of the way down the view: within the rows on screen, below the top.
    expect(first - s1.topRow).toBeGreaterThan(0);
    expect(first - s1.topRow).toBeLessThan(40);
    const msg = invalid.events.find((e) => e.kind === 'send' && e.index > invalid.events.length / 3)!;
    await page.evaluate((id) => (location.hash = `msg=${id}`), msg.id);
    await page.waitForFunction((id) => window.gyreLamport.state().selected === id, msg.id);
    expect(await page.evaluate(() => window.gyreLamport.state().drawnMessages)).toContain(msg.id);
    expect(await page.textContent('#status')).toContain(`message ${msg.id}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a click on an operation in the embedded timeline opens its messages in the embedded Lamport view', async () => {
    const { page, errors } = await open(`${server.url}files/broadcast/${encodeURIComponent(INVALID)}/report.html`);
    const lamport = await lamportFrame(page);
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    const timeline = page.frames().find((f) => f.url().endsWith('timeline.html'))!;
    await timeline.waitForFunction(() => window.gyreTimeline?.ready === true);
    const i = 10;
    const invokeIndex = (await timeline.evaluate((k) => (window.gyreTimeline.data.ops[k] as number[])[5], i))!;
    const p = await timeline.evaluate((k) => window.gyreTimeline.pointOf(k), i);
    const fb = (await (await page.$('#timeline iframe'))!.boundingBox())!;
    await page.mouse.click(fb.x + p.x, fb.y + p.y);
    await lamport.waitForFunction((v) => window.gyreLamport.jumped?.value === v, invokeIndex);
    expect(lamport.url()).toMatch(new RegExp(`#op=${invokeIndex}$`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders report.html from disk (file://) with no console errors', async () => {
    const { page, errors } = await open(`file://${join(invalidDir, 'report.html')}`);
    const frame = await lamportFrame(page);
    expect((await frame.evaluate(() => window.gyreLamport.state())).rows).toBe(invalid.events.length);
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    const timeline = page.frames().find((f) => f.url().endsWith('timeline.html'))!;
    await timeline.waitForFunction(() => window.gyreTimeline?.ready === true);
    expect(await page.$$eval('figure svg[data-plot]', (s) => s.length)).toBe(3);
    expect(await page.$$eval('.finding', (s) => s.length)).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'report-file.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
