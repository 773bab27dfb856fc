/**
 * What a results map says went wrong, in a form a page can show: each failing (or undecided)
 * checker with its anomalies, the explanations and drawings the checker attached, and for each
 * anomaly the history operations it points at, so the report can link to the messages around them.
 *
 * The walk is generic, because every checker shapes its results differently: maps with a
 * `valid?` other than `true` are checkers; their fields are anomalies; ops are recognised by shape
 * (`index` plus `type`), and bare values (`lost: [3, 7]`, `duplicated: {"12": 2}`) are traced back
 * to the operations that wrote or returned them.
 */
import { stringifyJson, valueKey, type Op } from '@gyre/history';

/** One anomaly case: its text and the history operations it refers to. */
export interface FindingItem {
  /** Compact JSON of the case (clipped by the renderer). */
  text: string;
  /** History indices the case refers to, in order of appearance. */
  ops: number[];
  /** Explanation texts found in the case. */
  explanations: string[];
}

/** A group of cases under one field of a failing checker (`lost`, `anomalies.G1c`, `op`, …). */
export interface FindingGroup {
  /** Field name, with the anomaly type for `anomalies` maps (`anomalies › G1c`). */
  name: string;
  items: FindingItem[];
  /** Items left out beyond the limit. */
  omitted: number;
}

/** A failing or undecided checker and what it reported. */
export interface Finding {
  /** Path of keys from the top of the results (`["workload"]`, `["workload", "results", "k3"]`). */
  path: string[];
  valid: false | 'unknown';
  groups: FindingGroup[];
  /** Free-text explanations (`explanation`, `message`, `cause`, `error`, … strings). */
  explanations: string[];
  /** SVG documents the checker attached (strings beginning with `<svg`). */
  svgs: string[];
  /** Scalar facts shown as a small table (`lost-count: 3`, …). */
  facts: [string, string][];
}

/** Options of {@link findAnomalies}. */
export interface FindingsOptions {
  /** Most items kept per group. @defaultValue 50 */
  maxItems?: number;
  /** Most findings. @defaultValue 100 */
  maxFindings?: number;
}

const TEXT_KEYS = new Set(['explanation', 'explanations', 'message', 'msg', 'cause', 'reason', 'text', 'error', 'description', 'details', 'summary', 'not-checked', 'verdict-withheld']);
const QUIET = /(^valid\?$|latenc|-count$|^count$|^stable|^attempt|^stale|^worst-stale$|^never-read$|fraction$)/;
const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function isOpLike(v: unknown): v is { index: number } {
  return isMap(v) && typeof v['index'] === 'number' && Number.isInteger(v['index']) && (OP_TYPES.has(v['type'] as string) || ('process' in v && 'f' in v));
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** Finds operations by value: invocations first (writes, adds, broadcasts), then ok completions (reads, generated ids). */
class ValueIndex {
  private readonly byInvoke = new Map<string, number>();
  private readonly byOk = new Map<string, number>();
  constructor(history: readonly Op[]) {
    for (const op of history) {
      if (typeof op.process !== 'number' || op.value === null || op.value === undefined) continue;
      const k = valueKey(op.value);
      if (op.type === 'invoke') {
        if (!this.byInvoke.has(k)) this.byInvoke.set(k, op.index);
      } else if (op.type === 'ok' && !this.byOk.has(k)) this.byOk.set(k, op.index);
    }
  }
  /** The index of the op that wrote or returned this value, if any. */
  find(v: unknown): number | undefined {
    const k = valueKey(v);
    const hit = this.byInvoke.get(k) ?? this.byOk.get(k);
    if (hit !== undefined || typeof v !== 'string' || !/^-?\d+$/.test(v)) return hit;
    return this.find(Number(v));
  }
}

function opsIn(v: unknown, out: number[], texts: string[], depth = 0): void {
  if (depth > 12) return;
  if (isOpLike(v)) {
    if (!out.includes(v.index)) out.push(v.index);
  }
  if (Array.isArray(v)) for (const x of v) opsIn(x, out, texts, depth + 1);
  else if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && TEXT_KEYS.has(k) && x.length > 0) texts.push(x);
      else opsIn(x, out, texts, depth + 1);
    }
  }
}

