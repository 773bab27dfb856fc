import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALIDITY_COLORS } from './html';
import { startServer, safeSegments, contentType, type GyreServer } from './serve';
import { writeZip } from './zip';
import { syntheticBroadcast, writeRunFixture, linkLatest } from '../test/synthetic';

const SECRET = 'TOP-SECRET-CONTENT-7f3a';

/** Sends a raw HTTP request line (no client-side normalisation) and returns status, headers and body. */
function raw(port: number, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('connect', () => sock.write(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(head[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const h of head.slice(1)) {
        const i = h.indexOf(':');
        headers[h.slice(0, i).toLowerCase()] = h.slice(i + 1).trim();
      }
      let body = all.subarray(split + 4);
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        let pos = 0;
        for (;;) {
          const eol = body.indexOf('\r\n', pos);
          const size = parseInt(body.subarray(pos, eol).toString(), 16);
          if (!size) break;
          parts.push(body.subarray(eol + 2, eol + 2 + size));
          pos = eol + 2 + size + 2;
        }
        body = Buffer.concat(parts);
      }
      resolve({ status, headers, body });
    });
  });
}

const RUNS = [
  { workload: 'broadcast', time: '20261125T120000.000+0000', iso: '2026-11-25T12:00:00Z', valid: true },
  { workload: 'lin-kv', time: '20261125T130000.000+0000', iso: '2026-11-25T13:00:00Z', valid: false },
  { workload: 'broadcast', time: '20261125T140000.000+0100', iso: '2026-11-25T13:00:00Z', valid: 'unknown' },
  { workload: 'echo', time: '20261125T123000.000+0000', iso: '2026-11-25T12:30:00Z', valid: undefined },
] as const;

/** The store's listing (the port `@gyre/runner/store` fills in `gyre serve`): oldest first. */
const runs = async () => [RUNS[0], RUNS[3], RUNS[2], RUNS[1]].map((r) => ({ workload: r.workload, name: r.time, time: new Date(r.iso) }));

