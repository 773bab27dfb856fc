/**
 * Sequential specifications ("models") for the linearizability checker.
 */
import type { Op, ProcessId } from '@gyre/history';

/**
 * One operation as a model sees it: an invocation paired with its completion.
 *
 * The checker builds these from a history. `fail` ops never reach a model (they did not happen).
 * An op is *determinate* (`known: true`) when it completed `ok`; it is *indeterminate*
 * (`known: false`) when it completed `info` or never completed: it may take effect at any point
 * after its invocation, or never, and its result is unknown.
 *
 * Knossos's convention for `value`: the completion's value when known (a read's observed value),
 * the invocation's value otherwise (for a read that is usually `null`, "unknown").
 *
 * @typeParam V - the type of op values.
 */
export interface LinOp<V = unknown> {
  /** Position of the op in its partition (0-based, in invocation order). */
  readonly id: number;
  /** The invocation's `index` in the history. */
  readonly index: number;
  /** The completion's `index`, or -1 when it did not complete. */
  readonly completionIndex: number;
  /** The invoking process. */
  readonly process: ProcessId;
  /** The function: `read`, `write`, `cas`, `acquire`, `enqueue`, ... */
  readonly f: string;
  /** See the type's comment: completion value if `known`, invocation value otherwise. */
  readonly value: V;
  /** The invocation's value (a read's is normally `null`); models take an op's arguments from here. */
  readonly invokeValue: V;
  /** True when the op completed `ok`, so `value` is its observed result. */
  readonly known: boolean;
  /** The raw invocation, for models that read other fields (a `key`, say). */
  readonly invocation: Op;
  /** The raw completion, if any. */
  readonly completion: Op | undefined;
}

/** The outcome of applying an op to a state: the next state, or why the op is impossible there. */
export type StepResult<S> = { readonly ok: true; readonly state: S } | { readonly ok: false; readonly reason: string };

/**
 * A sequential specification: a deterministic state machine over immutable states.
 *
 * Models are plain objects and must be pure: `step` may not mutate `state` and must return the
 * same answer for the same (state, op) pair, because the checker memoises transitions.
 *
 * For an indeterminate op (`op.known === false`), `step` says what happens *if the op takes
 * effect*: a CAS with an unknown result applies when its `from` matches and is impossible
 * otherwise (an op that has no effect is the same as one that never happened, which the checker
 * already tries). Only determinate ops are required; indeterminate ones are optional.
 *
 * @typeParam S - the state type.
 * @typeParam V - the op value type.
 */
export interface Model<S = unknown, V = unknown> {
  /** A short name, reported in results (`cas-register`). */
  readonly name: string;
  /** The initial state. */
  init(): S;
  /** Applies `op` to `state`; see the interface comment. */
  step(state: S, op: LinOp<V>): StepResult<S>;
  /**
   * Splits the history into independent sub-histories (P-compositionality): ops with different
   * keys never interact, so each partition is checked alone with a fresh `init()` state. Keys are
   * compared with `valueKey`. Omit to check the history as one object.
   */
  partition?(op: LinOp<V>): unknown;
  /**
   * A 32-bit hash of a state, consistent with `equal`.
   * @defaultValue a hash of `valueKey(state)` from `@gyre/history`
   */
  hash?(state: S): number;
  /**
   * State equality.
   * @defaultValue `valuesEqual` from `@gyre/history` (Clojure-style: `1` equals `1n`, not `1.0`)
   */
  equal?(a: S, b: S): boolean;
  /**
   * True when the op never changes the state, in any state where it is possible (a read). The
   * checker drops indeterminate read-only ops (they constrain nothing) and linearizes a read-only op
   * as soon as it is possible, without trying alternatives, which prunes the search a lot. A wrong
   * `true` (an op that can change the state) makes verdicts wrong.
   * @defaultValue every op may change the state
   */
  readOnly?(op: LinOp<V>): boolean;
  /**
   * Pruning (optional, with {@link revives}). True when the read-only `op`, impossible in `state`,
   * stays impossible in every state reached from `state` by ops that do not revive it: a read of a
   * register that holds another value, until a write of the value read; a get of a string that the
   * current string is not a prefix of, while only appends follow. The checker then abandons a
   * configuration in which such a read is pending and no unlinearized op that revives it can still
   * come before it, instead of trying every order of the ops still running. Called only for ops
   * that `step` rejects in `state`. A wrong `true` makes verdicts wrong.
   * @defaultValue never (no pruning)
   */
  unreachable?(state: S, op: LinOp<V>): boolean;
  /**
   * May `op`, applied in any state, lead to a state from which the read-only `read` is not
   * {@link unreachable}? (A write of the value read; a put of a prefix of the string read.) A wrong
   * `false` makes verdicts wrong. Required with `unreachable`.
   * @defaultValue true when `unreachable` is given without it (which then prunes nothing)
   */
  revives?(op: LinOp<V>, read: LinOp<V>): boolean;
  /** Text for an op in explanations. @defaultValue `f value` */
  describeOp?(op: LinOp<V>): string;
  /** Text for a state in explanations. @defaultValue its JSON-like text */
  describeState?(state: S): string;
}
