/**
 * Line framing for a node's STDIN and STDOUT: reading newline-delimited text of any line length
 * from a byte or text stream, and a single writer that respects backpressure.
 */

/**
 * Something a node can read its messages from: a Node.js `Readable` (process.stdin), or any
 * iterable or async iterable of text or byte chunks.
 */
export type LineInput = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** The part of a Node.js `Writable` (process.stdout) the writer uses. */
export interface WritableLike {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Where a node writes its messages: a function receiving each line (without newline) or a writable stream. */
export type LineOutput = ((line: string) => void) | WritableLike;

/**
 * Reads `input` to its end and calls `onLine` with every line, without its `\n` (and without a
 * `\r` before it). Lines may be of any length; a last line without a trailing newline is
 * delivered at EOF. Chunks are framed as a stream: a line may span chunks, a chunk may hold many.
 */
export async function readLines(input: LineInput, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  let partial: string[] = [];
  const feed = (text: string): void => {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = text.slice(start, nl);
      if (partial.length > 0) {
        partial.push(line);
        line = partial.join('');
        partial = [];
      }
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    if (start < text.length) partial.push(start === 0 ? text : text.slice(start));
  };
  for await (const chunk of input) {
    feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  feed(decoder.decode());
  if (partial.length > 0) {
    const line = partial.join('');
    partial = [];
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/**
 * The one writer of a node's output. Each line goes out immediately while the stream accepts
 * data; once it signals backpressure, later lines wait in order and go out together on `drain`.
 * A stream error (EPIPE when Gyre has gone away) is reported once and later lines are dropped.
 */
export class LineWriter {
  private readonly queue: string[] = [];
  private blocked = false;
  private failed = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly out: LineOutput,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    if (typeof out !== 'function') {
      out.on('error', (err) => {
        if (!this.failed) this.onError(err);
        this.failed = true;
        this.blocked = false;
        this.queue.length = 0;
        this.release();
      });
    }
  }

  /** Writes one line (a newline is appended for streams). */
  write(line: string): void {
    const out = this.out;
    if (typeof out === 'function') {
      out(line);
      return;
    }
    if (this.failed) return;
    if (this.blocked) {
      this.queue.push(line, '\n');
      return;
    }
    this.push(line + '\n');
  }

  /** Resolves once every line written so far has been handed to the stream. */
  flush(): Promise<void> {
    if (!this.blocked) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private push(text: string): void {
    const out = this.out as WritableLike;
    if (!out.write(text)) {
      this.blocked = true;
      out.once('drain', this.onDrain);
    }
  }

  private readonly onDrain = (): void => {
    this.blocked = false;
    if (this.failed) return;
    if (this.queue.length > 0) {
      const text = this.queue.join('');
      this.queue.length = 0;
      this.push(text);
    }
    if (!this.blocked) this.release();
  };

  private release(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
