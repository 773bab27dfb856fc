/**
 * @gyre/runner/ports: the run core's ports, for code that hosts nodes its own way (`@gyre/sim`
 * hosts TypeScript nodes in-process on virtual time). The core (`runCore` in `@gyre/runner`)
 * takes a {@link HostFactory} and a {@link RunClock}; see DEVELOPERS.md for the phases they serve.
 *
 * - {@link HostFactory}, {@link NodeHosts}, {@link NodeHost}, {@link HostContext}, {@link CrashDetail}, {@link FaultHost}: the host port.
 * - {@link RunClock}: the clock port.
 * - {@link processHosts}: the host port for real node processes (what `gyre test` uses; `gyre
 *   replay` uses it to host a recorded run's nodes again).
 * - {@link nodeSeed}: each node's own seed, derived from the run's.
 * - {@link DEFAULT_MAX_LINE_BYTES}: the default cap on one line from a node (64 MiB).
 */
export type { HostFactory, NodeHosts, NodeHost, HostContext, CrashDetail, FaultHost, RunClock } from './types';
export type { ProcessHostOptions } from '../process-hosts';
export { processHosts } from '../process-hosts';
export { DEFAULT_MAX_LINE_BYTES } from '../process';
export { nodeSeed } from './node-seed';
