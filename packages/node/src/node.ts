/**
 * The node runtime: reads messages, dispatches them to handlers, sends replies and requests,
 * tracks outstanding RPCs and timers. All I/O and time are injected, so the same node runs as a
 * process on STDIN/STDOUT or in-process under a simulator with virtual time.
 */
import { parseJson, seededRandom, stringifyJson, type Clock, type Random, type TimerHandle } from '@gyre/history';
import { RpcError, checkResponse, encodeMessage, type Body, type Message, type RequestOf, type ResponseOf, type RpcDef } from '@gyre/protocol';
import { nodeClock, realClock, type NodeClock } from './clock';
import { LineWriter, readLines, type LineInput, type LineOutput } from './io';
import { KV, TSO } from './kv';

/** Drops index signatures from an object type, keeping its declared keys (and their optionality). */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : symbol extends K ? never : K]: T[K] };
/** `R`, but any key it has beyond those of `T` must be `never`: makes extra reply fields a compile error. */
type NoExtra<R, T> = R & { [K in Exclude<keyof R, keyof T>]: never };

/** The request body a typed handler receives for RPC `D` (validated against `D.request`). */
export type RequestBody<D extends RpcDef> = Known<RequestOf<D>>;
/** The fields to pass to {@link Node.call} for RPC `D`: its request body without `type` and `msg_id`. */
export type RequestFields<D extends RpcDef> = Omit<RequestBody<D>, 'type' | 'msg_id'>;
/** The full reply body of RPC `D` (`type`, `in_reply_to` and the reply's own fields). */
export type ReplyBody<D extends RpcDef> = Known<ResponseOf<D>>;
/** What a typed handler for RPC `D` returns: the reply's own fields; `type` defaults to `<name>_ok`. */
export type ReplyFields<D extends RpcDef> = Omit<ReplyBody<D>, 'type' | 'msg_id' | 'in_reply_to'> & { type?: string; msg_id?: number };

/** What a handler may return: a reply body (sent as the reply; `type` defaults to `<request type>_ok`) or nothing. */
export type HandlerResult = Body | void | undefined | null;
/** A handler for one message type. It gets the whole message (`src`, `dest`, `body`). */
export type Handler = (msg: Message) => HandlerResult | Promise<HandlerResult>;
/** A typed handler for RPC `D`: gets the validated request body and the message, returns the reply's fields. */
export type TypedHandler<D extends RpcDef, R> = (req: RequestBody<D>, msg: Message<RequestBody<D>>) => R | Promise<R>;

/** Options of {@link Node.rpc}. */
export interface RpcOptions {
  /**
   * Milliseconds (on the node's clock) to wait for the reply before rejecting with
   * `RpcError.timeout()`. `Infinity` waits forever.
   * @defaultValue the node's `rpcTimeout`
   */
  timeout?: number;
  /** Aborting it rejects the call with the signal's reason and forgets the pending reply. */
  signal?: AbortSignal;
}

/** Options of {@link Node.every}. */
export interface EveryOptions {
  /**
   * Whether a run may start while the previous one is still running. With `false`, the next run
   * is scheduled `ms` after the previous one has *finished* (an async callback is awaited first),
   * so a callback that awaits RPCs stretches the period by their round trips. With `true`, a run
   * starts every `ms` regardless, like `setInterval`: right for a gossip tick that sends and does
   * not need the answers before the next tick.
   * @defaultValue false
   */
  overlap?: boolean;
}

