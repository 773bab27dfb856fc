/**
 * @gyre/nemesis: fault plans, as pure values.
 *
 * Faults are planned here and applied elsewhere. Partitions are {@link Grudge}s (receiver → the
 * senders it drops) built by seeded helpers, among them Maelstrom's four shapes
 * ({@link partitionGrudge}). {@link nemesisPackage} turns `--nemesis partition,kill,pause` and
 * `--nemesis-interval` into generators for the nemesis thread and an `invoke` that carries each
 * operation out through a {@link FaultTarget} port the runner implements.
 *
 * @example
 * ```ts
 * const pkg = nemesisPackage({ faults: ['partition'], interval: 10, nodes: test.nodes, random });
 * const main = timeLimit(60, any(clients(stagger(1 / rate, workload)), pkg.generator));
 * // the runner's invoke for the nemesis thread:
 * const invoke = (thread, op) => (thread === 'nemesis' ? pkg.invoke(op, target) : client.invoke(op));
 * ```
 */
export type { Grudge, PartitionShape } from './grudge';
export {
  PARTITION_SHAPES,
  completeGrudge,
  bisect,
  splitOne,
  bridge,
  invertGrudge,
  majoritiesRing,
  partitionGrudge,
  grudgeValue,
  visibleFrom,
  isSymmetric,
} from './grudge';
export type { FaultTarget, Fault, NodeSpec, NemesisOptions, NemesisPackage } from './package';
export { FAULTS, nemesisPackage, resolveNodes } from './package';
