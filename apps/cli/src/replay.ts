/**
 * `gyre replay RUN_DIR`: runs a recorded run again (see @gyre/sim's `replayRun`) and reports the
 * first divergence.
 */
import { resolve } from 'node:path';
import { replayRun } from '@gyre/sim';
import { OptionError, parseCommand, usageError, type CommandSpec } from './args';
import type { Io } from './io';

/** `gyre replay`'s table. */
export const REPLAY_SPEC: CommandSpec<{ dir: string | undefined; store: string | undefined }> = {
  command: 'gyre replay',
  usage: `Usage: gyre replay RUN_DIR [--store DIR]

Runs a recorded run again. A gyre sim run is simulated again from its seed; its history and journal must
come out identical. A gyre test run is replayed from its network journal: fresh node processes get the
recorded messages in the recorded order and at the recorded times (with the kills and pauses), and what
each node writes is compared with what it wrote before. Reports the first divergence.`,
  sections: [
    {
      title: 'Options',
      rows: [{ long: 'store', arg: 'DIR', gyre: true, defText: "the recorded run's store", desc: 'Where the replay is written.', set: (d, v) => (d.store = v) }],
    },
  ],
  draft: () => ({ dir: undefined, store: undefined }),
  positional: (d, word) => {
    if (d.dir !== undefined) throw new OptionError(`Expected one RUN_DIR, got ${JSON.stringify(d.dir)} and ${JSON.stringify(word)}`);
    d.dir = word;
  },
};

/** `gyre replay RUN_DIR [--store DIR]`. */
export async function replayCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommand(REPLAY_SPEC, argv, io);
  if (typeof parsed === 'number') return parsed;
  const { dir, store } = parsed;
  if (!dir) return usageError(io, REPLAY_SPEC.command, 'Expected the RUN_DIR of a recorded run (such as store/latest).');
  try {
    const r = await replayRun(resolve(io.cwd, dir), { ...(store ? { store: resolve(io.cwd, store) } : {}), log: (m) => io.err(`INFO  ${m}\n`) });
    io.out(`replay: ${r.dir}\n`);
    if (r.nodes) io.out(`messages compared: ${Object.entries(r.nodes).map(([n, c]) => `${n} ${c.replayed}/${c.recorded}`).join(', ')}\n`);
    if (r.identical) {
      io.out(r.mode === 'sim' ? 'identical: same history and journal, byte for byte\n' : 'identical: every node wrote what it wrote in the recorded run\n');
      return 0;
    }
    const d = r.divergence!;
    io.out(
      `DIVERGED at ${d.what}, ${r.mode === 'sim' ? 'line' : 'message'} ${d.index}${d.time !== undefined ? ` (recorded at ${(d.time / 1e9).toFixed(3)} s)` : ''}:\n` +
        `  recorded: ${d.expected ?? '(nothing)'}\n  replayed: ${d.actual ?? '(nothing)'}\n`,
    );
    return 1;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 254;
  }
}
