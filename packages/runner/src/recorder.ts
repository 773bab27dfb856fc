/**
 * Records a run's history as it happens: history.jsonl, history.edn and history.txt, the run log,
 * the counts the live status shows, and (optionally) the history in memory for the checkers.
 */
import { formatOpEdn, formatOpJson, formatOpText, type Op } from '@gyre/history';

/** Where recorded operations go; each receives one line (with its newline). All optional. */
interface HistorySinks {
  jsonl?: (line: string) => void;
  edn?: (line: string) => void;
  txt?: (line: string) => void;
  /** The run log: `thread` is `worker N` or `nemesis`, `text` the op as in history.txt (no newline). */
  log?: (thread: string, text: string) => void;
}

/** See {@link HistoryRecorder}. */
export interface RecorderOptions {
  sinks: HistorySinks;
  /** The workload's `valueToEdn`. */
  toEdn?: (value: unknown, op: Op) => unknown;
}

/** Receives every invocation and completion from the interpreter, in history order. */
export class HistoryRecorder {
  /** Every operation recorded, in order. */
  readonly history: Op[] = [];
  /** Client completions by type, and client invocations. */
  ok = 0;
  fail = 0;
  info = 0;
  invocations = 0;

  constructor(private readonly opts: RecorderOptions) {}

  /** Records one operation. Maelstrom records nemesis invocations as `info`, like their completions. */
  readonly record = (recorded: Op): void => {
    const op = recorded.process === 'nemesis' && recorded.type === 'invoke' ? { ...recorded, type: 'info' as const } : recorded;
    const { sinks, toEdn } = this.opts;
    sinks.jsonl?.(formatOpJson(op) + '\n');
    sinks.edn?.(formatOpEdn(op, toEdn) + '\n');
    if (sinks.txt || sinks.log) {
      const text = formatOpText(op, toEdn);
      sinks.txt?.(text + '\n');
      sinks.log?.(typeof op.process === 'number' ? `worker ${op.process}` : 'nemesis', text);
    }
    this.history.push(op);
    if (typeof op.process === 'number') {
      if (op.type === 'invoke') this.invocations++;
      else if (op.type === 'ok') this.ok++;
      else if (op.type === 'fail') this.fail++;
      else this.info++;
    }
  };
}
