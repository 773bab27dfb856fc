/**
 * Lines of bytes that arrive chunk by chunk (a file read a megabyte at a time), for readers that
 * scan bytes instead of decoding the whole input into one string.
 */

const NL = 10;

/**
 * Splits bytes pushed chunk by chunk into lines and hands each to `line(bytes, start, bound)`: the
 * line starts at `start`, and its newline, if it has one, is before `bound` (a reader that scans a
 * line to its end need not look for the newline first). `line` returns where the next line starts:
 * one past the newline. Bytes after a chunk's last newline wait for the next chunk, copied (a chunk
 * may be reused once {@link push} returns); {@link end} hands over the last line, one without a
 * newline.
 */
export class ChunkedLines {
  private carry = new Uint8Array(0);
  private carryLen = 0;

  constructor(private readonly line: (bytes: Uint8Array, start: number, bound: number) => number) {}

  /** Hands over the complete lines of `chunk` and keeps the rest. */
  push(chunk: Uint8Array): void {
    let s = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(NL);
      this.keep(chunk, 0, nl < 0 ? chunk.length : nl + 1);
      if (nl < 0) return;
      this.line(this.carry, 0, this.carryLen);
      this.carryLen = 0;
      s = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= s) {
      const bound = last + 1;
      while (s < bound) s = this.line(chunk, s, bound);
    }
    if (s < chunk.length) this.keep(chunk, s, chunk.length);
  }

  /** Hands over the last line, when the input does not end with a newline. */
  end(): void {
    if (this.carryLen > 0) {
      this.line(this.carry, 0, this.carryLen);
      this.carryLen = 0;
    }
  }

  private keep(chunk: Uint8Array, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const c = new Uint8Array(Math.max(need, this.carry.length * 2, 4096));
      c.set(this.carry.subarray(0, this.carryLen));
      this.carry = c;
    }
    this.carry.set(chunk.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }
}
