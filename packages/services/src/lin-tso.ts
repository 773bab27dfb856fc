/**
 * lin-tso: a linearizable timestamp oracle (maelstrom.md §3.5). `ts` answers `ts_ok` with 0,
 * 1, 2, ... in the order requests arrive.
 */
import { addReplyTo, badType, notSupported, type Service } from './service';

/** lin-tso's state: the next timestamp to hand out. */
export interface LinTsoState {
  readonly next: number;
}

const TYPES = ['ts'] as const;

/** Creates the lin-tso service. */
export function linTso(): Service<LinTsoState> {
  const init: LinTsoState = { next: 0 };
  return {
    id: 'lin-tso',
    types: TYPES,
    init: () => init,
    handle(state, req) {
      const bad = badType(req.body) ?? (req.body.type === 'ts' ? undefined : notSupported('lin-tso', req.body.type as string, TYPES));
      if (bad) return [state, addReplyTo(bad, req.body)];
      return [{ next: state.next + 1 }, addReplyTo({ type: 'ts_ok', ts: state.next }, req.body)];
    },
  };
}
