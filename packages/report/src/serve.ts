/**
 * `gyre serve`: a small web UI over a store directory, on node:http.
 *
 * - `/` lists runs, newest first, 128 per page (`?after=<workload>/<time>` pages on), each row
 *   coloured by validity, with its key figures and links to the report, results, history, log and
 *   a zip download. Which runs there are, and in what order, the store's owner says
 *   ({@link ServerOptions.runs}: `listRuns` of `@gyre/runner/store`).
 * - `/run/<workload>/<time>` is the run's page: its `report.html` (or its directory when there is none).
 * - `/files/<path>` serves a file, or browses a directory (breadcrumbs, tiles with previews).
 * - `/files/<dir>.zip` streams a zip of a directory.
 *
 * Binds 127.0.0.1 by default. Every path is checked to resolve inside the store, symlinks
 * included; anything else is refused with 403 (or 404 when it does not exist) and no content.
 */
import { createReadStream, type Stats } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { parseEdn, parseJson, ednToPlain } from '@gyre/history';
import { page, VALIDITY_COLORS } from './html';
import { verdictOf, type Verdict } from './report';
import { esc, groupDigits, num } from './text';
import { writeZip, type ZipEntry } from './zip';

/** A run as the store's owner lists it (`StoredRun` of `@gyre/runner/store` is one). */
export interface ListedRun {
  workload: string;
  /** The run directory's name, below the workload's directory. */
  name: string;
  /** Its start time, when known. */
  time?: Date | undefined;
}

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** The store directory. */
  store: string;
  /**
   * Lists the store's runs, oldest first: the port to the store's owner (the CLI passes
   * `() => listRuns(store)` from `@gyre/runner/store`), which decides what a run is and their order.
   */
  runs(): Promise<readonly ListedRun[]>;
  /** Interface to bind. @defaultValue "127.0.0.1" (Maelstrom binds 0.0.0.0; see README) */
  host?: string;
  /** Port; 0 picks a free one. @defaultValue 8080 */
  port?: number;
  /** Runs per page on `/`. @defaultValue 128 */
  pageSize?: number;
}

/** A running server. */
export interface GyreServer {
  /** Base URL, such as `http://127.0.0.1:8080/`. */
  url: string;
  port: number;
  server: Server;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/** One run of the store, as the home page lists it. */
export interface RunInfo {
  workload: string;
  /** Directory name: the start time, `20261125T120301.972+0000`. */
  name: string;
  /** `workload/name`. */
  path: string;
  /** Start time, when known. */
  time: Date | undefined;
  valid: Verdict;
  /** `net.servers.msgs-per-op`. */
  msgsPerOp?: number;
  /** Completed client operations (`stats.count`). */
  ops?: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8',
  '.json': 'text/plain; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.zip': 'application/zip',
};
const TEXTUAL = new Set(['.txt', '.log', '.edn', '.json', '.jsonl', '.md', '.csv', '']);
const IMAGES = new Set(['.svg', '.png', '.jpg', '.jpeg', '.gif']);

/** The content type a store file is served with. */
export function contentType(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'";

class Refused extends Error {
  constructor(readonly status: 403 | 404) {
    super(status === 403 ? 'Forbidden' : 'Not found');
  }
}

/**
 * Decodes the segments of a raw URL path below a prefix, refusing anything that could leave the
 * store: dot segments (plain or percent-encoded), backslashes, NUL and other control characters,
 * empty segments (`//`, absolute paths), and segments that still contain percent escapes after
 * decoding (double encoding).
 */
export function safeSegments(raw: string): string[] {
  if (raw === '') return [];
  const parts = raw.split('/');
  if (parts[parts.length - 1] === '') parts.pop();
  const out: string[] = [];
  for (const p of parts) {
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      throw new Refused(403);
    }
    if (d === '' || d === '.' || d === '..' || d.includes('/') || d.includes('\\') || /[\u0000-\u001f]/.test(d) || /%[0-9a-fA-F]{2}/.test(d) || d.includes(':')) {
      throw new Refused(403);
    }
    out.push(d);
  }
  return out;
}

interface Summary {
  mtime: number;
  valid: Verdict;
  msgsPerOp?: number;
  ops?: number;
}

function n(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number') return (v as { value: number }).value;
  return undefined;
}

/** A store reader with a small cache of run summaries. */
class Store {
  private readonly cache = new Map<string, Summary>();
  constructor(
    readonly root: string,
    private readonly listed: () => Promise<readonly ListedRun[]>,
  ) {}

