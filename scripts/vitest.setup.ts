/**
 * Property tests (fast-check) draw a fresh random seed per run when developing, so they keep
 * exploring; under CI they use one fixed seed, so a red CI is always reproducible and never a
 * rare draw. `GYRE_FC_SEED=N` picks a seed anywhere; `GYRE_FC_SEED=random` keeps CI random.
 * A failing property prints its seed either way.
 */
import fc from 'fast-check';

const FIXED = 20261125;
const wanted = process.env['GYRE_FC_SEED'];
if (wanted !== undefined && wanted !== 'random') {
  const seed = Number(wanted);
  if (!Number.isInteger(seed)) throw new Error(`GYRE_FC_SEED must be an integer or "random", got ${JSON.stringify(wanted)}`);
  fc.configureGlobal({ seed });
} else if (wanted === undefined && process.env['CI']) {
  fc.configureGlobal({ seed: FIXED });
}