/** Options of {@link createNode}. Every field is optional; the defaults make a STDIN/STDOUT process. */
export interface NodeOptions {
  /**
   * Where messages come from: a Node.js `Readable` or any async iterable of text or byte chunks,
   * framed by newlines (a chunk need not be a whole line).
   * @defaultValue `process.stdin`
   */
  input?: LineInput;
  /**
   * Where messages go: a function called with each line (no trailing newline), or a writable
   * stream (a newline is appended; backpressure is respected).
   * @defaultValue `process.stdout`
   */
  output?: LineOutput;
  /**
   * The clock behind RPC timeouts, {@link Node.setTimeout}, {@link Node.every} and {@link Node.sleep}
   * (its `now()` in nanoseconds; {@link Node.clock} adds `nowMs()`).
   * @defaultValue real time ({@link realClock})
   */
  clock?: Clock;
  /**
   * Where log lines go (one string per line, no newline). Never STDOUT.
   * @defaultValue a line on `process.stderr`
   */
  log?: (line: string) => void;
  /**
   * Default RPC timeout in milliseconds; `Infinity` for none.
   * @defaultValue 5000
   */
  rpcTimeout?: number;
  /**
   * Log every message received and sent (as Maelstrom's Go library does).
   * @defaultValue false
   */
  logMessages?: boolean;
  /**
   * The node's randomness ({@link Node.random}): a seeded `Random`, or a seed for one.
   * @defaultValue seeded from the `GYRE_NODE_SEED` environment variable, which Gyre sets for every
   * node process from the run's `--seed` (so a replayed run draws the same values); without it, a
   * random seed
   */
  random?: Random | string;
  /**
   * The node's own directory for state that must survive a crash ({@link Node.dir}): Gyre keeps
   * it across a nemesis `kill` and restart. Under `gyre sim`, use synchronous file calls
   * (`readFileSync`, `writeFileSync`) on it: asynchronous I/O happens outside virtual time.
   * @defaultValue the process's working directory (a fresh directory per node under `gyre test`)
   */
  dir?: string;
}

/** The seed of a node's {@link Node.random} when none is given: `GYRE_NODE_SEED`, else random. */
export const NODE_SEED_VAR = 'GYRE_NODE_SEED';

function defaultSeed(): string {
  const env = (globalThis as { process?: NodeJS.Process }).process?.env?.[NODE_SEED_VAR];
  if (env) return env;
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return `${words[0]}-${words[1]}`;
}

interface Pending {
  resolve: (body: Body) => void;
  reject: (err: unknown) => void;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Registered {
  handler: Handler;
}

/** Marks a request that has been replied to, so a handler's return value is not sent a second time. */
const REPLIED = Symbol('gyre.replied');
const hasReplied = (msg: Message): boolean => (msg as { [REPLIED]?: boolean })[REPLIED] === true;

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function formatLogArg(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a instanceof Error) return a.stack ?? `${a.name}: ${a.message}`;
  try {
    return stringifyJson(a);
  } catch {
    return String(a);
  }
}

function asInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/**
 * A node. Create it with {@link createNode}, register handlers with {@link Node.on} or
 * {@link Node.handle}, then `await node.run()`.
 *
 * Messages are dispatched as they arrive; each handler starts synchronously, in arrival order,
 * and may then await freely (handlers run concurrently). A handler's return value is the reply.
 */
export class Node {
  /**
   * The node's clock (the one given to {@link createNode}, or real time). `clock.now()` is in
   * **nanoseconds**; `clock.nowMs()` in milliseconds, the unit of `every`, `sleep`, `setTimeout`
   * and RPC timeouts.
   */
  readonly clock: NodeClock;
  /**
   * Seeded randomness for the node's own choices (election timeouts, jitter, ids): use it instead
   * of `Math.random()`, so that a run with the same `--seed` makes the same choices, in `gyre sim`
   * and in `gyre replay`. Under `gyre sim` each node (and each restart of it) has its own stream.
   */
  readonly random: Random;
  /** The node's directory for durable state (see {@link NodeOptions.dir}). */
  readonly dir: string;

  private nodeId = '';
  private ids: readonly string[] = [];
  private nextMsgId = 1;
  private readonly handlers = new Map<string, Registered>();
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timers = new Set<TimerHandle>();
  private readonly sleepers = new Set<(err: Error) => void>();
  private readonly writer: LineWriter;
  private readonly logLine: (line: string) => void;
  private readonly input: LineInput | undefined;
  private readonly rpcTimeout: number;
  private readonly logMessages: boolean;
  private running = false;
  private closing: Promise<void> | undefined;

  constructor(options: NodeOptions = {}) {
    const proc = (globalThis as { process?: NodeJS.Process }).process;
    this.clock = options.clock ? nodeClock(options.clock) : realClock();
    const r = options.random;
    this.random = r === undefined ? seededRandom(defaultSeed()) : typeof r === 'string' ? seededRandom(r) : r;
    this.dir = options.dir ?? proc?.cwd() ?? '.';
    this.logLine = options.log ?? ((line) => proc?.stderr.write(line + '\n'));
    const output = options.output ?? proc?.stdout;
    if (!output) throw new Error('createNode: no output given and no process.stdout');
    this.writer = new LineWriter(output, (err) => this.log('output failed, dropping later messages:', err.message));
    this.input = options.input;
    this.rpcTimeout = options.rpcTimeout ?? 5000;
    this.logMessages = options.logMessages ?? false;
  }

