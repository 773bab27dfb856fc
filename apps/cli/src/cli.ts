/**
 * The `gyre` binary (also installed as `maelstrom`): the process around {@link main}. It turns
 * Ctrl-C into a clean stop, ends quietly on a closed stdout pipe, turns anything unexpected into
 * exit 255 with one paragraph, and exits with main's code. Nothing here is for import; the
 * commands are in main.ts and the modules it loads.
 */
import { main } from './main';

/** One paragraph for a bug in Gyre itself, exit 255; the stack trace only when asked for. */
function broke(e: unknown): void {
  const where = process.env['GYRE_DEBUG'] ? `\n${(e as Error)?.stack ?? ''}` : ' (set GYRE_DEBUG=1 to see where)';
  process.stderr.write(`Gyre crashed: ${(e as Error)?.message ?? String(e)}. This is a bug in Gyre, not in your node; please report it with the command line${where}.\n`);
  process.exitCode = 255;
}

// An error thrown where nothing catches it (in a callback, a promise nobody awaits). While a run is
// under way the run core listens too: it ends the run as crashed, writes its results and moves
// `latest`, and main returns 255. Otherwise Gyre stops here, never with Node's own exit 1.
const onUnexpected = (event: 'uncaughtException' | 'unhandledRejection') => (e: unknown) => {
  if (process.listenerCount(event) > 1) return;
  broke(e);
  process.exit(255);
};
process.on('uncaughtException', onUnexpected('uncaughtException'));
process.on('unhandledRejection', onUnexpected('unhandledRejection'));

// `gyre check ... | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// The first Ctrl-C (or SIGTERM) stops the run and keeps what was recorded; the second quits at once.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (sig: NodeJS.Signals) => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`\n${sig}: stopping, keeping what was recorded (press Ctrl-C again to quit at once)\n`);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
  cwd: process.cwd(),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  broke,
);