let dir: string;
let store: string;
let server: GyreServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gyre-serve-'));
  store = join(dir, 'store');
  const outside = join(dir, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  const run = syntheticBroadcast({ nodes: 3, seconds: 1, rate: 20 });
  for (const r of RUNS) {
    const results = { ...run.results, 'valid?': r.valid };
    writeRunFixture(store, r.workload, r.time, { ...run, results, incomplete: r.valid === undefined });
  }
  linkLatest(store, 'broadcast', RUNS[2].time);
  const d = join(store, 'broadcast', RUNS[0].time);
  writeFileSync(join(d, 'report.html'), '<!doctype html><title>r</title>');
  mkdirSync(join(d, 'independent', '10'), { recursive: true });
  mkdirSync(join(d, 'independent', '9'), { recursive: true });
  mkdirSync(join(d, 'independent', '100'), { recursive: true });
  writeFileSync(join(d, 'independent', '9', 'results.json'), '{"valid?":false}');
  writeFileSync(join(d, 'plot.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // Links inside the store that lead outside it.
  symlinkSync(outside, join(d, 'escape-dir'));
  symlinkSync(join(outside, 'secret.txt'), join(d, 'escape.txt'));
  symlinkSync('../../../secret.txt', join(store, 'broadcast', 'rel-escape.txt'));
  server = await startServer({ store, runs, port: 0 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startServer', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('lists runs newest first, coloured by validity, with figures and links', async () => {
    const r = await raw(server.port, '/');
    expect(r.status).toBe(200);
    const html = r.body.toString();
    const rows = [...html.matchAll(/<tr class="run" data-run="([^"]+)" data-valid="([^"]+)" style="background:(#[0-9A-Fa-f]+)"/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([
      ['lin-kv/20261125T130000.000+0000', 'false', '#FEB5DA'],
      ['broadcast/20261125T140000.000+0100', 'unknown', '#FFAA26'],
      ['echo/20261125T123000.000+0000', 'incomplete', '#eaeaea'],
      ['broadcast/20261125T120000.000+0000', 'true', '#6DB6FE'],
    ]);
    expect(html).toContain('href="/files/broadcast/20261125T120000.000%2B0000.zip"');
    expect(html).toContain('href="/files/broadcast/20261125T120000.000%2B0000/history.txt"');
  });

  it('lists a crashed run as crashed, in a colour that is neither pass nor fail', async () => {
    const crashedStore = join(dir, 'crashed-store');
    const time = '20261125T150000.000+0000';
    const run = syntheticBroadcast({ nodes: 3, seconds: 1, rate: 20 });
    writeRunFixture(crashedStore, 'echo', time, { ...run, results: { ...run.results, 'valid?': 'unknown', crash: { by: 'node', node: 'n0', how: 'exited with code 3', message: 'Node n0 crashed' } } });
    const s = await startServer({ store: crashedStore, runs: async () => [{ workload: 'echo', name: time }], port: 0 });
    try {
      const html = (await raw(s.port, '/')).body.toString();
      expect(html).toContain(`data-valid="crashed" style="background:${VALIDITY_COLORS.crashed}"`);
      expect(html).toMatch(/<td>crashed<\/td>/);
      expect([VALIDITY_COLORS.true, VALIDITY_COLORS.false]).not.toContain(VALIDITY_COLORS.crashed);
    } finally {
      await s.close();
    }
  });

  it('pages with ?after=', async () => {
    const small = await startServer({ store, runs, port: 0, pageSize: 2 });
    try {
      const first = (await raw(small.port, '/')).body.toString();
      const next = /href="\/\?after=([^"]+)"/.exec(first)![1]!;
      expect(decodeURIComponent(next)).toBe('broadcast/20261125T140000.000+0100');
      const second = (await raw(small.port, `/?after=${next}`)).body.toString();
      expect([...second.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(['echo/20261125T123000.000+0000', 'broadcast/20261125T120000.000+0000']);
      expect(second).not.toContain('?after=');
      // A cursor naming a run that is gone starts again from the newest.
      const gone = (await raw(small.port, `/?after=${encodeURIComponent('echo/20261125T000000.000+0000')}`)).body.toString();
      expect([...gone.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(['lin-kv/20261125T130000.000+0000', 'broadcast/20261125T140000.000+0100']);
    } finally {
      await small.close();
    }
  });

  it('sends a run to its report', async () => {
    const r = await raw(server.port, '/run/broadcast/20261125T120000.000%2B0000');
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe('/files/broadcast/20261125T120000.000%2B0000/report.html');
    const noReport = await raw(server.port, '/run/echo/20261125T123000.000%2B0000');
    expect(noReport.headers['location']).toBe('/files/echo/20261125T123000.000%2B0000/');
  });

  it('serves files with their content types', async () => {
    const base = '/files/broadcast/20261125T120000.000%2B0000';
    for (const [f, type] of [
      ['history.txt', 'text/plain; charset=utf-8'],
      ['results.edn', 'text/plain; charset=utf-8'],
      ['results.json', 'text/plain; charset=utf-8'],
      ['gyre.log', 'text/plain; charset=utf-8'],
      ['report.html', 'text/html; charset=utf-8'],
      ['plot.svg', 'image/svg+xml'],
    ] as const) {
      const r = await raw(server.port, `${base}/${f}`);
      expect(r.status, f).toBe(200);
      expect(r.headers['content-type'], f).toBe(type);
    }
    const latest = await raw(server.port, '/files/latest/history.txt');
    expect(latest.status).toBe(200);
    expect(contentType('x.bin')).toBe('application/octet-stream');
  });

  it('browses directories: breadcrumbs, results and history first, numeric subdirectories, previews', async () => {
    const r = await raw(server.port, '/files/broadcast/20261125T120000.000%2B0000/');
    const html = r.body.toString();
    expect(html).toContain('<a href="/files/broadcast/">broadcast</a>');
    const files = [...html.matchAll(/data-file="([^"]+)"/g)].map((m) => m[1]);
    expect(files.slice(0, 4)).toEqual(['results.edn', 'history.txt', 'report.html', 'results.json']);
    expect(files).not.toContain('escape.txt');
    expect(html).toContain('<img src="/files/broadcast/20261125T120000.000%2B0000/plot.svg"');
    expect(html).toMatch(/data-file="history.txt"><a[^>]*>history.txt<\/a><pre>\d+\t:invoke\t:(broadcast|read)/);
    const sub = (await raw(server.port, '/files/broadcast/20261125T120000.000%2B0000/independent/')).body.toString();
    expect([...sub.matchAll(/data-dir="([^"]+)" style="background:([^"]+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['9', '#FEB5DA'],
      ['10', '#eaeaea'],
      ['100', '#eaeaea'],
    ]);
    const redirect = await raw(server.port, '/files/broadcast');
    expect(redirect.status).toBe(301);
  });

  it('streams a zip of a directory that unzip accepts, without what links outside', async () => {
    const r = await raw(server.port, '/files/broadcast/20261125T120000.000%2B0000.zip');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    const zip = join(dir, 'run.zip');
    writeFileSync(zip, r.body);
    execFileSync('unzip', ['-tq', zip]);
    const names = execFileSync('unzip', ['-Z1', zip]).toString().trim().split('\n');
    expect(names).toContain('20261125T120000.000+0000/history.jsonl');
    expect(names).toContain('20261125T120000.000+0000/independent/9/results.json');
    expect(names.some((n) => n.includes('escape') || n.includes('secret'))).toBe(false);
    const original = readFileSync(join(store, 'broadcast', '20261125T120000.000+0000', 'history.txt'));
    expect(execFileSync('unzip', ['-p', zip, '20261125T120000.000+0000/history.txt']).equals(original)).toBe(true);
    expect(r.body.includes(SECRET)).toBe(false);
  });

  const attacks = [
    '/files/../secret.txt',
    '/files/../../secret.txt',
    '/files/%2e%2e/secret.txt',
    '/files/%2E%2E/%2e%2e/secret.txt',
    '/files/.%2e/.%2e/secret.txt',
    '/files/%252e%252e/%252e%252e/secret.txt',
    '/files/..%2f..%2fsecret.txt',
    '/files/..%252f..%252fsecret.txt',
    '/files/..\\..\\secret.txt',
    '/files/%5c..%5c..%5csecret.txt',
    '/files//etc/passwd',
    '/files/%2fetc%2fpasswd',
    '/files/{ABS}',
    '/files/broadcast/x%00.txt',
    '/files/broadcast/%00',
    '/files/broadcast/20261125T120000.000%2B0000/escape.txt',
    '/files/broadcast/20261125T120000.000%2B0000/escape-dir/secret.txt',
    '/files/broadcast/20261125T120000.000%2B0000/escape-dir/',
    '/files/broadcast/20261125T120000.000%2B0000/escape-dir.zip',
    '/files/broadcast/rel-escape.txt',
    '/files/..',
    '/files/..zip',
    '/files/...zip',
    '/run/../..',
    '/run/%2e%2e/%2e%2e',
    '/../secret.txt',
    '/files/broadcast/%c0%ae%c0%ae/secret.txt',
  ];
  it.each(attacks)('refuses %s with 403 or 404 and no content', async (path) => {
    const r = await raw(server.port, path.replace('{ABS}', encodeURIComponent(join(dir, 'secret.txt'))));
    expect([403, 404]).toContain(r.status);
    expect(r.body.toString()).not.toContain(SECRET);
    expect(r.body.length).toBeLessThan(64);
  });

  it('refuses other methods', async () => {
    expect((await raw(server.port, '/', 'POST')).status).toBe(405);
  });
});

describe('safeSegments', () => {
  it('decodes plain segments and refuses dot, encoded and control segments', () => {
    expect(safeSegments('a/b%2Bc/d.txt')).toEqual(['a', 'b+c', 'd.txt']);
    expect(safeSegments('a/')).toEqual(['a']);
    for (const bad of ['..', 'a/../b', '%2e%2e', 'a//b', '%252e', 'a%5cb', 'a%00', '%E0%A4%A']) expect(() => safeSegments(bad), bad).toThrow();
  });
});

describe('zip', () => {
  it('writes archives that Python reads back with matching CRCs, empty and large files included', async () => {
    const d = mkdtempSync(join(tmpdir(), 'gyre-zip-'));
    try {
      writeFileSync(join(d, 'empty'), '');
      writeFileSync(join(d, 'big.bin'), Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251)));
      writeFileSync(join(d, 'ünïcode.txt'), 'héllo\n');
      const out = join(d, 'a.zip');
      const ws = createWriteStream(out);
      const mtime = new Date(2026, 10, 25, 12, 3, 4);
      await writeZip(['empty', 'big.bin', 'ünïcode.txt'].map((n) => ({ name: `run/${n}`, path: join(d, n), mtime })), ws);
      await new Promise<void>((r) => ws.end(r));
      const py = `import zipfile,sys,json
z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
print(json.dumps([[i.filename,i.file_size,list(i.date_time)] for i in z.infolist()]))`;
      const listing = JSON.parse(execFileSync('python3', ['-c', py, out]).toString()) as [string, number, number[]][];
      expect(listing).toEqual([
        ['run/empty', 0, [2026, 11, 25, 12, 3, 4]],
        ['run/big.bin', 3_000_000, [2026, 11, 25, 12, 3, 4]],
        ['run/ünïcode.txt', 7, [2026, 11, 25, 12, 3, 4]],
      ]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
