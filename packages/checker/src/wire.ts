/**
 * The one serializer of results. In TypeScript every checker returns camelCase fields and
 * `valid`; Jepsen, Maelstrom and Elle write `valid?`, `anomaly-types`, `msgs-per-op`. Each result
 * type declares its *wire form* next to it (`statsWire`, `kafkaWire`, …): for each field, its
 * written name and the form of its value. {@link toWire} walks a result with its form.
 *
 * Why forms and not a camelCase → kebab-case rule applied to every key: results hold data whose
 * keys must never change (node ids, keys of a kv, `f` names under `by-f`, error-type names,
 * quantile keys such as `"0.5"`, whole history ops), and some names are not the kebab-case of
 * anything (`approximate?`). A form says where the field names are and where data starts, and
 * `fields<T>()` makes TypeScript check that a form names every field of its result type.
 *
 * A form also says how results.edn writes what JSON cannot tell apart, as Maelstrom writes it:
 * Clojure lists `(…)` ({@link seqOf}) and sets `#{…}` ({@link setOf}) where JSON has arrays, maps
 * keyed by any value `{0 3, 1 3}` ({@link pairsOf}: arrays of `[key, value]` in JSON), quantile
 * maps in key order `{0 18, 0.5 …, 1 962}` ({@link SORTED_MAP}: JavaScript puts the integer keys
 * first), keywords ({@link KEYWORD}), single-precision floats ({@link FLOAT32}) and message bodies
 * whose strings stay strings ({@link PLAIN}). {@link toWire}'s output is plain JSON-like data (what
 * results.json holds and everything downstream reads); these EDN-only facts travel with it,
 * invisible (a non-enumerable property), to {@link wireEdn}. History operations inside results are
 * recognised by their shape and written as history.edn writes them.
 *
 * Pure: no I/O. {@link wireJson} and {@link wireEdn} give the text of results.json and
 * results.edn.
 */
import { EdnList, EdnMap, EdnSet, JsonFloat, Keyword, opToEdn, prettyEdn, stringifyJson, type Op } from '@gyre/history';

/** A written field: its name, and the form of its value (written as it is by default). */
export interface WireName {
  readonly name: string;
  readonly form: WireForm;
}

/** A field whose value is a map written in the field's place: its entries join the parent map. */
export interface WireSpread {
  readonly spread: WireForm;
}

/** A field that is not written at all (model states, which can be cyclic). */
export interface WireOmit {
  readonly omit: true;
}

/** How one field of a record is written: a plain string is its written name, its value data. */
export type WireField = string | WireName | WireSpread | WireOmit;

/**
 * How a value is written:
 * - `data`: as it is (values, ids, history ops, maps keyed by data whose values need no renaming);
 *   with `edn: 'plain'`, results.edn keeps every string in it a string (message bodies);
 * - `record`: a result's fields, renamed as `fields` says; a field it does not list gets the
 *   generic name ({@link wireName}) and is written as it is;
 * - `map`: an object whose keys are data (node ids, keys, error types), each value by `of`; with
 *   `edn: 'sorted'`, results.edn writes it in numeric key order (quantiles);
 * - `list`: an array, each item by `of`; with `edn`, results.edn writes it as a Clojure list, a
 *   set, or (`'map'`, an array of `[key, value]` pairs, each value by `of`) a map;
 * - `keyword`, `float32`: a string written as an EDN keyword, a number as Maelstrom's
 *   single-precision float (`(float x)`: 8.181818, not 8.181818181818182), in results.edn only.
 */
export type WireForm =
  | { readonly kind: 'data'; readonly edn?: 'plain' }
  | { readonly kind: 'record'; readonly fields: Readonly<Record<string, WireField>> }
  | { readonly kind: 'map'; readonly of: WireForm; readonly edn?: 'sorted' }
  | { readonly kind: 'list'; readonly of: WireForm; readonly edn?: 'list' | 'set' | 'map' }
  | { readonly kind: 'keyword' }
  | { readonly kind: 'float32' };

/** Written as it is. */
export const DATA: WireForm = { kind: 'data' };

/** Data written as it is, whose strings results.edn keeps as strings (message bodies: `:type "echo_ok"`). */
export const PLAIN: WireForm = { kind: 'data', edn: 'plain' };

/** A string results.edn writes as a keyword (`:stable`). */
export const KEYWORD: WireForm = { kind: 'keyword' };

/** A number results.edn writes as Maelstrom's single-precision float (`msgs-per-op`). */
export const FLOAT32: WireForm = { kind: 'float32' };

