/** Something with a delivery deadline and a tie-breaking sequence number. */
export interface Timed {
  deadline: number;
  id: number;
}

/** A binary min-heap ordered by (deadline, id): equal deadlines come out in id order (FIFO). */
export class DeadlineHeap<T extends Timed> {
  readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    const a = this.items;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const y = a[p]!;
      if (y.deadline < x.deadline || (y.deadline === x.deadline && y.id < x.id)) break;
      a[i] = y;
      i = p;
    }
    a[i] = x;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    const n = a.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n) {
        const cr = a[r]!;
        const cl = a[c]!;
        if (cr.deadline < cl.deadline || (cr.deadline === cl.deadline && cr.id < cl.id)) c = r;
      }
      const y = a[c]!;
      if (last.deadline < y.deadline || (last.deadline === y.deadline && last.id < y.id)) break;
      a[i] = y;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
