/**
 * The `gyre` binary (also installed as `maelstrom`): the process around {@link main}. It turns
 * Ctrl-C into a clean stop, ends quietly on a closed stdout pipe, and exits with main's code.
 * Nothing here is for import; the commands are in main.ts and the modules it loads.
 */
import { main } from './main';

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
  (e) => {
    // A bug in Gyre itself: one paragraph, exit 255; the stack trace only when asked for.
    const where = process.env['GYRE_DEBUG'] ? `\n${(e as Error).stack ?? ''}` : ' (set GYRE_DEBUG=1 to see where)';
    process.stderr.write(`Gyre crashed: ${(e as Error).message ?? e}. This is a bug in Gyre, not in your node; please report it with the command line${where}.\n`);
    process.exitCode = 255;
  },
);
