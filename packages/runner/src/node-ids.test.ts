import { describe, expect, it } from 'vitest';
import { NODE_ID_PATTERN, nodeIdsProblem } from './node-ids';

describe('node ids', () => {
  it('accept what Maelstrom users write: n1, node-2, db_3, a.b, 10.0.0.1', () => {
    expect(nodeIdsProblem(['n1', 'node-2', 'db_3', 'a.b', '10.0.0.1', 'N'])).toBeUndefined();
    expect(nodeIdsProblem(['cat', 'c', 'c1x', 'lin-kv2'])).toBeUndefined();
    expect(NODE_ID_PATTERN.test('n'.repeat(100))).toBe(true);
  });

  it('refuse paths, separators, dots alone, empty ids, odd characters and long ids, quoting them safely', () => {
    for (const id of ['../../x', '..', '.', '.hidden', 'a/b', 'a\\b', '', ' n1', 'n 1', 'n1\n', '-n1', 'n\u001b[2J', 'ñ', 'n'.repeat(101)]) {
      const p = nodeIdsProblem(['n1', id]);
      expect(p, JSON.stringify(id)).toMatch(/^Node id ".*is not allowed: a node id is letters, digits/);
      expect(p).not.toMatch(/\u001b/);
    }
  });

  it("refuse clients' ids (c0, c1, …) and services' ids, which the network already uses", () => {
    expect(nodeIdsProblem(['c1', 'n2'])).toMatch(/^Node id "c1" is a client's id: Gyre's clients are c0, c1, c2, …/);
    expect(nodeIdsProblem(['n1', 'c0'])).toMatch(/"c0" is a client's id/);
    for (const s of ['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso']) expect(nodeIdsProblem([s])).toMatch(new RegExp(`^Node id "${s}" is a service's id \\(lin-kv, seq-kv, lww-kv, lin-tso\\)`));
  });

  it('refuse repeats', () => {
    expect(nodeIdsProblem(['a', 'b', 'a'])).toBe('Node ids must be unique, got a, b, a');
  });
});
