import { describe, expect, it } from 'vitest';
import { ChunkedLines } from './lines';

/** The lines `text` splits into when pushed in chunks of `size` bytes (reused between pushes). */
function lines(text: string, size: number): string[] {
  const out: string[] = [];
  const split = new ChunkedLines((b, s, bound) => {
    let e = b.indexOf(10, s);
    if (e < 0 || e >= bound) e = bound;
    out.push(new TextDecoder().decode(b.subarray(s, e)));
    return e + 1;
  });
  const bytes = new TextEncoder().encode(text);
  const chunk = new Uint8Array(size);
  for (let i = 0; i < bytes.length; i += size) {
    const part = bytes.subarray(i, i + size);
    chunk.set(part);
    split.push(chunk.subarray(0, part.length));
    chunk.fill(10);
  }
  split.end();
  return out;
}

describe('ChunkedLines', () => {
  it('hands over every line once, whatever the chunk size, the last one without a newline too', () => {
    const text = 'first\n\nthird line é\r\n' + 'x'.repeat(5000) + '\nlast';
    for (const size of [1, 2, 3, 7, 64, 4096, 100_000]) expect(lines(text, size), `chunks of ${size}`).toEqual(text.split('\n'));
  });

  it('hands over nothing for empty input, and no empty last line after a final newline', () => {
    expect(lines('', 4)).toEqual([]);
    expect(lines('a\nb\n', 3)).toEqual(['a', 'b']);
  });
});
