/**
 * The run's generator, composed as Maelstrom's core does.
 */
import { any, clients, limit, lift, log, nemesis as onNemesis, phases, sleep, stagger, timeLimit, type GenLike } from '@gyre/generator';
import type { Random } from '@gyre/history';
import type { NemesisPackage } from '@gyre/nemesis';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { pacedStagger, type LagSink } from './pace';

/** The log message that ends the main phase and begins the final one (heal, recovery, final operations). */
export const RECOVERY_MESSAGE = 'Waiting for recovery...';

/** What {@link composeGenerator} needs. */
export interface ComposeOptions {
  workload: WorkloadDefinition;
  options: WorkloadOptions;
  /** The nemesis, when `--nemesis` names faults. */
  nemesis: NemesisPackage | undefined;
  /** The run's random source; the workload gets `random.fork('workload')`. */
  random: Random;
  /** Seconds to wait before the final phase. */
  recoveryTime: number;
  /**
   * Most main-phase client operations (a cap under the time limit, for shrinking a failing run:
   * with the same seed, a capped run is the uncapped one cut short). @defaultValue no cap
   */
  maxOps?: number;
  /**
   * Told how late each main-phase invocation went out: the `--rate` schedule then catches up
   * after small delays (see `pacedStagger`), as real time needs. @defaultValue plain `stagger`
   */
  onLag?: LagSink;
}

/**
 * `timeLimit(t, any(clients(stagger(1/rate, workload)), nemesis(faults)))`, then, for workloads
 * with a final phase: heal, log {@link RECOVERY_MESSAGE}, sleep, the final operations.
 */
export function composeGenerator(c: ComposeOptions): GenLike {
  const { workload: wl, options: opts, nemesis: nem } = c;
  const workload = lift(wl.generator(opts, c.random.fork('workload')));
  let main: GenLike = opts.rate > 0 ? (c.onLag ? pacedStagger(1 / opts.rate, workload, c.onLag) : stagger(1 / opts.rate, workload)) : null;
  if (main !== null && c.maxOps !== undefined) main = limit(c.maxOps, main);
  // The nemesis gets its own time limit: a nemesis operation scheduled past the end must only
  // end the nemesis's schedule, not (while every client is busy) the whole main phase.
  let gen: GenLike = timeLimit(opts.timeLimit, any(clients(main ?? sleep(opts.timeLimit)), onNemesis(nem ? timeLimit(opts.timeLimit, nem.generator) : null)));
  if (wl.final) {
    const finalOps = wl.finalTimeLimit ? timeLimit(wl.finalTimeLimit, clients(wl.final(opts))) : clients(wl.final(opts));
    gen = phases(gen, nem ? onNemesis(nem.finalGenerator) : null, log(RECOVERY_MESSAGE), sleep(c.recoveryTime), finalOps);
  }
  return gen;
}