  /** This node's id (`"n1"`), set by `init`; `""` before. */
  get id(): string {
    return this.nodeId;
  }

  /** Every node id in the cluster, in test order (this node included), set by `init`; empty before. */
  get nodeIds(): readonly string[] {
    return this.ids;
  }

  /** The other nodes: {@link nodeIds} without {@link id}. */
  get peers(): readonly string[] {
    return this.ids.filter((n) => n !== this.nodeId);
  }

  /** True once `init` has been received. */
  get initialized(): boolean {
    return this.nodeId !== '';
  }

  /** How many RPCs are waiting for a reply (useful in tests: timeouts must leave none behind). */
  get pendingRpcCount(): number {
    return this.pending.size;
  }

  /**
   * Registers the handler for messages of `type`. Its return value, if not `undefined`/`null`, is
   * sent as the reply (with `in_reply_to`; `type` defaults to `<type>_ok`). Throwing an
   * {@link RpcError} replies with that error; throwing anything else replies `crash` (13).
   * An `init` handler runs after `id`/`nodeIds` are set and before the automatic `init_ok`.
   * Registering a type twice throws.
   */
  on(type: string, handler: Handler): this {
    if (this.handlers.has(type)) throw new Error(`a handler for ${JSON.stringify(type)} is already registered`);
    this.handlers.set(type, { handler });
    return this;
  }