  /** Resolves segments to a real path inside the store, or throws {@link Refused}. */
  async resolve(segments: string[]): Promise<{ real: string; st: Stats }> {
    const abs = join(this.root, ...segments);
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      throw new Refused(404);
    }
    if (real !== this.root && !real.startsWith(this.root + sep)) throw new Refused(403);
    return { real, st: await stat(real) };
  }

  /** The runs, newest first. */
  async runs(): Promise<RunInfo[]> {
    const listed = await this.listed();
    const out: RunInfo[] = [];
    for (let i = listed.length - 1; i >= 0; i--) {
      const r = listed[i]!;
      out.push({ workload: r.workload, name: r.name, path: `${r.workload}/${r.name}`, time: r.time, valid: 'incomplete' });
    }
    return out;
  }

  async summary(run: RunInfo): Promise<RunInfo> {
    const dir = join(this.root, run.workload, run.name);
    for (const [file, parse] of [
      ['results.json', (t: string) => parseJson(t)],
      ['results.edn', (t: string) => ednToPlain(parseEdn(t))],
    ] as const) {
      const path = join(dir, file);
      const st = await stat(path).catch(() => undefined);
      if (!st) continue;
      const key = path;
      let s = this.cache.get(key);
      if (!s || s.mtime !== st.mtimeMs) {
        try {
          const r = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
          const net = r['net'] as Record<string, Record<string, unknown>> | undefined;
          const stats = r['stats'] as Record<string, unknown> | undefined;
          s = { mtime: st.mtimeMs, valid: verdictOf(r) };
          const mpo = n(net?.['servers']?.['msgs-per-op']);
          if (mpo !== undefined) s.msgsPerOp = mpo;
          const ops = n(stats?.['count']);
          if (ops !== undefined) s.ops = ops;
        } catch {
          s = { mtime: st.mtimeMs, valid: 'unknown' };
        }
        if (this.cache.size > 5000) this.cache.clear();
        this.cache.set(key, s);
      }
      const out: RunInfo = { ...run, valid: s.valid };
      if (s.msgsPerOp !== undefined) out.msgsPerOp = s.msgsPerOp;
      if (s.ops !== undefined) out.ops = s.ops;
      return out;
    }
    return run;
  }
}

const UI_CSS = `
.wrap{max-width:1200px;margin:0 auto;padding:18px 24px 60px}
header.top{display:flex;align-items:baseline;gap:14px;margin-bottom:14px}
header.top h1{font-size:22px}
table.runs{width:100%;font-size:13.5px}
table.runs td{border-bottom:1px solid rgba(0,0,0,.06)}
table.runs tr.run td:first-child{font-weight:600}
table.runs .num{text-align:right;font-variant-numeric:tabular-nums}
table.runs a{margin-right:8px;color:#13243a;text-decoration:underline;text-decoration-color:rgba(19,36,58,.35);text-underline-offset:2px}
.crumbs{font-size:15px;margin-bottom:14px}.crumbs a{font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.tile{border:1px solid var(--line);border-radius:10px;background:#fff;overflow:hidden;display:flex;flex-direction:column}
.tile .name{padding:8px 10px;font-weight:600;border-bottom:1px solid var(--line);word-break:break-all}
.tile .name.dir{border-bottom:0}
.tile pre{margin:0;padding:8px 10px;font-size:11px;max-height:180px;overflow:hidden;white-space:pre-wrap;word-break:break-all;color:#333}
.tile img{max-width:100%;max-height:200px;object-fit:contain;display:block;margin:6px auto}
.pager{margin-top:16px}
.legend{display:flex;gap:12px;font-size:12px;color:var(--muted)}.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-2px;margin-right:4px}
`;

function validityKey(v: Verdict): keyof typeof VALIDITY_COLORS {
  return v === true ? 'true' : v === false ? 'false' : v === 'unknown' ? 'unknown' : v === 'crashed' ? 'crashed' : 'incomplete';
}

