/**
 * Gyre's internal clients (`c0`, `c1`, ...): synchronous RPC with one request outstanding, as
 * Maelstrom's are. Replies that do not answer the outstanding request are discarded.
 */
import type { Clock, TimerHandle } from '@gyre/history';
import { RpcError, checkResponse, type Body, type RpcDef, type Message } from '@gyre/protocol';
import { MalformedReplyError, type ClientConn } from '@gyre/workloads';
import type { Router } from '@gyre/net';

interface Waiting {
  msgId: number;
  resolve: (b: Body) => void;
  reject: (e: unknown) => void;
  timer: TimerHandle;
}

/** One client connection to one node. */
export class Client implements ClientConn {
  private msgId = 0;
  private waiting: Waiting | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    readonly node: string,
    private readonly router: Router,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly onClose?: (c: Client) => void,
  ) {
    router.register(id, (m) => this.onMessage(m));
  }

  private onMessage(m: Message): void {
    const w = this.waiting;
    const irt = m.body?.in_reply_to;
    if (!w || irt === undefined || Number(irt) !== w.msgId) return;
    this.waiting = undefined;
    this.clock.clearTimeout(w.timer);
    w.resolve(m.body);
  }

  /** Sends a raw request body (msg_id added) and resolves with the reply body; rejects with RpcError(0) on timeout. */
  request(body: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<Body> {
    if (this.closed) return Promise.reject(new Error(`client ${this.id} is closed`));
    if (this.waiting) return Promise.reject(new Error(`client ${this.id} already has a request outstanding`));
    const msgId = ++this.msgId;
    return new Promise<Body>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        if (this.waiting?.msgId !== msgId) return;
        this.waiting = undefined;
        reject(new ClientTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiting = { msgId, resolve, reject, timer };
      const r = this.router.send({ src: this.id, dest: this.node, body: { ...body, msg_id: msgId } });
      if (!r.ok) {
        this.waiting = undefined;
        this.clock.clearTimeout(timer);
        reject(new Error(r.reason));
      }
    });
  }

  async call(rpc: RpcDef, body: Record<string, unknown>): Promise<Body> {
    const request = { type: rpc.name, ...body };
    const reply = await this.request(request);
    if (reply.type === 'error') {
      const code = reply['code'];
      if (typeof code !== 'number' || !Number.isInteger(code)) {
        throw new MalformedReplyError(rpc.name, request, reply, `error reply without an integer "code"`);
      }
      const { type: _t, code: _c, text, in_reply_to: _i, msg_id: _m, ...extra } = reply;
      throw new RpcError(code, typeof text === 'string' ? text : undefined, extra);
    }
    const problems = checkResponse(rpc, reply);
    if (problems) throw new MalformedReplyError(rpc.name, request, reply, problems);
    return reply;
  }

  /** Unregisters the client; a node replying to it later hits an unknown destination. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.waiting;
    this.waiting = undefined;
    if (w) {
      this.clock.clearTimeout(w.timer);
      w.reject(new Error(`client ${this.id} closed`));
    }
    this.router.unregister(this.id);
    this.onClose?.(this);
  }
}

/** The harness's own timeout (as opposed to a node replying with error code 0). */
export class ClientTimeoutError extends RpcError {
  constructor(ms: number) {
    super(0, `Client read timeout after ${ms} ms`);
  }
}