  /**
   * Registers a typed handler for an RPC defined with zod schemas (`WORKLOAD_RPCS`, or your own
   * `defineRpc`). The request is validated first (a bad one is answered with `malformed-request`,
   * 12); the handler returns the reply's fields, checked at compile time: a missing or extra field
   * is a type error. A reply that fails the RPC's closed schema at run time is logged.
   *
   * @example
   * ```ts
   * const [echo] = WORKLOAD_RPCS.echo;
   * node.handle(echo, (req) => ({ echo: req.echo }));
   * ```
   */
  handle<D extends RpcDef, R extends ReplyFields<D>>(def: D, handler: TypedHandler<D, NoExtra<R, ReplyFields<D>>>): this {
    const okType = `${def.name}_ok`;
    const complete = (fields: unknown): Body => {
      const body: Body = { type: okType, ...(fields as Body) };
      const problem = checkResponse(def, { ...body, in_reply_to: 0 });
      if (problem) this.log(`warning: ${def.name} reply does not match its schema: ${problem}`);
      return body;
    };
    return this.on(def.name, (msg) => {
      const parsed = def.request.safeParse(msg.body);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(body)'}: ${i.message}`).join('; ');
        throw RpcError.malformedRequest(`malformed ${def.name} request: ${why}`);
      }
      const r = handler(parsed.data as RequestBody<D>, msg as Message<RequestBody<D>>);
      return isPromiseLike(r) ? Promise.resolve(r).then(complete) : complete(r);
    });
  }

  /**
   * Replies to `req`: sends `body` to `req.src` with `in_reply_to` set to the request's `msg_id`;
   * `type` defaults to `<request type>_ok`. A handler that replies this way should return nothing.
   */
  reply(req: Message, body: Body = {}): void {
    Reflect.set(req, REPLIED, true);
    const out: Body = { type: `${String(req.body.type)}_ok`, ...body };
    const inReplyTo = req.body.msg_id;
    if (inReplyTo !== undefined && inReplyTo !== null) out.in_reply_to = inReplyTo;
    this.send(req.src, out);
  }

  /** Sends a message, fire and forget. Adds no `msg_id`. Throws before `init` (there is no `src` yet). */
  send(dest: string, body: Body): void {
    if (!this.nodeId) throw new Error(`cannot send to ${dest} before init: this node has no id yet`);
    const line = encodeMessage({ src: this.nodeId, dest, body });
    if (this.logMessages) this.logLine(`Sent ${line}`);
    this.writer.write(line);
  }

  /**
   * Sends a request (with a fresh `msg_id`, counting from 1) and resolves with the reply body.
   * Rejects with an {@link RpcError} if the reply is an error (any code, 0 included), with
   * `RpcError.timeout()` if no reply comes within `timeout` ms, and with the signal's reason if
   * aborted. A reply arriving after that is dropped; nothing stays registered. After the node's
   * input has ended, pending and new calls reject at once (no reply can arrive any more).
   */
  rpc(dest: string, body: Body, options: RpcOptions = {}): Promise<Body> {
    if (this.closing) return Promise.reject(RpcError.timeout(`node closed: no reply can arrive from ${dest}`));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const msgId = this.nextMsgId++;
    const timeout = options.timeout ?? this.rpcTimeout;
    return new Promise<Body>((resolve, reject) => {
      const p: Pending = { resolve, reject, timer: undefined, signal, onAbort: undefined };
      this.pending.set(msgId, p);
      if (Number.isFinite(timeout)) {
        p.timer = this.clock.setTimeout(() => {
          p.timer = undefined;
          if (this.forget(msgId)) reject(RpcError.timeout(`no reply from ${dest} to ${String(body.type)} (msg_id ${msgId}) within ${timeout} ms`));
        }, timeout);
      }
      if (signal) {
        p.onAbort = () => {
          if (this.forget(msgId)) reject(signal.reason);
        };
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      try {
        this.send(dest, { ...body, msg_id: msgId });
      } catch (e) {
        this.forget(msgId);
        reject(e);
      }
    });
  }

  /** Alias of {@link rpc}, for readers of Maelstrom's Go documentation (`SyncRPC`). */
  syncRpc(dest: string, body: Body, options?: RpcOptions): Promise<Body> {
    return this.rpc(dest, body, options);
  }

  /** A typed {@link rpc}: sends RPC `def` with `fields` to `dest` and resolves with its typed reply body. */
  call<D extends RpcDef>(def: D, dest: string, fields: RequestFields<D>, options?: RpcOptions): Promise<ReplyBody<D>> {
    return this.rpc(dest, { ...(fields as Body), type: def.name }, options) as Promise<ReplyBody<D>>;
  }

  /** Runs `fn` once after `ms` milliseconds of the node's clock. Cancelled if the node closes first. */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      this.guard('timer', fn);
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  /** Cancels a timer from {@link setTimeout}. */
  clearTimeout(handle: TimerHandle): void {
    if (this.timers.delete(handle)) this.clock.clearTimeout(handle);
  }

  /** Resolves after `ms` milliseconds of the node's clock; rejects if the node closes first. */
  sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.reject(new Error('node closed'));
    return new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(err);
      this.sleepers.add(fail);
      this.setTimeout(() => {
        this.sleepers.delete(fail);
        resolve();
      }, ms);
    });
  }

  /**
   * Runs `fn` every `ms` milliseconds of the node's clock (first run `ms` from now), e.g. to
   * gossip. By default runs never overlap: the next run is scheduled `ms` after the previous one
   * has *finished*, and an async `fn` is awaited first, so a tick that awaits RPCs runs every `ms`
   * plus their round trip. Pass `{ overlap: true }` to start a run every `ms` whether or not the
   * previous one has finished. Errors are logged and the schedule continues. Returns a function
   * that stops it; closing the node stops it too.
   */
  every(ms: number, fn: () => unknown, options: EveryOptions = {}): () => void {
    let stopped = false;
    let handle: TimerHandle | undefined;
    const live = (): boolean => !stopped && !this.closing;
    const tick = (): void => {
      handle = undefined;
      if (!live()) return;
      if (options.overlap) {
        handle = this.setTimeout(tick, ms);
        this.guard('periodic task', fn);
        return;
      }
      const done = this.guard('periodic task', fn);
      const next = (): void => {
        if (live()) handle = this.setTimeout(tick, ms);
      };
      if (done) void done.then(next);
      else next();
    };
    handle = this.setTimeout(tick, ms);
    return () => {
      stopped = true;
      if (handle !== undefined) this.clearTimeout(handle);
    };
  }

  /** Logs to the node's log (STDERR by default): arguments joined by spaces, non-strings as JSON. */
  log(...args: unknown[]): void {
    this.logLine(args.map(formatLogArg).join(' '));
  }

  /** A client for a KV service: `'lin-kv'`, `'seq-kv'` or `'lww-kv'`. */
  kv(service: string = 'lin-kv'): KV {
    return new KV(this, service);
  }

  /** A client for the `lin-tso` timestamp oracle. */
  tso(service = 'lin-tso'): TSO {
    return new TSO(this, service);
  }

  /**
   * Handles one line of input (one JSON message, without its newline). {@link run} calls this for
   * every line it reads; a simulator may call it directly. Malformed lines, messages without a
   * string `type`, and replies nobody waits for are logged and skipped.
   */
  receive(line: string): void {
    if (line.trim() === '') return;
    let msg: Message;
    try {
      const v = parseJson(line) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
      const { src, body } = v as { src?: unknown; body?: unknown };
      if (typeof src !== 'string') throw new Error('no string src');
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('no body object');
      msg = v as Message;
    } catch (e) {
      this.log(`skipping malformed input line (${(e as Error).message}): ${line.length > 200 ? line.slice(0, 200) + '…' : line}`);
      return;
    }
    if (this.logMessages) this.logLine(`Received ${line}`);
    const body = msg.body;
    const type = body.type;
    if (typeof type !== 'string') {
      this.log(`skipping a message without a string type: ${line.length > 200 ? line.slice(0, 200) + '…' : line}`);
      return;
    }
    const inReplyTo = asInt(body.in_reply_to);
    if (inReplyTo !== undefined) {
      const p = this.pending.get(inReplyTo);
      if (p) {
        this.forget(inReplyTo);
        if (type === 'error') {
          const { type: _t, code, text, in_reply_to: _i, msg_id: _m, ...extra } = body;
          p.reject(new RpcError(asInt(code) ?? 13, typeof text === 'string' ? text : undefined, extra));
        } else {
          p.resolve(body);
        }
        return;
      }
    }
    if (type === 'init') {
      this.dispatchInit(msg);
      return;
    }
    const reg = this.handlers.get(type);
    if (reg) {
      this.dispatch(msg, reg.handler);
      return;
    }
    if (inReplyTo !== undefined || type === 'error') {
      this.log(`ignoring ${type} from ${msg.src} in reply to ${inReplyTo ?? '?'}: no RPC is waiting for it`);
      return;
    }
    this.log(`no handler for ${type} from ${msg.src}`);
    if (body.msg_id !== undefined && body.msg_id !== null) {
      this.reply(msg, RpcError.notSupported(`this node does not handle ${JSON.stringify(type)} messages`).toBody());
    }
  }

  /**
   * Reads the input to its end, dispatching every message, then {@link close}s: resolves when
   * the input has ended and every handler in flight has finished.
   */
  async run(): Promise<void> {
    if (this.running) throw new Error('node.run() called twice');
    this.running = true;
    const input = this.input ?? (globalThis as { process?: NodeJS.Process }).process?.stdin;
    if (!input) throw new Error('createNode: no input given and no process.stdin');
    try {
      await readLines(input, (line) => this.receive(line));
    } catch (e) {
      this.log('input failed:', e);
    }
    await this.close();
  }

  /**
   * Shuts the node down: stops periodic tasks and timers, rejects pending RPCs and sleeps
   * (`RpcError.timeout`, `Error('node closed')`), waits for handlers in flight, flushes output.
   * Idempotent. {@link run} calls it at end of input.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    const sleepers = [...this.sleepers];
    this.sleepers.clear();
    for (const s of sleepers) s(new Error('node closed'));
    for (const [id, p] of [...this.pending]) {
      this.forget(id);
      p.reject(RpcError.timeout('node closed before a reply arrived'));
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.writer.flush();
  }

  private forget(msgId: number): boolean {
    const p = this.pending.get(msgId);
    if (!p) return false;
    this.pending.delete(msgId);
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    return true;
  }

  /** Runs `fn`, logging a throw or rejection; returns the tracked promise if it was async. */
  private guard(what: string, fn: () => unknown): Promise<void> | undefined {
    let r: unknown;
    try {
      r = fn();
    } catch (e) {
      this.log(`${what} failed:`, e);
      return undefined;
    }
    if (!isPromiseLike(r)) return undefined;
    return this.track(
      Promise.resolve(r).then(
        () => {},
        (e: unknown) => this.log(`${what} failed:`, e),
      ),
    );
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  private dispatch(msg: Message, handler: Handler, after?: () => void): void {
    let r: HandlerResult | Promise<HandlerResult>;
    try {
      r = handler(msg);
    } catch (e) {
      this.failed(msg, e);
      return;
    }
    if (isPromiseLike(r)) {
      this.track(
        Promise.resolve(r).then(
          (v) => this.answered(msg, v, after),
          (e: unknown) => this.failed(msg, e),
        ),
      );
    } else {
      this.answered(msg, r, after);
    }
  }

  private answered(msg: Message, r: HandlerResult, after: (() => void) | undefined): void {
    try {
      if (r !== undefined && r !== null && !hasReplied(msg)) this.reply(msg, r);
      after?.();
    } catch (e) {
      this.log('failed to send a reply:', e);
    }
  }

  private failed(msg: Message, e: unknown): void {
    try {
      const err = RpcError.is(e) ? e : RpcError.crash(e instanceof Error ? e.message : String(e));
      if (!RpcError.is(e)) this.log(`handler for ${String(msg.body.type)} from ${msg.src} crashed:`, e);
      if (!hasReplied(msg) && msg.body.msg_id !== undefined && msg.body.msg_id !== null) this.reply(msg, err.toBody());
    } catch (e2) {
      this.log('failed to send an error reply:', e2);
    }
  }

  private dispatchInit(msg: Message): void {
    const { node_id: id, node_ids: ids } = msg.body;
    if (typeof id !== 'string' || id === '' || !Array.isArray(ids) || !ids.every((n) => typeof n === 'string')) {
      this.log('malformed init message:', msg.body);
      if (typeof id === 'string' && id !== '') this.nodeId = id;
      if (this.nodeId) this.reply(msg, RpcError.malformedRequest('init needs node_id (a string) and node_ids (strings)').toBody());
      return;
    }
    this.nodeId = id;
    this.ids = Object.freeze([...(ids as string[])]);
    const user = this.handlers.get('init');
    if (!user) {
      this.reply(msg, { type: 'init_ok' });
      return;
    }
    this.dispatch(msg, user.handler, () => {
      if (!hasReplied(msg)) this.reply(msg, { type: 'init_ok' });
    });
  }
}

