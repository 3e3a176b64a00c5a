// The id fast path (RougeVocabulary.internText: ASCII case folding by table, pooled token
// characters) must give the same token sequence as the string tokenizer, ASCII or not.
import { describe, expect, it } from "vitest";
import { newTokenIds, RougeVocabulary, rougeTokenize } from "../../src/metrics/tokenize/rouge.js";

const PIECES = [
  "a", "B", "z", "Q", "0", "9", " ", "  ", ",", "-", "_", "'", ".", "\n", "\t",
  "the", "THE", "The", "dog", "dogs", "x1", "İ", "\u212A", "é", "É", "ß", "Ω", "д", "中", "😀", "\ud800",
];

function randomText(rand: () => number, asciiOnly: boolean): string {
  let t = "";
  const n = Math.floor(rand() * 40);
  for (let i = 0; i < n; i++) {
    let p = PIECES[Math.floor(rand() * PIECES.length)]!;
    if (asciiOnly) while (/[^\x00-\x7f]/.test(p)) p = PIECES[Math.floor(rand() * PIECES.length)]!;
    t += p;
  }
  return t;
}

/** Expected ids: first occurrence order over the concatenated token lists. */
function expectedIds(texts: string[]): number[][] {
  const ids = new Map<string, number>();
  return texts.map((text) => rougeTokenize(text).map((token) => {
    if (!ids.has(token)) ids.set(token, ids.size);
    return ids.get(token)!;
  }));
}

describe("RougeVocabulary", () => {
  it("internText matches rougeTokenize + first-seen ids", () => {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const vocabulary = new RougeVocabulary();
    const a = newTokenIds(1);
    const b = newTokenIds(1);
    for (let round = 0; round < 3000; round++) {
      const texts = [randomText(rand, round % 2 === 0), randomText(rand, round % 3 === 0)];
      vocabulary.reset();
      vocabulary.internText(texts[0]!, a);
      vocabulary.internText(texts[1]!, b);
      const got = [Array.from(a.buffer.subarray(0, a.length)), Array.from(b.buffer.subarray(0, b.length))];
      const want = expectedIds(texts);
      // A non-ASCII bail-out may intern a token early, so compare the partition, not raw ids.
      const canon = (lists: number[][]) => {
        const m = new Map<number, number>();
        return lists.map((l) => l.map((id) => (m.has(id) ? m.get(id)! : (m.set(id, m.size), m.size - 1))));
      };
      expect(canon(got), JSON.stringify(texts)).toEqual(want);
    }
  });

  it("idOf and internText agree, across table growth", () => {
    const vocabulary = new RougeVocabulary();
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
    const ids = newTokenIds(1);
    vocabulary.reset();
    vocabulary.internText(words.join(" ").toUpperCase(), ids);
    expect(vocabulary.size).toBe(5000);
    for (let i = 0; i < words.length; i++) expect(vocabulary.idOf(words[i]!)).toBe(ids.buffer[i]);
    expect(vocabulary.idOf("ω")).toBe(5000);
    expect(vocabulary.idOf("ω")).toBe(5000);
  });
});
