/**
 * Consistency models and anomalies: which anomaly implies which, which model forbids which
 * anomaly, which model implies which. The tables follow Elle's (jepsen-io/elle,
 * `elle.consistency-model`) so that verdicts and the `not` / `alsoNot` boundaries agree with it.
 *
 * Models are named by their friendly names (`serializable`, `read-committed`, ...); Adya's names
 * (`PL-3`, `PL-2`, ...) and a few synonyms are accepted wherever a model name is read.
 */

/** Anomalies that make a result `'unknown'` rather than `false` when nothing worse was found. */
export const UNKNOWN_ANOMALY_TYPES: readonly string[] = ['cycle-search-timeout', 'empty-transaction-graph'];

/** The base cycle anomalies, most severe first. Each also exists with `-process` and `-realtime`. */
const BASE_CYCLE_TYPES = ['G0', 'G1c', 'G-single', 'G2-item', 'G-nonadjacent'] as const;

/** Every cycle anomaly type this checker searches for, in search (severity) order. */
export const CYCLE_ANOMALY_TYPES: readonly string[] = [
  ...BASE_CYCLE_TYPES,
  ...BASE_CYCLE_TYPES.map((t) => t + '-process'),
  ...BASE_CYCLE_TYPES.map((t) => t + '-realtime'),
];

// a -> anomalies that a implies (seeing a means we have also seen those).
const IMPLIES: Record<string, readonly string[]> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  GSIa: ['GSI'],
  GSIb: ['GSI'],
  'incompatible-order': ['G1a'],
  'future-read': ['G1c'],
  'dirty-update': ['G1a'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

// model -> weaker models it implies (a history satisfying the model satisfies those too).
const MODEL_IMPLIES: Record<string, readonly string[]> = {
  'causal-cerone': ['read-atomic'],
  'consistent-view': ['cursor-stability', 'monotonic-view'],
  serializable: ['view-serializable', 'repeatable-read', 'update-serializable', 'snapshot-isolation'],
  'cursor-stability': ['read-committed'],
  'forward-consistent-view': ['consistent-view'],
  'read-committed': ['read-uncommitted'],
  'update-serializable': ['forward-consistent-view'],
  'monotonic-atomic-view': ['read-committed'],
  'monotonic-view': ['read-committed'],
  'monotonic-snapshot-read': ['read-committed'],
  'parallel-snapshot-isolation': ['causal-cerone', 'ROLA'],
  prefix: ['causal-cerone'],
  'read-atomic': ['monotonic-atomic-view'],
  'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
  ROLA: ['read-atomic'],
  'session-serializable': ['1SR'],
  'snapshot-isolation': [
    'forward-consistent-view',
    'monotonic-atomic-view',
    'monotonic-snapshot-read',
    'parallel-snapshot-isolation',
    'prefix',
  ],
  'strict-serializable': [
    'serializable',
    'linearizable',
    'snapshot-isolation',
    'strong-snapshot-isolation',
    'strong-session-serializable',
    'session-serializable',
  ],
  'strong-session-read-uncommitted': ['read-uncommitted'],
  'strong-session-read-committed': ['read-committed', 'strong-session-read-uncommitted'],
  'strong-read-uncommitted': ['strong-session-read-uncommitted'],
  'strong-read-committed': ['strong-session-read-committed', 'strong-read-uncommitted'],
  'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
  'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-read-committed'],
  'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-read-committed'],
  linearizable: ['sequential'],
  sequential: ['causal'],
  causal: ['writes-follow-reads', 'PRAM'],
  PRAM: ['monotonic-reads', 'monotonic-writes', 'read-your-writes'],
};