/**
 * Where {@link createNode} looks for a {@link NodeHost}: `globalThis[NODE_HOST]`. A registered
 * symbol (`Symbol.for('gyre.node.host')`), so that every copy of this package loaded in a process
 * (the simulator's and the node's own) finds the same host.
 */
export const NODE_HOST: unique symbol = Symbol.for('gyre.node.host');

/**
 * Something that runs nodes inside itself, such as `gyre sim`. While one is installed as
 * `globalThis[NODE_HOST]`, {@link createNode} asks it for the node instead of making one on
 * STDIN/STDOUT, so a program written to run as a process (`createNode()` at its top level, then
 * `await node.run()`) runs unchanged on the host's clock and network. Nodes never need this.
 */
export interface NodeHost {
  /**
   * Makes the node for `createNode(options)`. `make` builds a node from options (typically
   * `make({ ...options, input, output, clock, log })` with the host's own); a throw makes
   * `createNode` throw.
   */
  createNode(options: NodeOptions, make: (options: NodeOptions) => Node): Node;
}

/**
 * Creates a node. With no options it reads STDIN, writes STDOUT, logs to STDERR and uses real
 * time; pass `input`, `output`, `clock` and `log` to run it elsewhere (tests, simulators). Under
 * `gyre sim` (a {@link NodeHost} is installed), the simulator makes the node: same handlers, its
 * own network, clock and randomness.
 *
 * @example
 * ```ts
 * const node = createNode();
 * node.on('echo', (msg) => ({ echo: msg.body.echo }));
 * await node.run();
 * ```
 */
export function createNode(options: NodeOptions = {}): Node {
  const host = (globalThis as { [NODE_HOST]?: NodeHost })[NODE_HOST];
  return host ? host.createNode(options, (o) => new Node(o)) : new Node(options);
}
