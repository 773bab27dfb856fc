/**
 * An in-memory transport: feeds a node's input and captures its output without processes or
 * pipes. For unit tests of node logic, and as the simplest way to host a node in-process.
 */
import { parseJson } from '@gyre/history';
import { encodeMessage, type Body, type Message } from '@gyre/protocol';

/** A message to deliver: `id` is optional, as on the wire. */
export type Incoming = { id?: number; src: string; dest: string; body: Body };

/** See {@link memoryTransport}. */
export interface MemoryTransport {
  /** Give this to `createNode({ input })`. Yields what {@link push} and {@link write} add, until {@link end}. */
  readonly input: AsyncIterable<string>;
  /** Give this to `createNode({ output })`. */
  readonly output: (line: string) => void;
  /** Every line the node has written, in order. */
  readonly lines: readonly string[];
  /** The node's output, decoded losslessly. */
  messages(): Message[];
  /** Delivers a message to the node (encoded losslessly, with a newline). */
  push(msg: Incoming): void;
  /** Delivers raw text to the node, as is (no newline added). */
  write(text: string): void;
  /** Ends the node's input (EOF). Later pushes are ignored. */
  end(): void;
  /** The next output message not yet returned by `next`, waiting for it if need be. */
  next(): Promise<Message>;
  /** The first output message (already written or future) matching `pred`. */
  waitFor(pred: (msg: Message) => boolean): Promise<Message>;
  /** Calls `fn` with every message the node writes from now on (e.g. to play a service). */
  onMessage(fn: (msg: Message) => void): void;
}

/** Creates a {@link MemoryTransport}. */
export function memoryTransport(): MemoryTransport {
  const chunks: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const lines: string[] = [];
  const decoded: Message[] = [];
  const listeners: ((msg: Message) => void)[] = [];
  const watchers: { pred: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  let cursor = 0;

  const input: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (chunks.length > 0) yield chunks.shift()!;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
  const add = (text: string): void => {
    if (ended) return;
    chunks.push(text);
    wake?.();
  };
  const output = (line: string): void => {
    lines.push(line);
    const msg = parseJson(line) as unknown as Message;
    decoded.push(msg);
    for (let i = 0; i < watchers.length; ) {
      const w = watchers[i]!;
      if (w.pred(msg)) {
        watchers.splice(i, 1);
        w.resolve(msg);
      } else i++;
    }
    for (const l of listeners) l(msg);
  };
  const waitFor = (pred: (m: Message) => boolean): Promise<Message> => {
    const found = decoded.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => watchers.push({ pred, resolve }));
  };
  return {
    input,
    output,
    lines,
    messages: () => decoded.slice(),
    push: (msg) => add(encodeMessage(msg) + '\n'),
    write: add,
    end: () => {
      ended = true;
      wake?.();
    },
    next: () => {
      const i = cursor++;
      return waitFor((m) => decoded.indexOf(m) === i);
    },
    waitFor,
    onMessage: (fn) => listeners.push(fn),
  };
}
