/**
 * @gyre/net: the simulated network every Gyre message goes through (Maelstrom §5).
 *
 * - {@link createRouter}: per-receiver delivery in deadline order with Maelstrom's latency
 *   distributions, partitions (grudges) checked at delivery, down (killed or paused) nodes with a
 *   bounded queue, and exact counters ({@link NetStats}, Maelstrom's `:net` {@link NetResult}).
 * - The journal: a JSON Lines record of every send, delivery and drop, written in chunks to a sink,
 *   read back as a stream ({@link readJournal}) and re-tallied ({@link netResultFromJournal}).
 *
 * No processes, no files, no wall clock: time comes from an injected `Clock`, randomness from a
 * seeded `Random` (both from `@gyre/history`).
 */
export type { RouterOptions, Router, SendResult, SendErrorKind, Deliver } from './router';
export { createRouter, DOWN_QUEUE_LIMIT } from './router';
export type { LatencyOptions, LatencyDist, LatencyDraw } from './latency';
export { latencyDraw } from './latency';
export type { DropReason, NetStats, TrafficCounts, NetCounts, NetCountsPerOp, NetResult, NetTally } from './stats';
export { DROP_REASONS, buildNetResult } from './stats';
export type { JournalEvent, JournalEventBase, SendEvent, RecvEvent, DropEvent, JournalStats } from './journal';
export {
  JOURNAL_HEADER,
  JournalFormatError,
  JournalTally,
  JournalReader,
  readJournal,
  tallyJournal,
  netResultFromJournal,
} from './journal';
