/**
 * @gyre/workloads: Gyre's built-in workloads.
 */
export type { TopologyName, Topology } from './topology';
export { topology, isTopologyName, TOPOLOGY_NAMES } from './topology';
