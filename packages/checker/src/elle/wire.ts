/** How an Elle-style result is written in Elle's key names (see `../wire`). */
import { fields, type WireForm } from '../wire';
import type { ElleResult } from './core';

/**
 * How an {@link ElleResult} is written, as Elle and Maelstrom do: `valid?`, `anomaly-types`,
 * `anomalies` (keyed by anomaly type; each case as the checker gives it), `not`, `also-not`, `error`.
 */
export const elleWire: WireForm = fields<ElleResult>({
  valid: 'valid?',
  anomalyTypes: 'anomaly-types',
  anomalies: 'anomalies',
  not: 'not',
  alsoNot: 'also-not',
  error: 'error',
});