// model -> anomalies it forbids beyond what its weaker models forbid.
const FORBIDS: Record<string, readonly string[]> = {
  'causal-cerone': ['internal', 'G1a'],
  'cursor-stability': ['G1', 'G-cursor', 'lost-update'],
  'monotonic-view': ['G1', 'G-monotonic'],
  'monotonic-snapshot-read': ['G1', 'G-MSR'],
  'consistent-view': ['G1', 'G-single'],
  'forward-consistent-view': ['G1', 'G-SIb'],
  'parallel-snapshot-isolation': ['internal', 'G1a'],
  serializable: ['G1', 'G2', 'predicate-read-miss', 'PL-3-cycle-exists', 'internal'],
  'read-committed': ['G1', 'PL-2-cycle-exists'],
  'read-uncommitted': ['G0', 'duplicate-elements', 'cyclic-versions', 'PL-1-cycle-exists'],
  prefix: ['internal', 'G1a'],
  'snapshot-isolation': ['internal', 'G1', 'G-SI', 'G-nonadjacent', 'PL-SI-cycle-exists'],
  'read-atomic': ['internal', 'G1a', 'future-read'],
  'repeatable-read': ['G1', 'G2-item', 'PL-2.99-cycle-exists', 'lost-update'],
  ROLA: ['lost-update'],
  'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime', 'PL-SS-cycle-exists'],
  'strong-session-read-uncommitted': ['strong-session-PL-1-cycle-exists', 'G0-process'],
  'strong-session-read-committed': ['strong-session-PL-2-cycle-exists', 'G1c-process'],
  'strong-read-uncommitted': ['strong-PL-1-cycle-exists', 'G0-realtime'],
  'strong-read-committed': ['strong-PL-2-cycle-exists', 'G1c-realtime'],
  'strong-session-snapshot-isolation': [
    'internal',
    'G1-process',
    'G-nonadjacent-process',
    'strong-session-snapshot-isolation-cycle-exists',
  ],
  'strong-snapshot-isolation': [
    'internal',
    'G1-realtime',
    'G-nonadjacent-realtime',
    'strong-snapshot-isolation-cycle-exists',
  ],
  'strong-session-serializable': ['G1-process', 'G2-process', 'strong-session-serializable-cycle-exists'],
  'update-serializable': ['G1', 'G-update'],
};

/** Adya's name (and Elle's canonical name) for each model that has one. */
const ADYA: Record<string, string> = {
  'read-uncommitted': 'PL-1',
  'read-committed': 'PL-2',
  'cursor-stability': 'PL-CS',
  'monotonic-view': 'PL-2L',
  'monotonic-snapshot-read': 'PL-MSR',
  'consistent-view': 'PL-2+',
  'forward-consistent-view': 'PL-FCV',
  'repeatable-read': 'PL-2.99',
  'snapshot-isolation': 'PL-SI',
  'update-serializable': 'PL-3U',
  serializable: 'PL-3',
  'strict-serializable': 'PL-SS',
  'strong-session-read-uncommitted': 'strong-session-PL-1',
  'strong-session-read-committed': 'strong-session-PL-2',
  'strong-read-uncommitted': 'strong-PL-1',
  'strong-read-committed': 'strong-PL-2',
};

/** Other names of a model: Adya's names and synonyms, mapped to the friendly name. */
const ALIASES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(ADYA).map(([friendly, adya]) => [adya, friendly])),
  'conflict-serializable': 'serializable',
  'strong-serializable': 'strict-serializable',
};

const FRIENDLY_MODELS: readonly string[] = [
  ...new Set([...Object.keys(MODEL_IMPLIES), ...Object.values(MODEL_IMPLIES).flat(), ...Object.keys(FORBIDS)]),
].sort();

/** Every model name accepted by the checkers and {@link parseConsistencyModels}, sorted. */
export const CONSISTENCY_MODEL_NAMES: readonly string[] = [...new Set([...FRIENDLY_MODELS, ...Object.keys(ALIASES)])].sort();

/** The friendly models (one name per model), sorted. */
export const CONSISTENCY_MODELS: readonly string[] = FRIENDLY_MODELS;

const LOWER_NAMES = new Map(CONSISTENCY_MODEL_NAMES.map((n) => [n.toLowerCase(), n]));

/**
 * The friendly name of a model given any of its names (`PL-3` → `serializable`,
 * `strong-serializable` → `strict-serializable`), ignoring case and a leading `:`;
 * `undefined` for an unknown name.
 */
export function canonicalModelName(name: string): string | undefined {
  const trimmed = name.trim().replace(/^:/, '');
  const exact = LOWER_NAMES.get(trimmed.toLowerCase());
  if (exact === undefined) return undefined;
  return ALIASES[exact] ?? exact;
}

/** Adya's name of a model (`serializable` → `PL-3`), or the friendly name when it has none. */
export function adyaModelName(model: string): string {
  const f = canonicalModelName(model) ?? model;
  return ADYA[f] ?? f;
}

