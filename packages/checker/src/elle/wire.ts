/** How an Elle-style result is written in Elle's key names (see `../wire`). */
import { DATA, field, fields, seqOf, setOf, type WireForm } from '../wire';
import type { ElleResult } from './core';

/**
 * How an {@link ElleResult} is written, as Elle and Maelstrom do: `valid?`, `anomaly-types`,
 * `anomalies` (keyed by anomaly type; each case as the checker gives it), `not`, `also-not`, `error`.
 */
export const elleWire: WireForm = fields<ElleResult>({
  valid: 'valid?',
  anomalyTypes: field('anomaly-types', seqOf(DATA)),
  anomalies: 'anomalies',
  not: field('not', setOf(DATA)),
  alsoNot: field('also-not', setOf(DATA)),
  error: 'error',
});
