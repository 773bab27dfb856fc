/**
 * @gyre/report: what a run looks like to a person.
 *
 * - Plots as SVG text ({@link latencyRawSvg}, {@link latencyQuantilesSvg}, {@link rateSvg}), pure
 *   functions of the history, with fault periods shaded ({@link nemesisPeriods}).
 * - Lamport diagrams of the network journal: `messages.svg` ({@link LamportSvgBuilder},
 *   {@link lamportSvg}, capped like Maelstrom's) and the interactive `messages.html`
 *   ({@link LamportDataBuilder} + {@link lamportHtml}: virtualised canvas, no cap, filters, deep links).
 * - `timeline.html` ({@link timelineHtml}) and `report.html` ({@link reportHtml}), self-contained.
 * - {@link formatSummary}: the end-of-run console summary.
 *
 * This entry is pure: strings in, strings out, no `node:*` and no `Buffer`, so it runs in a browser
 * too. Writing files, the zip writer and the web UI are in `@gyre/report/node`.
 */
export type { PlotOptions, LatencyPoint } from './plots';
export { latencyRawSvg, latencyQuantilesSvg, rateSvg, latencyPoints, latencyQuantiles, rates, quantile, defaultWindow, OUTCOME_COLORS, NEMESIS_COLOR, QUANTILES } from './plots';
export type { NemesisPeriod } from './nemesis';
export { nemesisPeriods } from './nemesis';
export type { NetEvent, NetEvents, LamportSvgOptions } from './lamport';
export { LamportSvgBuilder, lamportSvg, compareParticipants, messageLabel, messageColor, bodyType, isClient, NOTICE_COLOR } from './lamport';
export type { LamportData, LamportMeta, ColumnInfo, LamportDataOptions } from './lamport-data';
export { LamportDataBuilder, buildLamportData } from './lamport-data';
export type { LamportHtmlOptions } from './lamport-html';
export { lamportHtml } from './lamport-html';
export type { TimelineOptions } from './timeline';
export { timelineHtml } from './timeline';
export type { Finding, FindingGroup, FindingItem, FindingsOptions } from './findings';
export { findAnomalies } from './findings';
export type { ReportInput, Verdict } from './report';
export { reportHtml, verdictOf, prettyJson } from './report';
export type { SummaryOptions } from './summary';
export { formatSummary } from './summary';
export { groupDigits } from './text';
