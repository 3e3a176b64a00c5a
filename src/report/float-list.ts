// A growable array of doubles: a million rewards in 8 MB, where an array of numbers costs more
// and grows by copying just the same.

export class Float64List {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The values pushed so far (a view: valid until the next push). */
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
