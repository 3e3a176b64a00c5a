// Results finish in any order; they are released in the order they were handed out (0, 1, 2,
// ...). Used by the ordered sink of runFile (blocks or rows) and by gradeRows.

export class Reorder<T> {
  private readonly held = new Map<number, T>();
  private next = 0;

  constructor(private readonly release: (value: T) => void) {}

  /** Item `seq` is done: release it, and every item after it that is already here, in order. */
  put(seq: number, value: T): void {
    if (seq !== this.next) {
      this.held.set(seq, value);
      return;
    }
    this.release(value);
    this.next++;
    while (this.held.has(this.next)) {
      const v = this.held.get(this.next) as T;
      this.held.delete(this.next);
      this.release(v);
      this.next++;
    }
  }

  /** How many items have been released (all of 0 .. released-1). */
  get released(): number {
    return this.next;
  }
}
