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
 * Pure: no I/O. {@link wireJson} and {@link wireEdn} give the text of results.json and
 * results.edn.
 */
import { prettyEdn, stringifyJson } from '@gyre/history';

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
 * - `record`: a result's fields, renamed as `fields` says; a field it does not list gets the
 *   generic name ({@link wireName}) and is written as it is;
 * - `map`: an object whose keys are data (node ids, keys, error types), each value by `of`;
 * - `list`: an array, each item by `of`.
 */
export type WireForm =
  | { readonly kind: 'data' }
  | { readonly kind: 'record'; readonly fields: Readonly<Record<string, WireField>> }
  | { readonly kind: 'map'; readonly of: WireForm }
  | { readonly kind: 'list'; readonly of: WireForm };

/** Written as it is. */
export const DATA: WireForm = { kind: 'data' };

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

/** A list, each item written by `of`. */
export function listOf(of: WireForm): WireForm {
  return { kind: 'list', of };
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

/**
 * A result in Jepsen's key names, by its form. Fields keep their order; `undefined` fields are
 * left out (neither JSON nor EDN writes them). Values the form does not expect (a list where it
 * expects a record, a class instance) are written as they are.
 */
export function toWire(value: unknown, form: WireForm = GENERIC_WIRE): unknown {
  switch (form.kind) {
    case 'data':
      return value;
    case 'list':
      return Array.isArray(value) ? value.map((x) => toWire(x, form.of)) : value;
    case 'map': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v, form.of);
      return out;
    }
    case 'record': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const f = Object.hasOwn(form.fields, k) ? form.fields[k]! : wireName(k);
        if (typeof f === 'string') out[f] = v;
        else if ('omit' in f) continue;
        else if ('spread' in f) Object.assign(out, toWire(v, f.spread));
        else out[f.name] = toWire(v, f.form);
      }
      return out;
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

/** The EDN text of a written result, pretty-printed, with {@link wireKeyword}'s keywords (results.edn). */
export function wireEdn(wire: unknown): string {
  return prettyEdn(wire, { keywordValue: wireKeyword });
}