/** A map of quantiles (`{"0.5": 12}`) that results.edn writes in key order: `{0 0, 0.5 12, 1 40}`. */
export const SORTED_MAP: WireForm = { kind: 'map', of: DATA, edn: 'sorted' };

/**
 * A record form naming every field of `T` (TypeScript requires each one, optional ones included):
 * `fields<StatsResult>({ valid: 'valid?', okCount: 'ok-count', byF: field('by-f', mapOf(...)), ... })`.
 */
export function fields<T>(f: { readonly [K in keyof T]-?: WireField }): WireForm {
  return { kind: 'record', fields: f as Record<string, WireField> };
}

/** A field written as `name`, its value by `form`. */
export function field(name: string, form: WireForm): WireName {
  return { name, form };
}

/** A field whose entries (keys kept, values by `form`) are written in its place. */
export function spread(form: WireForm): WireSpread {
  return { spread: form };
}

/** A field left out of the written result. */
export const OMIT: WireOmit = { omit: true };

/** A map keyed by data, each value written by `of`. */
export function mapOf(of: WireForm): WireForm {
  return { kind: 'map', of };
}

/** A list, each item written by `of` (a vector in results.edn). */
export function listOf(of: WireForm): WireForm {
  return { kind: 'list', of };
}

/** A list written as a Clojure list in results.edn: `(3 7)`, `()`. */
export function seqOf(of: WireForm): WireForm {
  return { kind: 'list', of, edn: 'list' };
}

/** A list written as a set in results.edn: `#{:read-committed}`. */
export function setOf(of: WireForm): WireForm {
  return { kind: 'list', of, edn: 'set' };
}

/**
 * A map keyed by any value, kept as `[key, value]` pairs in JSON (whose keys are strings) and
 * written as a map in results.edn: `{0 3, "a" 2}`, `{}`. Each value is written by `of`.
 */
export function pairsOf(of: WireForm): WireForm {
  return { kind: 'list', of, edn: 'map' };
}

/** A result that is only its verdict (`timeline`, `latency-graph`). */
export const validOnlyWire: WireForm = fields<{ valid: unknown }>({ valid: 'valid?' });

/**
 * The form of a result nobody declared one for (a plugin's, a checker that threw): every field
 * gets its generic name ({@link wireName}); values are written as they are.
 */
export const GENERIC_WIRE: WireForm = { kind: 'record', fields: {} };

/**
 * The generic written name of a field: `valid` is `valid?`, a camelCase name becomes kebab-case
 * (`okCount` → `ok-count`); other names are kept.
 */
export function wireName(name: string): string {
  if (name === 'valid') return 'valid?';
  return /^[a-z][a-zA-Z0-9]*$/.test(name) ? name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) : name;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What results.edn needs to know of a written value that its JSON does not say. */
interface EdnHint {
  shape?: 'list' | 'set' | 'map' | 'sorted' | 'plain';
  /** A record's fields written as keywords or single-precision floats. */
  scalars?: Record<string, 'keyword' | 'float32'>;
}

const EDN_HINT: unique symbol = Symbol('gyre.wire.edn');

function hinted<T extends object>(target: T, hint: EdnHint): T {
  Object.defineProperty(target, EDN_HINT, { value: hint, enumerable: false });
  return target;
}

function hintOf(v: object): EdnHint | undefined {
  return (v as { [EDN_HINT]?: EdnHint })[EDN_HINT];
}

/**
 * A result in Jepsen's key names, by its form. Fields keep their order; `undefined` fields are
 * left out (neither JSON nor EDN writes them). Values the form does not expect (a list where it
 * expects a record, a class instance) are written as they are.
 */
export function toWire(value: unknown, form: WireForm = GENERIC_WIRE): unknown {
  switch (form.kind) {
    case 'data':
      if (form.edn === 'plain' && value !== null && typeof value === 'object' && (Array.isArray(value) || isPlainObject(value))) {
        return hinted(Array.isArray(value) ? [...value] : { ...value }, { shape: 'plain' });
      }
      return value;
    case 'keyword':
    case 'float32':
      return value;
    case 'list': {
      if (!Array.isArray(value)) return value;
      const out =
        form.edn === 'map'
          ? value.map((pair) => (Array.isArray(pair) && pair.length === 2 ? [pair[0], toWire(pair[1], form.of)] : toWire(pair, form.of)))
          : value.map((x) => toWire(x, form.of));
      return form.edn ? hinted(out, { shape: form.edn }) : out;
    }
    case 'map': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v, form.of);
      return form.edn ? hinted(out, { shape: form.edn }) : out;
    }
    case 'record': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      let scalars: Record<string, 'keyword' | 'float32'> | undefined;
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const f = Object.hasOwn(form.fields, k) ? form.fields[k]! : wireName(k);
        if (typeof f === 'string') out[f] = v;
        else if ('omit' in f) continue;
        else if ('spread' in f) Object.assign(out, toWire(v, f.spread));
        else {
          out[f.name] = toWire(v, f.form);
          if (f.form.kind === 'keyword' || f.form.kind === 'float32') (scalars ??= {})[f.name] = f.form.kind;
        }
      }
      return scalars ? hinted(out, { scalars }) : out;
    }
  }
}