function fmtTime(r: RunInfo): string {
  if (!r.time) return r.name;
  const iso = r.time.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function href(...segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

async function home(store: Store, query: URLSearchParams, pageSize: number): Promise<string> {
  const all = await store.runs();
  const after = query.get('after');
  // After a run that is gone, from the newest again.
  const start = after ? all.findIndex((r) => r.path === after) + 1 : 0;
  const shown = await Promise.all(all.slice(start, start + pageSize).map((r) => store.summary(r)));
  const rows = shown
    .map((r) => {
      const k = validityKey(r.valid);
      const base = `/files/${href(r.workload, r.name)}`;
      return `<tr class="run" data-run="${esc(r.path)}" data-valid="${k}" style="background:${VALIDITY_COLORS[k]}">
<td><a href="/run/${href(r.workload, r.name)}">${esc(r.workload)}</a></td><td><a href="/run/${href(r.workload, r.name)}">${esc(fmtTime(r))}</a></td>
<td>${k}</td><td class="num">${r.msgsPerOp !== undefined ? esc(num(r.msgsPerOp, 2)) : ''}</td><td class="num">${r.ops !== undefined ? groupDigits(r.ops) : ''}</td>
<td><a href="/run/${href(r.workload, r.name)}">report</a><a href="${base}/results.edn">results</a><a href="${base}/history.txt">history</a><a href="${base}/gyre.log">log</a><a href="${base}.zip">zip</a></td></tr>`;
    })
    .join('\n');
  const next = start + pageSize < all.length ? `<div class="pager"><a href="/?after=${encodeURIComponent(shown[shown.length - 1]!.path)}">older runs →</a></div>` : '';
  const legend = `<span class="legend">${(['true', 'unknown', 'false', 'crashed', 'incomplete'] as const).map((k) => `<span><i style="background:${VALIDITY_COLORS[k]}"></i>${k === 'true' ? 'valid' : k === 'false' ? 'invalid' : k}</span>`).join('')}</span>`;
  const body = `<div class="wrap"><header class="top"><h1>Gyre</h1><span class="muted">${groupDigits(all.length)} run${all.length === 1 ? '' : 's'}</span>${legend}<a href="/files/">browse files</a></header>
${all.length === 0 ? '<p class="muted">No runs in this store yet. Run <code>gyre test</code> first.</p>' : `<table class="runs"><thead><tr><th>workload</th><th>time</th><th>valid?</th><th class="num">msgs/op</th><th class="num">ops</th><th></th></tr></thead><tbody>
${rows}</tbody></table>`}${next}</div>`;
  return page('Gyre runs', body, { css: UI_CSS });
}

async function preview(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, 4096, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

const FIRST = ['results.edn', 'history.txt', 'report.html', 'results.json'];

async function directory(store: Store, segments: string[], real: string): Promise<string> {
  const entries = (await readdir(real, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const dirs: { name: string; color: string }[] = [];
  const files: string[] = [];
  for (const e of entries) {
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = (await store.resolve([...segments, e.name])).st.isDirectory();
      } catch {
        continue; // a link that leads outside the store, or nowhere
      }
    }
    if (isDir) {
      let color: string = VALIDITY_COLORS.incomplete;
      for (const f of ['results.json', 'results.edn']) {
        try {
          const text = await readFile(join(real, e.name, f), 'utf8');
          const v = verdictOf(f.endsWith('.json') ? parseJson(text) : ednToPlain(parseEdn(text)));
          color = VALIDITY_COLORS[validityKey(v)];
          break;
        } catch {
          // no results there
        }
      }
      dirs.push({ name: e.name, color });
    } else files.push(e.name);
  }
  const numeric = dirs.length > 0 && dirs.every((d) => /^-?\d+$/.test(d.name));
  dirs.sort((a, b) => (numeric ? Number(a.name) - Number(b.name) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  files.sort((a, b) => {
    const ia = FIRST.indexOf(a);
    const ib = FIRST.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const crumbs = [`<a href="/">runs</a>`, `<a href="/files/">store</a>`];
  segments.forEach((s, i) => crumbs.push(`<a href="/files/${href(...segments.slice(0, i + 1))}/">${esc(s)}</a>`));
  const here = segments.length ? `/files/${href(...segments)}` : '/files';
  const tiles: string[] = [];
  for (const d of dirs) tiles.push(`<a class="tile" data-dir="${esc(d.name)}" style="background:${d.color}" href="${here}/${href(d.name)}/"><div class="name dir">${esc(d.name)}/</div></a>`);
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    const url = `${here}/${href(f)}`;
    let inner = '';
    if (IMAGES.has(ext)) inner = `<img src="${url}" alt="${esc(f)}" loading="lazy">`;
    else if (TEXTUAL.has(ext)) {
      try {
        inner = `<pre>${esc(await preview(join(real, f)))}</pre>`;
      } catch {
        inner = '';
      }
    }
    tiles.push(`<div class="tile" data-file="${esc(f)}"><a class="name" href="${url}">${esc(f)}</a>${inner}</div>`);
  }
  const zip = segments.length ? ` · <a href="${here}.zip">${esc(segments[segments.length - 1]!)}.zip</a>` : '';
  const body = `<div class="wrap"><div class="crumbs">${crumbs.join(' / ')}${zip}</div><div class="tiles">${tiles.join('\n')}</div></div>`;
  return page(segments.join('/') || 'store', body, { css: UI_CSS });
}

async function* zipEntries(store: Store, real: string, prefix: string): AsyncGenerator<ZipEntry> {
  const entries = await readdir(real, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = join(real, e.name);
    if (e.isSymbolicLink()) {
      // Links to files inside the store are followed; links to directories and outside are left out.
      let target: string;
      try {
        target = await realpath(p);
      } catch {
        continue;
      }
      if (!target.startsWith(store.root + sep)) continue;
      const st = await stat(target);
      if (st.isFile()) yield { name: `${prefix}/${e.name}`, path: target, mtime: st.mtime, mode: st.mode & 0o777 };
      continue;
    }
    if (e.isDirectory()) yield* zipEntries(store, p, `${prefix}/${e.name}`);
    else if (e.isFile()) {
      const st = await stat(p);
      yield { name: `${prefix}/${e.name}`, path: p, mtime: st.mtime, mode: st.mode & 0o777 };
    }
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, head = false): void {
  const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
  if (type.startsWith('text/html')) headers['content-security-policy'] = CSP;
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(head ? undefined : body);
}

function refuse(res: ServerResponse, status: 403 | 404 | 405 | 500): void {
  const text = status === 403 ? 'Forbidden' : status === 404 ? 'Not found' : status === 405 ? 'Method not allowed' : 'Internal error';
  send(res, status, 'text/plain; charset=utf-8', `${status} ${text}\n`);
}

async function handle(store: Store, req: IncomingMessage, res: ServerResponse, pageSize: number): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405);
  const head = req.method === 'HEAD';
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  if (rawPath.includes('\\') || rawPath.includes('\0') || /%00|%5c/i.test(rawPath)) return refuse(res, 403);
  if (rawPath === '/' || rawPath === '') return send(res, 200, 'text/html; charset=utf-8', await home(store, query, pageSize), head);

  const run = /^\/run\/(.+?)\/?$/.exec(rawPath);
  if (run) {
    const segs = safeSegments(run[1]!);
    const { st } = await store.resolve(segs);
    if (!st.isDirectory()) throw new Refused(404);
    const hasReport = await store.resolve([...segs, 'report.html']).then(
      () => true,
      () => false,
    );
    res.writeHead(302, { location: `/files/${href(...segs)}/${hasReport ? 'report.html' : ''}` });
    res.end();
    return;
  }

  const files = /^\/files(?:\/(.*))?$/.exec(rawPath);
  if (!files) return refuse(res, 404);
  const rest = files[1] ?? '';
  const segs = safeSegments(rest);
  const last = segs[segs.length - 1];
  const zipOf = last?.endsWith('.zip') ? last.slice(0, -4) : '';
  if (zipOf !== '' && zipOf !== '.' && zipOf !== '..') {
    const dirSegs = [...segs.slice(0, -1), zipOf];
    const asDir = await store.resolve(dirSegs).catch(() => undefined);
    if (asDir && asDir.st.isDirectory()) {
      res.writeHead(200, {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${zipOf.replace(/[^\w.+-]/g, '_')}.zip"`,
        'x-content-type-options': 'nosniff',
      });
      if (head) return void res.end();
      await writeZip(zipEntries(store, asDir.real, dirSegs[dirSegs.length - 1]!), res, { level: 6 });
      res.end();
      return;
    }
  }
  const { real, st } = await store.resolve(segs);
  if (st.isDirectory()) {
    if (rest !== '' && !rest.endsWith('/')) {
      res.writeHead(301, { location: `/files/${href(...segs)}/` });
      res.end();
      return;
    }
    return send(res, 200, 'text/html; charset=utf-8', await directory(store, segs, real), head);
  }
  if (!st.isFile()) throw new Refused(404);
  const type = contentType(real);
  const headers: Record<string, string> = { 'content-type': type, 'content-length': String(st.size), 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
  if (type.startsWith('text/html') || type === 'image/svg+xml') headers['content-security-policy'] = CSP;
  res.writeHead(200, headers);
  if (head) return void res.end();
  await new Promise<void>((resolve, reject) => {
    const s = createReadStream(real);
    s.on('error', reject);
    res.on('close', () => {
      s.destroy();
      resolve();
    });
    s.pipe(res).on('finish', resolve);
  });
}

/**
 * Starts the web UI over `store` (see the module comment). Resolves once listening.
 */
export async function startServer(options: ServerOptions): Promise<GyreServer> {
  const root = await realpath(options.store);
  const store = new Store(root, options.runs);
  const pageSize = options.pageSize ?? 128;
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(store, req, res, pageSize).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof Refused) refuse(res, e.status);
      else refuse(res, 500);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    port: addr.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
