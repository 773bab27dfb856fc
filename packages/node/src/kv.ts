/**
 * Clients for Gyre's built-in services: the key-value stores `lin-kv`, `seq-kv`, `lww-kv` and the
 * timestamp oracle `lin-tso`. Every call is an RPC from the node; errors surface as
 * {@link RpcError} with `code` and `definite`.
 */
import { JsonFloat } from '@gyre/history';
import { RpcError, ErrorCodes } from '@gyre/protocol';
import type { Node, RpcOptions } from './node';

/** The names of the built-in KV services. */
export type KvService = 'lin-kv' | 'seq-kv' | 'lww-kv';

/** Options of {@link KV.read} and {@link KV.readInt}. */
export interface ReadOptions<T> extends RpcOptions {
  /** Returned instead of throwing `key-does-not-exist` (20) when the key is missing. */
  default?: T;
}

/** Options of {@link KV.cas}. */
export interface CasOptions extends RpcOptions {
  /**
   * Create the key with `to` if it does not exist (honoured by lin-kv and seq-kv; lww-kv ignores it).
   * @defaultValue false
   */
  createIfNotExists?: boolean;
}

/** Options of {@link KV.update}. */
export interface UpdateOptions<T> extends RpcOptions {
  /** The value `fn` sees when the key is missing; the key is then created by the cas. Without it, a missing key throws 20. */
  default?: T;
  /**
   * How many times to retry after a cas lost a race (22) or the key vanished or appeared (20, 21).
   * @defaultValue Infinity
   */
  retries?: number;
}

function hasDefault<T>(o: { default?: T } | undefined): o is { default: T } {
  return o !== undefined && Object.prototype.hasOwnProperty.call(o, 'default');
}

function rpcOptions(o: RpcOptions | undefined): RpcOptions {
  const r: RpcOptions = {};
  if (o?.timeout !== undefined) r.timeout = o.timeout;
  if (o?.signal !== undefined) r.signal = o.signal;
  return r;
}

function toInt(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  const shown = v instanceof JsonFloat ? v.toString() : typeof v === 'bigint' ? `${v} (beyond 2^53)` : JSON.stringify(v) ?? String(v);
  throw new TypeError(`${what} is not a safe integer: ${shown}`);
}

/**
 * A client for a KV service. Keys and values are any JSON values, compared as Maelstrom does
 * (`1`, `1.0` and `"1"` differ); numbers keep their fidelity (big integers, floats).
 *
 * @example
 * ```ts
 * const kv = node.kv('lin-kv');
 * const n = await kv.update('counter', (v: number) => v + 1, { default: 0 });
 * ```
 */
export class KV {
  constructor(
    readonly node: Node,
    /** The service's node id. @defaultValue `'lin-kv'` */
    readonly service: KvService | (string & {}) = 'lin-kv',
  ) {}

  /** Reads `key`. Throws `RpcError` 20 if it does not exist, unless `options.default` is given. */
  async read<T = unknown>(key: unknown, options?: ReadOptions<T>): Promise<T> {
    try {
      const r = await this.node.rpc(this.service, { type: 'read', key }, rpcOptions(options));
      return r['value'] as T;
    } catch (e) {
      if (hasDefault(options) && RpcError.is(e) && e.code === ErrorCodes.KeyDoesNotExist) return options.default;
      throw e;
    }
  }

  /** Reads `key` as an integer; throws a `TypeError` if the value is not a safe integer. */
  async readInt(key: unknown, options?: ReadOptions<number>): Promise<number> {
    return toInt(await this.read<unknown>(key, options), `value of ${JSON.stringify(key) ?? String(key)}`);
  }

  /** Sets `key` to `value`. */
  async write(key: unknown, value: unknown, options?: RpcOptions): Promise<void> {
    await this.node.rpc(this.service, { type: 'write', key, value }, rpcOptions(options));
  }

  /**
   * Sets `key` to `to` if its current value equals `from`. Throws `RpcError` 22
   * (precondition-failed) if it differs, 20 if the key is missing and `createIfNotExists` is not set.
   */
  async cas(key: unknown, from: unknown, to: unknown, options?: CasOptions): Promise<void> {
    const body: Record<string, unknown> = { type: 'cas', key, from, to };
    if (options?.createIfNotExists) body['create_if_not_exists'] = true;
    await this.node.rpc(this.service, body, rpcOptions(options));
  }

  /**
   * Read-modify-write with retries: reads `key` (or takes `options.default` if it is missing),
   * computes `fn(current)`, and cas-es it in (creating the key if it was missing). When the cas
   * loses a race (22, 20 or 21) it starts over, up to `retries` times. Resolves with the value
   * written. Other errors, timeouts included, are thrown at once: such a cas may have happened.
   *
   * On lww-kv, which ignores `create_if_not_exists`, a missing key makes every cas fail with 20;
   * give `retries` or create the key first.
   */
  async update<T>(key: unknown, fn: (current: T) => T | Promise<T>, options?: UpdateOptions<T>): Promise<T> {
    const retries = options?.retries ?? Infinity;
    const opts = rpcOptions(options);
    for (let attempt = 0; ; attempt++) {
      let current: T;
      let exists = true;
      try {
        current = await this.read<T>(key, opts);
      } catch (e) {
        if (!(hasDefault(options) && RpcError.is(e) && e.code === ErrorCodes.KeyDoesNotExist)) throw e;
        current = options.default;
        exists = false;
      }
      const next = await fn(current);
      try {
        await this.cas(key, current, next, { ...opts, createIfNotExists: !exists });
        return next;
      } catch (e) {
        const lost = RpcError.is(e) && (e.code === ErrorCodes.PreconditionFailed || e.code === ErrorCodes.KeyDoesNotExist || e.code === ErrorCodes.KeyAlreadyExists);
        if (!lost || attempt >= retries) throw e;
      }
    }
  }
}

/**
 * A client for the `lin-tso` timestamp oracle.
 *
 * @example
 * ```ts
 * const t = await node.tso().ts();
 * ```
 */
export class TSO {
  constructor(
    readonly node: Node,
    /** The service's node id. @defaultValue `'lin-tso'` */
    readonly service: string = 'lin-tso',
  ) {}

  /** A fresh timestamp, greater than every timestamp handed out before this call began. */
  async ts(options?: RpcOptions): Promise<number> {
    const r = await this.node.rpc(this.service, { type: 'ts' }, rpcOptions(options));
    return toInt(r['ts'], 'ts');
  }
}

/** A client for `lin-kv` (linearizable). */
export const linKv = (node: Node): KV => new KV(node, 'lin-kv');
/** A client for `seq-kv` (sequentially consistent: reads may be stale). */
export const seqKv = (node: Node): KV => new KV(node, 'seq-kv');
/** A client for `lww-kv` (last-write-wins; reads often stale; no create_if_not_exists). */
export const lwwKv = (node: Node): KV => new KV(node, 'lww-kv');
/** A client for `lin-tso`. */
export const linTso = (node: Node): TSO => new TSO(node, 'lin-tso');
