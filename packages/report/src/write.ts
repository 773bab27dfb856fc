/**
 * Writes every drawing and page of a run into its directory.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { parseHistoryJsonl, parseJson, type Op } from '@gyre/history';
import { LamportSvgBuilder, type NetEvents } from './lamport';
import { LamportDataBuilder } from './lamport-data';
import { lamportHtml } from './lamport-html';
import { latencyQuantilesSvg, latencyRawSvg, rateSvg } from './plots';
import { nemesisPeriods } from './nemesis';
import { reportHtml } from './report';
import { timelineHtml } from './timeline';

/** What {@link writeReport} draws; anything absent is read from the run directory when it can be. */
export interface WriteReportInput {
  /**
   * The network journal as parsed events, in journal order. Without it, `messages.svg` and
   * `messages.html` are not written.
   */
  events?: NetEvents;
  /** The history. @defaultValue parsed from `history.jsonl` */
  history?: readonly Op[];
  /** The results map. @defaultValue parsed from `results.json` when present */
  results?: Record<string, unknown>;
  /** The test description. @defaultValue parsed from `test.json` when present */
  test?: Record<string, unknown>;
  /** The run's display name. @defaultValue the last two segments of `runDir` (`workload/time`) */
  runName?: string;
  /** Most events in `messages.svg`. @defaultValue 10000 */
  svgMaxEvents?: number;
}

/** The files written (absolute paths) and how long each step took, in milliseconds. */
export interface WriteReportResult {
  files: string[];
  timings: Record<string, number>;
}

/** Names of the files {@link writeReport} writes. */
export const REPORT_FILES = ['latency-raw.svg', 'latency-quantiles.svg', 'rate.svg', 'timeline.html', 'messages.svg', 'messages.html', 'report.html'] as const;

function readJsonIf(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  return parseJson(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function listFiles(dir: string, limit = 400): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      const p = join(d, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 3 && e !== 'net-journal') walk(p, depth + 1);
      } else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir, 0);
  return out;
}

/**
 * Writes into `runDir`: `latency-raw.svg`, `latency-quantiles.svg`, `rate.svg`, `timeline.html`,
 * `messages.svg` and `messages.html` (when events are given), and `report.html`, which links and
 * embeds the others. Events are consumed once, in a single pass, for both Lamport drawings.
 */
export async function writeReport(runDir: string, input: WriteReportInput = {}): Promise<WriteReportResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = now - t;
    t = now;
  };
  const history = input.history ?? (existsSync(join(runDir, 'history.jsonl')) ? parseHistoryJsonl(readFileSync(join(runDir, 'history.jsonl'), 'utf8')) : []);
  const results = input.results ?? readJsonIf(join(runDir, 'results.json'));
  const test = input.test ?? readJsonIf(join(runDir, 'test.json'));
  const runName = input.runName ?? runDir.split(/[\\/]/).filter(Boolean).slice(-2).join('/');
  lap('read');

  const writes: Promise<void>[] = [];
  const files: string[] = [];
  // Each page is written whole or not at all (a full disk leaves the previous one, or none).
  const put = (name: string, text: string) => {
    const path = join(runDir, name);
    const tmp = `${path}.tmp-${process.pid}`;
    files.push(path);
    writes.push(
      writeFile(tmp, text)
        .then(() => rename(tmp, path))
        .catch(async (e: unknown) => {
          await rm(tmp, { force: true });
          throw e;
        }),
    );
  };

  const periods = nemesisPeriods(history);
  const workload = typeof test?.['name'] === 'string' ? (test['name'] as string) : runName.split('/')[0];
  const plots = {
    latencyRaw: latencyRawSvg(history, { periods, subtitle: workload }),
    latencyQuantiles: latencyQuantilesSvg(history, { periods, subtitle: workload }),
    rate: rateSvg(history, { periods, subtitle: workload }),
  };
  put('latency-raw.svg', plots.latencyRaw);
  put('latency-quantiles.svg', plots.latencyQuantiles);
  put('rate.svg', plots.rate);
  lap('plots');

  const haveEvents = input.events !== undefined;
  put('timeline.html', timelineHtml(history, { subtitle: runName, messagesHref: haveEvents ? 'messages.html' : null }));
  lap('timeline');

  if (input.events) {
    const svg = new LamportSvgBuilder(input.svgMaxEvents !== undefined ? { maxEvents: input.svgMaxEvents } : {});
    const data = new LamportDataBuilder({ deflate: (raw) => deflateRawSync(raw, { level: 4 }) });
    const add = (ev: Parameters<LamportSvgBuilder['add']>[0]) => {
      svg.add(ev);
      data.add(ev);
    };
    const evs = input.events;
    if (Symbol.iterator in evs) for (const ev of evs) add(ev);
    else for await (const ev of evs) add(ev);
    lap('journal');
    put('messages.svg', svg.finish());
    lap('messages.svg');
    put('messages.html', lamportHtml(await data.finish(history), { subtitle: runName }));
    lap('messages.html');
  }

  const present = new Set([...listFiles(runDir), ...files.map((f) => relative(runDir, f).split(sep).join('/')), 'report.html']);
  const images = [...present].filter((f) => /^(elle|independent)\/.*\.svg$/.test(f));
  put('report.html', reportHtml({ history, results, test, runName, plots, files: [...present], images }));
  lap('report.html');
  const failed = (await Promise.allSettled(writes)).find((w) => w.status === 'rejected');
  if (failed) throw failed.reason;
  lap('write');
  return { files, timings };
}