/**
 * Which string values results.edn prints as keywords: `:unknown` under `valid?`, and every string
 * under `f`, `type`, `anomaly-types`, `not`, `also-not`, `bad-error-types` and `error-types`, as
 * Jepsen's results have them. `key` is the nearest map key above the string.
 */
export function wireKeyword(key: string | undefined, value: string): boolean {
  if (key === 'valid?') return value === 'unknown';
  return key === 'f' || key === 'type' || key === 'anomaly-types' || key === 'not' || key === 'also-not' || key === 'bad-error-types' || key === 'error-types';
}

/** The JSON text of a written result, on one line (results.json, `gyre check --json`). */
export function wireJson(wire: unknown): string {
  return stringifyJson(wire);
}

/** Options of {@link wireEdn}. */
export interface WireEdnOptions {
  /**
   * The workload's `valueToEdn`: how the values of the history operations inside the results are
   * written, as in history.edn (txn micro-ops `[:r 11 nil]`). @defaultValue as they are
   */
  valueToEdn?: (value: unknown, op: Op) => unknown;
}

/**
 * The EDN text of a written result (results.edn), pretty-printed: {@link wireKeyword}'s keywords,
 * the lists, sets, maps, keywords and floats its form asked for, and every history operation in it
 * as history.edn writes it.
 */
export function wireEdn(wire: unknown, options: WireEdnOptions = {}): string {
  return prettyEdn(ednValue(wire, undefined, options, false));
}

const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);
const KEYWORD_NAME = /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.\/'#-]*$/;

/** A history operation, by its shape: an integer `index`, a `type` of Jepsen's, a `process` and an `f`. */
function isOp(v: Record<string, unknown>): boolean {
  return Number.isInteger(v['index']) && OP_TYPES.has(v['type'] as string) && 'process' in v && typeof v['f'] === 'string';
}

/** Maelstrom's `(float x)` as Java prints it: the shortest decimal that reads back as the same single-precision float. */
function float32(x: unknown): unknown {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = Math.fround(x);
  for (let p = 1; p < 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return new JsonFloat(d);
  }
  return new JsonFloat(Number(f.toPrecision(9)));
}

/**
 * The EDN value of a written result: `key` is the nearest map key above (for {@link wireKeyword}),
 * `plain` whether strings stay strings here.
 */
function ednValue(v: unknown, key: string | undefined, o: WireEdnOptions, plain: boolean): unknown {
  if (v === null || typeof v !== 'object') {
    return !plain && typeof v === 'string' && wireKeyword(key, v) && KEYWORD_NAME.test(v) ? new Keyword(v) : v;
  }
  if (!Array.isArray(v) && !isPlainObject(v)) return v;
  const hint = hintOf(v);
  const inner = plain || hint?.shape === 'plain';
  if (Array.isArray(v)) {
    const items = () => v.map((x) => ednValue(x, key, o, inner));
    switch (hint?.shape) {
      case 'list':
        return new EdnList(items() as never);
      case 'set':
        return new EdnSet(items() as never);
      case 'map':
        return new EdnMap(v.map((pair): [unknown, unknown] => (Array.isArray(pair) ? [ednValue(pair[0], undefined, o, true), ednValue(pair[1], key, o, inner)] : [pair, null])) as never);
      default:
        return items();
    }
  }
  if (!inner && isOp(v)) return opToEdn(v as unknown as Op, o.valueToEdn);
  if (hint?.shape === 'sorted') {
    const entries = Object.entries(v).map(([k, x]): [unknown, unknown] => [/^-?\d+(\.\d+)?$/.test(k) ? Number(k) : k, ednValue(x, k, o, inner)]);
    entries.sort(([a], [b]) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    return new EdnMap(entries as never);
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const scalar = hint?.scalars?.[k];
    out[k] = scalar === 'keyword' && typeof x === 'string' ? new Keyword(x) : scalar === 'float32' ? float32(x) : ednValue(x, k, o, inner);
  }
  return out;
}
