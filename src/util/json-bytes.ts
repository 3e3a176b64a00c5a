// JSON written straight into UTF-8 byte buffers, for output that is mostly made of the same parts
// row after row (graderkit run's rows). Building each row as a string and encoding it afterwards
// cost more than grading a rouge_l pair: the string is a rope of many pieces that is walked to be
// flattened and again to be encoded, and V8's JSON.stringify converts every number anew. Here the
// constant parts are pre-encoded bytes that are copied, and the last few numbers and strings
// written are remembered (a text_similarity row's reward, score and fmeasure are one number).
//
// `value` writes exactly the bytes of JSON.stringify(v) for the plain values it walks (numbers,
// strings, booleans, null, plain objects and arrays) and hands anything else, whole, to
// JSON.stringify itself: class instances, toJSON, BigInt (which throws, as JSON.stringify does),
// and values nested deeper than MAX_DEPTH (so a cycle ends in JSON.stringify's own TypeError).

const MAX_DEPTH = 32;
const REMEMBERED = 4; // numbers, and strings, remembered (a ring each)
const REMEMBERED_STRING_CHARS = 256;
const KEY_CACHE_SIZE = 4096;

/** UTF-8 bytes of a string, to copy into rows with `JsonBytes.bytes`. */
export function utf8Bytes(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

const OBJECT_PROTOTYPE = Object.prototype;
const ARRAY_PROTOTYPE = Array.prototype;

// `,"key":`, pre-encoded (the first key of an object is written without its comma): object keys
// repeat from row to row.
const keyBytes = new Map<string, Buffer>();
function keyOf(key: string): Buffer {
  let bytes = keyBytes.get(key);
  if (bytes === undefined) {
    bytes = utf8Bytes("," + JSON.stringify(key) + ":");
    if (keyBytes.size < KEY_CACHE_SIZE) keyBytes.set(key, bytes);
  }
  return bytes;
}

// Below this many bytes a loop copies faster than TypedArray.set, a native call.
const SHORT_COPY = 48;

/**
 * Buffers of pieces that were written out, for new pieces: a process that keeps pieces a while
 * (a pool process holding rows until their turn) would otherwise leave their memory to the next
 * full garbage collection, since pieces that live that long are out of the young generation.
 */
export class SpareBuffers {
  private readonly spare: Buffer[] = [];

  constructor(
    /** The size of the buffers kept: a JsonBytes's own (bufferBytes of its pieceBytes). */
    readonly size: number,
    private readonly most: number,
  ) {}

  /** A buffer of `size` bytes, spare or new. */
  take(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Pieces that are written out and will not be read again. */
  give(pieces: readonly Uint8Array[]): void {
    for (const piece of pieces) {
      const buffer = piece.buffer;
      if (buffer.byteLength === this.size && this.spare.length < this.most) this.spare.push(Buffer.from(buffer));
    }
  }
}

/** The size of a JsonBytes's buffers: a little over a piece, so the record that crosses pieceBytes usually still fits. */
export function bufferBytes(pieceBytes: number): number {
  return pieceBytes + (pieceBytes >> 2);
}

/** The bytes `write` writes into a JsonBytes, as one buffer (constant parts built once, tests). */
export function writtenBytes(write: (out: JsonBytes) => void): Buffer {
  const out = new JsonBytes(1024);
  write(out);
  out.endRecord();
  const bytes = Buffer.concat(out.take());
  return bytes.subarray(0, bytes.length - 1);
}

/**
 * A sequence of records (rows), each a run of bytes the caller ends with `endRecord`, cut into
 * pieces of about `pieceBytes` between records. Each piece has an ArrayBuffer of its own (a
 * worker thread transfers them).
 */
export class JsonBytes {
  private buffer: Buffer;
  private at = 0;
  private recordStart = 0;
  private pieces: Uint8Array[] = [];
  private numbers = new Float64Array(REMEMBERED).fill(NaN);
  private numberTexts: string[] = new Array<string>(REMEMBERED).fill("null");
  private nextNumber = 0;
  private strings: string[] = new Array<string>(REMEMBERED).fill("");
  private stringBytes: Buffer[] = new Array<Buffer>(REMEMBERED).fill(utf8Bytes('""'));
  private nextString = 0;

  private readonly bufferBytes: number;

  constructor(
    private readonly pieceBytes: number,
    private readonly spare: SpareBuffers | null = null,
  ) {
    this.bufferBytes = bufferBytes(pieceBytes);
    this.buffer = this.newBuffer(this.bufferBytes);
  }

  /** The pieces of the records written so far; the next record starts a new piece. */
  take(): Uint8Array[] {
    this.closePiece();
    const pieces = this.pieces;
    this.pieces = [];
    return pieces;
  }

  /** End the current record with a newline. */
  endRecord(): void {
    this.byte(10);
    this.recordStart = this.at;
    if (this.at >= this.pieceBytes) this.closePiece();
  }

  /** Copy pre-encoded bytes (utf8Bytes), from index `from` on. */
  bytes(bytes: Uint8Array, from = 0): void {
    const n = bytes.length - from;
    this.room(n);
    if (n >= SHORT_COPY) {
      this.buffer.set(from === 0 ? bytes : bytes.subarray(from), this.at);
      this.at += n;
      return;
    }
    const buffer = this.buffer;
    let at = this.at;
    for (let i = from; i < bytes.length; i++) buffer[at++] = bytes[i]!;
    this.at = at;
  }

  /** One ASCII character, by code. */
  byte(code: number): void {
    this.room(1);
    this.buffer[this.at++] = code;
  }

  /** A string known to be ASCII (what String(number) gives). */
  ascii(text: string): void {
    const n = text.length;
    this.room(n);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < n; i++) buffer[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** Any string, as UTF-8 (lone surrogates become U+FFFD, as in TextEncoder; JSON text has none). */
  utf8(text: string): void {
    this.room(text.length * 3);
    this.at += this.buffer.write(text, this.at);
  }

  /** A non-negative safe integer (a line number), without going through a string. */
  count(n: number): void {
    if (!(n >= 0 && n <= 0xffffffff && Number.isInteger(n))) return this.number(n);
    this.room(10);
    const buffer = this.buffer;
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    let at = this.at + digits;
    this.at = at;
    do {
      buffer[--at] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** A number as JSON.stringify writes it (null when not finite). */
  number(x: number): void {
    const numbers = this.numbers;
    for (let i = 0; i < REMEMBERED; i++) if (numbers[i] === x) return this.ascii(this.numberTexts[i]!);
    const text = Number.isFinite(x) ? String(x) : "null";
    const slot = this.nextNumber;
    this.nextNumber = (slot + 1) % REMEMBERED;
    numbers[slot] = x;
    this.numberTexts[slot] = text;
    this.ascii(text);
  }

  /** A string as a JSON string. */
  string(text: string): void {
    const strings = this.strings;
    for (let i = 0; i < REMEMBERED; i++) if (strings[i] === text) return this.bytes(this.stringBytes[i]!);
    if (text.length > REMEMBERED_STRING_CHARS) return this.utf8(JSON.stringify(text));
    const bytes = utf8Bytes(JSON.stringify(text));
    const slot = this.nextString;
    this.nextString = (slot + 1) % REMEMBERED;
    strings[slot] = text;
    this.stringBytes[slot] = bytes;
    this.bytes(bytes);
  }

  /** Any value, exactly as JSON.stringify(value) (which must not be undefined). */
  value(value: unknown): void {
    const offset = this.at - this.recordStart;
    if (this.plain(value, 0)) return;
    // Not a plain value: start it again with JSON.stringify (the record may have moved to a new buffer).
    this.at = this.recordStart + offset;
    this.utf8(JSON.stringify(value));
  }

  /** Write a plain JSON value; false (leaving partial bytes) at anything JSON.stringify must see itself. */
  private plain(value: unknown, depth: number): boolean {
    switch (typeof value) {
      case "number":
        this.number(value);
        return true;
      case "string":
        this.string(value);
        return true;
      case "boolean":
        this.ascii(value ? "true" : "false");
        return true;
      case "object":
        if (value === null) {
          this.ascii("null");
          return true;
        }
        if (depth >= MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
        return this.container(value, depth + 1);
      default:
        return false;
    }
  }

  private container(value: object, depth: number): boolean {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype === ARRAY_PROTOTYPE) {
      const array = value as unknown[];
      this.byte(0x5b); // [
      for (let i = 0; i < array.length; i++) {
        if (i > 0) this.byte(0x2c); // ,
        const item = array[i];
        if (item === undefined || typeof item === "function" || typeof item === "symbol") this.ascii("null");
        else if (!this.plain(item, depth)) return false;
      }
      this.byte(0x5d); // ]
      return true;
    }
    if (prototype !== OBJECT_PROTOTYPE && prototype !== null) return false;
    const object = value as Record<string, unknown>;
    this.byte(0x7b); // {
    let first = 1; // skips the comma of the first key
    for (const key of Object.keys(object)) {
      const item = object[key];
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      this.bytes(keyOf(key), first);
      first = 0;
      if (!this.plain(item, depth)) return false;
    }
    this.byte(0x7d); // }
    return true;
  }

  /** Make room for n more bytes: past the end of the buffer, the record so far moves to a new one. */
  private room(n: number): void {
    if (this.at + n > this.buffer.length) this.moveRecord(n);
  }

  /**
   * End the piece at the last whole record. What follows it in the buffer (a record begun) is all
   * that is left of the buffer, so the next write moves it to a buffer of its own (moveRecord):
   * nothing is written into a piece's ArrayBuffer once the piece is handed out.
   */
  private closePiece(): void {
    if (this.recordStart > 0) this.pieces.push(this.buffer.subarray(0, this.recordStart));
    this.buffer = this.buffer.subarray(this.recordStart, this.at);
    this.at -= this.recordStart;
    this.recordStart = 0;
  }

  /** Close the piece and carry the current record on in a new buffer with room for n more bytes. */
  private moveRecord(n: number): void {
    this.closePiece();
    const partial = this.buffer.subarray(0, this.at);
    const next = this.newBuffer(Math.max(this.bufferBytes, 2 * (partial.length + n)));
    next.set(partial, 0);
    this.buffer = next;
    this.at = partial.length;
    this.recordStart = 0;
  }

  private newBuffer(size: number): Buffer {
    return this.spare && size === this.spare.size ? this.spare.take() : Buffer.allocUnsafeSlow(size);
  }
}
