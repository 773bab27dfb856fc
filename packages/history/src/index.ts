/**
 * @gyre/history: the vocabulary every other Gyre package shares.
 *
 * - {@link Op} and friends: Jepsen's operation model (invoke, then ok / fail / info).
 * - A lossless JSON codec ({@link parseJson}, {@link stringifyJson}, {@link JsonFloat}) that keeps
 *   big integers and the difference between `1` and `1.0`, with Clojure-style equality
 *   ({@link valuesEqual}, {@link valueKey}) and ordering ({@link compareValues}).
 * - History formats: JSON Lines, JSON arrays and Jepsen EDN, in and out, as text; JSON Lines also
 *   from bytes, chunk by chunk ({@link JsonlHistoryReader}).
 * - Input quoted in messages with its control characters escaped ({@link quoteInput},
 *   {@link showInput}, {@link escapeControls}), so no message carries a terminal escape.
 *
 * No dependencies and no I/O, so it runs anywhere, browsers included.
 *
 * @example
 * ```ts
 * import { parseHistoryJsonl, pairs } from '@gyre/history';
 * const history = parseHistoryJsonl(text);
 * for (const { invoke, completion } of pairs(history)) console.log(invoke.f, completion?.type);
 * ```
 */
export type { Op, OpType, ProcessId, Invocation, Completion, OpPair, TestInfo } from './op';
export { isInvoke, isOk, isFail, isInfo, isClientOp, pairs, pairIndex, clientOps, reindex } from './op';
export type { JsonValue } from './json';
export { JsonFloat, JsonSyntaxError, MAX_NESTING, exceedsMaxNesting, jsonStartProblem, parseJson, needsLosslessJson, stringifyJson, valueKey, valuesEqual, compareValues } from './json';
export type { EdnValue, EdnRecords, PrintEdnOptions } from './edn';
export { Keyword, EdnSymbol, EdnSet, EdnMap, EdnList, EdnTagged, EdnSyntaxError, parseEdn, parseEdnAll, parseEdnRecords, ednToPlain, printEdn, prettyEdn } from './edn';
export {
  HistoryFormatError,
  formatOpJson,
  formatOpEdn,
  opToEdn,
  formatOpText,
  toOp,
  parseHistoryJsonl,
  parseHistoryJsonArray,
  parseHistoryEdn,
} from './format';
export { JsonlHistoryReader, JsonlLineError } from './jsonl';
export { ChunkedLines } from './lines';
export { parseJepsenLog, parseJepsenLogLines, parseKvTrace } from './jepsen-log';
export { escapeControls, quoteInput, showInput } from './quote';
export type { Random, Clock, TimerHandle } from './random';
export { seededRandom } from './random';
