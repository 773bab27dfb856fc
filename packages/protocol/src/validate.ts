/**
 * A quick yes for the common case of a schema check: a plain function made once from a zod
 * schema's definition that answers `true` only for values the schema accepts. It says `false`
 * both for values the schema refuses and for whatever it does not model (a refinement, a transform,
 * a length check, a tuple shorter than its items, …), so a `false` always goes to zod, which gives
 * the verdict and its messages; a `true` spares zod's walk of a reply holding thousands of values.
 */
import type { z } from 'zod';

/** True only when the schema certainly accepts the value. */
type Quick = (v: unknown) => boolean;

const NO: Quick = () => false;

/** The zod definition fields the validator reads (zod 4's `_zod.def`). */
interface Def {
  type: string;
  checks?: readonly { _zod: { def: { check?: string; format?: string } } }[];
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  element?: z.ZodType;
  items?: readonly z.ZodType[];
  rest?: z.ZodType | null;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  values?: readonly unknown[];
  fn?: (v: unknown) => unknown;
}

const cache = new WeakMap<z.ZodType, Quick>();

/** The quick check of `schema`, made once and kept. */
export function quickCheck(schema: z.ZodType): Quick {
  let q = cache.get(schema);
  if (!q) {
    q = compile(schema);
    cache.set(schema, q);
  }
  return q;
}

function compile(schema: z.ZodType): Quick {
  const def = (schema as unknown as { _zod?: { def?: Def } })._zod?.def;
  if (!def) return NO;
  const checks = def.checks ?? [];
  if (def.type === 'number') {
    if (checks.length === 0) return (v) => typeof v === 'number' && Number.isFinite(v);
    const c = checks.length === 1 ? checks[0]!._zod.def : undefined;
    if (c?.check === 'number_format' && c.format === 'safeint') return (v) => Number.isSafeInteger(v);
    return NO;
  }
  if (checks.length > 0) return NO;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'bigint':
      return (v) => typeof v === 'bigint';
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v) && !Number.isNaN(v);
    }
    case 'custom': {
      const fn = def.fn;
      if (!fn) return NO;
      return (v) => {
        const r = fn(v);
        return r === true || (Boolean(r) && !(r instanceof Promise));
      };
    }
    case 'optional': {
      const inner = quickCheck(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = quickCheck(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'union': {
      const options = (def.options ?? []).map(quickCheck);
      return (v) => {
        for (const o of options) if (o(v)) return true;
        return false;
      };
    }
    case 'array': {
      const item = quickCheck(def.element!);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
        return true;
      };
    }
    case 'tuple': {
      if (def.rest) return NO;
      const items = (def.items ?? []).map(quickCheck);
      return (v) => {
        if (!Array.isArray(v) || v.length !== items.length) return false;
        for (let i = 0; i < items.length; i++) if (!items[i]!(v[i])) return false;
        return true;
      };
    }
    case 'record': {
      const key = def.keyType && quickCheck(def.keyType);
      const value = def.valueType && quickCheck(def.valueType);
      if (!key || !value) return NO;
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const k of Reflect.ownKeys(v)) if (!key(k) || !value(v[k as string])) return false;
        return true;
      };
    }
    case 'object': {
      const shape = def.shape ?? {};
      const fields = Object.keys(shape).map((k) => [k, quickCheck(shape[k]!)] as const);
      const known = new Set(Object.keys(shape));
      const catchall = def.catchall === undefined ? undefined : (def.catchall as unknown as { _zod: { def: Def } })._zod.def.type;
      // Closed (`never`), loose (`unknown`), or stripping (no catchall); anything else goes to zod.
      if (catchall !== undefined && catchall !== 'never' && catchall !== 'unknown') return NO;
      const closed = catchall === 'never';
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const [k, check] of fields) if (!check(v[k])) return false;
        if (closed) for (const k of Object.keys(v)) if (!known.has(k)) return false;
        return true;
      };
    }
    default:
      return NO;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