/** Thrown by {@link parseConsistencyModels} for a name it does not know; the message lists the valid ones. */
export class ConsistencyModelError extends Error {
  /** The names that were not recognised. */
  readonly unknown: readonly string[];
  constructor(unknown: readonly string[]) {
    super(
      `unknown consistency model${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; ` +
        `valid models are: ${CONSISTENCY_MODEL_NAMES.join(', ')}`,
    );
    this.name = 'ConsistencyModelError';
    this.unknown = unknown;
  }
}

/**
 * Parses the value of `--consistency-models`. Maelstrom splits it on a comma with whitespace on
 * both sides (`read-committed , serializable`); Gyre also accepts plain commas (`a,b`, `a, b`).
 * Names are canonicalised to friendly names (`PL-3` → `serializable`) and deduplicated.
 *
 * @throws {@link ConsistencyModelError} for an unknown or empty name (this is an options parser,
 *   not a checker).
 */
export function parseConsistencyModels(value: string): string[] {
  const parts = value.split(',').map((p) => p.trim());
  const out: string[] = [];
  const unknown: string[] = [];
  for (const p of parts) {
    const c = p === '' ? undefined : canonicalModelName(p);
    if (c === undefined) unknown.push(p);
    else if (!out.includes(c)) out.push(c);
  }
  if (unknown.length > 0) throw new ConsistencyModelError(unknown);
  return out;
}

function closure(start: Iterable<string>, next: (x: string) => readonly string[] | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const y of next(x) ?? []) if (!seen.has(y)) stack.push(y);
  }
  return seen;
}

function invert(g: Record<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [a, bs] of Object.entries(g)) {
    for (const b of bs) {
      let l = out.get(b);
      if (!l) out.set(b, (l = []));
      l.push(a);
    }
  }
  return out;
}

const IMPLIED_BY = invert(IMPLIES);
const MODEL_IMPLIED_BY = invert(MODEL_IMPLIES);
const FORBIDDEN_BY = invert(FORBIDS);

/** The given anomalies and every anomaly they imply. */
export function impliedAnomalies(anomalies: Iterable<string>): Set<string> {
  return closure(anomalies, (a) => IMPLIES[a]);
}

/** The given anomalies and every anomaly that implies one of them. */
export function anomaliesImplying(anomalies: Iterable<string>): Set<string> {
  return closure(anomalies, (a) => IMPLIED_BY.get(a));
}

/** The given models (canonicalised) and every weaker model they imply. */
function impliedModels(models: Iterable<string>): Set<string> {
  return closure([...models].map((m) => canonicalModelName(m) ?? m), (m) => MODEL_IMPLIES[m]);
}

/** The given models (canonicalised) and every stronger model that implies one of them. */
export function strongerModels(models: Iterable<string>): Set<string> {
  return closure([...models].map((m) => canonicalModelName(m) ?? m), (m) => MODEL_IMPLIED_BY.get(m));
}

/**
 * Every anomaly that cannot occur if all of `models` hold: the anomalies those models and the
 * models they imply forbid, and every anomaly implying one of those.
 */
export function anomaliesProhibitedBy(models: Iterable<string>): Set<string> {
  const direct: string[] = [];
  for (const m of impliedModels(models)) direct.push(...(FORBIDS[m] ?? []));
  return anomaliesImplying(direct);
}

/** Every model ruled out by the presence of `anomalies` (closed upward to stronger models). */
export function impossibleModels(anomalies: Iterable<string>): Set<string> {
  const direct = new Set<string>();
  for (const a of impliedAnomalies(anomalies)) for (const m of FORBIDDEN_BY.get(a) ?? []) direct.add(m);
  return strongerModels(direct);
}

/**
 * The consistency-model boundary of a set of anomalies, as Elle reports it: `not` lists the
 * weakest models ruled out, `alsoNot` the other (stronger) ruled-out models. Both sorted.
 */
export function modelBoundary(anomalies: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(anomalies);
  const not: string[] = [];
  const alsoNot: string[] = [];
  for (const m of impossible) {
    let weaker = false;
    for (const w of impliedModels([m])) {
      if (w !== m && impossible.has(w)) {
        weaker = true;
        break;
      }
    }
    (weaker ? alsoNot : not).push(m);
  }
  return { not: not.sort(), alsoNot: alsoNot.sort() };
}
