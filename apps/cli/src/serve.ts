/**
 * `gyre serve`: the web UI over the store (Maelstrom's `serve`).
 */
import { resolve } from 'node:path';
import { startServer } from '@gyre/report/node';
import { OptionError, parseCommand, type CommandSpec } from './args';
import type { Io } from './io';
import { storeRow } from './options';

/** The options of `gyre serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  store: string;
}

/** `gyre serve`'s table. */
export const SERVE_SPEC: CommandSpec<ServeOptions> = {
  command: 'gyre serve',
  usage: "Usage: gyre serve [-b HOST] [-p PORT] [--store DIR]\n\nServes the store's runs, reports and files over HTTP.",
  sections: [
    {
      title: 'Options',
      rows: [
        { long: 'host', short: 'b', arg: 'HOST', def: '127.0.0.1', desc: 'Interface to bind (Maelstrom binds 0.0.0.0).', set: (d, v) => (d.host = v) },
        {
          long: 'port',
          short: 'p',
          arg: 'PORT',
          def: '8080',
          desc: 'Port.',
          set: (d, v) => {
            if (!/^\d+$/.test(v) || Number(v) > 65535) throw new OptionError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(v)}`);
            d.port = Number(v);
          },
        },
        storeRow((d, v) => (d.store = v)),
      ],
    },
  ],
  draft: () => ({}) as ServeOptions,
};

/** `gyre serve [-b HOST] [-p PORT] [--store DIR]`: serves until Ctrl-C. */
export async function serveCommand(argv: readonly string[], io: Io): Promise<number> {
  const o = parseCommand(SERVE_SPEC, argv, io);
  if (typeof o === 'number') return o;
  const { host, port, store } = o;
  let server;
  try {
    server = await startServer({ store: resolve(io.cwd, store), host, port });
  } catch (e) {
    io.err(`Could not serve on ${host}:${port}: ${(e as Error).message}\n`);
    return 255;
  }
  io.out(`I'll see your test results at ${server.url} (serving ${resolve(io.cwd, store)}). Press Ctrl-C to stop.\n`);
  await new Promise<void>((r) => {
    if (io.signal?.aborted) return r();
    io.signal?.addEventListener('abort', () => r());
  });
  await server.close();
  return 0;
}