function item(v: unknown, values: ValueIndex, asValue: boolean): FindingItem {
  const ops: number[] = [];
  const explanations: string[] = [];
  opsIn(v, ops, explanations);
  if (ops.length === 0 && asValue && (v === null || typeof v !== 'object' || Array.isArray(v))) {
    const hit = values.find(v);
    if (hit !== undefined) ops.push(hit);
  }
  return { text: typeof v === 'string' ? v : stringifyJson(v), ops, explanations };
}

function groupsOf(name: string, v: unknown, values: ValueIndex, max: number): FindingGroup[] {
  const mk = (n: string, xs: FindingItem[], total: number): FindingGroup => ({ name: n, items: xs, omitted: Math.max(0, total - xs.length) });
  if (Array.isArray(v)) {
    const xs = v.slice(0, max).map((x) => item(x, values, true));
    return [mk(name, xs, v.length)];
  }
  if (isMap(v)) {
    if (isOpLike(v)) return [mk(name, [item(v, values, false)], 1)];
    const entries = Object.entries(v);
    // A map of anomaly type → cases (Elle's `anomalies`), or of value → count (`duplicated`).
    if (entries.every(([, x]) => Array.isArray(x))) {
      return entries.map(([k, x]) => {
        const arr = x as unknown[];
        return mk(`${name} › ${k}`, arr.slice(0, max).map((c) => item(c, values, true)), arr.length);
      });
    }
    const xs = entries.slice(0, max).map(([k, x]) => {
      const it = item(x, values, false);
      if (it.ops.length === 0) {
        const hit = values.find(k);
        if (hit !== undefined) it.ops.push(hit);
      }
      it.text = `${k}: ${it.text}`;
      return it;
    });
    return [mk(name, xs, entries.length)];
  }
  return [mk(name, [item(v, values, false)], 1)];
}

/**
 * The failing and undecided checkers of a results map, innermost first in document order. A map
 * with `valid?` false or `"unknown"` is reported unless one of its own fields is such a map, in
 * which case those are reported instead (the top level and composed checkers only summarise). A
 * map with `valid?` true is never looked into: what it holds, it has judged.
 */
export function findAnomalies(results: unknown, history: readonly Op[] = [], options: FindingsOptions = {}): Finding[] {
  const max = options.maxItems ?? 50;
  const maxFindings = options.maxFindings ?? 100;
  const values = new ValueIndex(history);
  const out: Finding[] = [];
  const visit = (v: unknown, path: string[], depth: number): boolean => {
    if (!isMap(v) || depth > 8 || out.length >= maxFindings) return false;
    let childFailed = false;
    const before = out.length;
    for (const [k, x] of Object.entries(v)) {
      if (isMap(x) && visit(x, [...path, k], depth + 1)) childFailed = true;
    }
    const valid = v['valid?'];
    if (valid === true) {
      // A checker that judged its parts and found the whole valid overrules them: kafka's stats
      // keep `by-f › crash` invalid (crash ops are always info) but count the section valid.
      out.length = before;
      return false;
    }
    if (valid !== false && valid !== 'unknown') return childFailed;
    if (childFailed) return true;
    const f: Finding = { path, valid, groups: [], explanations: [], svgs: [], facts: [] };
    for (const [k, x] of Object.entries(v)) {
      if (k === 'valid?') continue;
      if (typeof x === 'string') {
        if (x.trimStart().startsWith('<svg')) f.svgs.push(x);
        else if (TEXT_KEYS.has(k) || x.length > 60) f.explanations.push(x);
        else f.facts.push([k, x]);
        continue;
      }
      if (x !== null && typeof x === 'object' && !Array.isArray(x) && !isMap(x)) {
        f.facts.push([k, stringifyJson(x)]);
        continue;
      }
      if (typeof x !== 'object' || x === null || QUIET.test(k)) {
        if (x !== null && x !== undefined && typeof x !== 'object') f.facts.push([k, String(x)]);
        continue;
      }
      if (isEmpty(x) || (isMap(x) && 'valid?' in x)) continue;
      f.groups.push(...groupsOf(k, x, values, max));
    }
    out.push(f);
    return true;
  };
  visit(results, [], 0);
  return out;
}
