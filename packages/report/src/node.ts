/**
 * @gyre/report/node: the report's edge in Node, over the pure drawings of `@gyre/report`.
 *
 * - {@link writeReport}: every drawing and page of a run, written into its directory.
 * - {@link startServer}: the `gyre serve` web UI over a store directory, with zip downloads.
 * - {@link writeZip}: the streaming zip writer behind those downloads.
 */
export type { WriteReportInput, WriteReportResult } from './write';
export { writeReport, REPORT_FILES } from './write';
export type { ServerOptions, GyreServer, RunInfo } from './serve';
export { startServer, listRuns, parseRunTime } from './serve';
export type { ZipEntry } from './zip';
export { writeZip } from './zip';
