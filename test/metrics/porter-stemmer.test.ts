import { describe, expect, it } from "vitest";
import { porterStem, porterStemOfLowerCase } from "../../src/metrics/porter-stemmer.js";

// Expected stems are nltk 3.9 PorterStemmer() (NLTK_EXTENSIONS) output, obtained by running
// nltk's own porter.py on each word; the comments name the rule that decides.
const NLTK_STEMS: [word: string, stem: string][] = [
  // Irregular-forms pool (NLTK_EXTENSIONS only)
  ["dying", "die"], ["lying", "lie"], ["tying", "tie"], ["sky", "sky"], ["skies", "sky"],
  ["news", "news"], ["innings", "inning"], ["outings", "outing"], ["cannings", "canning"],
  ["howe", "howe"], ["proceed", "proceed"], ["exceed", "exceed"], ["succeed", "succeed"],
  // The pool is keyed by the word before lower-casing, so capitalised forms are stemmed normally.
  ["Sky", "ski"], ["SKIES", "ski"], ["Running", "run"],
  // Step 1a, with NLTK's 4-letter 'ies' -> 'ie'
  ["caresses", "caress"], ["ponies", "poni"], ["ties", "tie"], ["dies", "die"], ["flies", "fli"],
  ["caress", "caress"], ["cats", "cat"], ["yes", "ye"], ["was", "wa"],
  // Step 1b, with NLTK's 'ied' rule
  ["feed", "feed"], ["agreed", "agre"], ["plastered", "plaster"], ["bled", "bled"],
  ["motoring", "motor"], ["sing", "sing"], ["conflated", "conflat"], ["troubled", "troubl"],
  ["sized", "size"], ["hopping", "hop"], ["tanned", "tan"], ["falling", "fall"],
  ["hissing", "hiss"], ["fizzed", "fizz"], ["failing", "fail"], ["filing", "file"],
  ["died", "die"], ["spied", "spi"], ["played", "play"], ["crying", "cri"],
  // Step 1c: y -> i only after a consonant that is not the whole stem
  ["happy", "happi"], ["enjoy", "enjoy"], ["toy", "toy"], ["fly", "fli"], ["spy", "spi"],
  ["try", "tri"], ["syzygy", "syzygi"], ["yyyy", "yyyi"],
  // Step 2 (bli -> ble, alli first, fulli, logi with the l kept in the measure)
  ["relational", "relat"], ["conditional", "condit"], ["rational", "ration"],
  ["valenci", "valenc"], ["hesitanci", "hesit"], ["digitizer", "digit"],
  ["conformabli", "conform"], ["radicalli", "radic"], ["differentli", "differ"],
  ["vileli", "vile"], ["analogousli", "analog"], ["vietnamization", "vietnam"],
  ["predication", "predic"], ["operator", "oper"], ["feudalism", "feudal"],
  ["decisiveness", "decis"], ["hopefulness", "hope"], ["callousness", "callous"],
  ["formaliti", "formal"], ["sensitiviti", "sensit"], ["sensibiliti", "sensibl"],
  ["generously", "gener"], ["hopefully", "hope"], ["beautifully", "beauti"],
  ["geology", "geolog"], ["theology", "theolog"], ["archaeology", "archaeolog"],
  // Step 3
  ["triplicate", "triplic"], ["formative", "form"], ["formalize", "formal"],
  ["electriciti", "electr"], ["electrical", "electr"], ["hopeful", "hope"], ["goodness", "good"],
  // Step 4
  ["revival", "reviv"], ["allowance", "allow"], ["inference", "infer"], ["airliner", "airlin"],
  ["gyroscopic", "gyroscop"], ["adjustable", "adjust"], ["defensible", "defens"],
  ["irritant", "irrit"], ["replacement", "replac"], ["adjustment", "adjust"],
  ["dependent", "depend"], ["adoption", "adopt"], ["homologou", "homolog"],
  ["communism", "commun"], ["activate", "activ"], ["angulariti", "angular"],
  ["homologous", "homolog"], ["effective", "effect"], ["bowdlerize", "bowdler"],
  // Step 5
  ["probate", "probat"], ["rate", "rate"], ["cease", "ceas"], ["controll", "control"],
  ["roll", "roll"], ["controlling", "control"],
  // Words of one or two characters are only lower-cased
  ["is", "is"], ["as", "as"], ["at", "at"], ["By", "by"], ["A", "a"],
];

describe("porterStem matches nltk PorterStemmer (NLTK_EXTENSIONS)", () => {
  it.each(NLTK_STEMS)("%s -> %s", (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it("gives the same answer from the cache", () => {
    for (const [word, stem] of NLTK_STEMS) expect(porterStem(word)).toBe(stem);
  });

  it("handles the empty string", () => {
    expect(porterStem("")).toBe("");
  });

  it("lower-cases non-ASCII words and treats their letters as consonants", () => {
    // nltk: 'İstanbul' -> 'i̇stanbul' (lower() adds U+0307), 'Cafés' -> 'café'.
    expect(porterStem("İstanbul")).toBe("i\u0307stanbul");
    expect(porterStem("Cafés")).toBe("café");
  });

  it("counts astral characters as one letter each, as Python does", () => {
    // nltk: '😀😀ing' -> '😀😀ing' (no vowel before 'ing'); 'a😀😀ing' -> 'a😀' (double consonant
    // undoubled); 'x😀😀ed' -> 'x😀😀ed'.
    expect(porterStem("😀😀ing")).toBe("😀😀ing");
    expect(porterStem("a😀😀ing")).toBe("a😀");
    expect(porterStem("x😀😀ed")).toBe("x😀😀ed");
    // Two code points, three or four UTF-16 units: short enough to be returned unstemmed.
    expect(porterStem("😀S")).toBe("😀s");
    expect(porterStem("😀😀")).toBe("😀😀");
  });
});

describe("porterStemOfLowerCase (METEOR's stems of lower-cased words)", () => {
  it("rests on toLowerCase changing nothing the second time, for every code point", () => {
    const changed: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const lower = String.fromCodePoint(c).toLowerCase();
      if (lower.toLowerCase() !== lower) changed.push(c);
    }
    expect(changed).toEqual([]);
  });

  it("is porterStem of the lower-cased word", () => {
    const words = [...NLTK_STEMS.map(([word]) => word), "", "İstanbul", "Cafés", "😀😀ing", "a😀😀ing", "x😀😀ed", "😀S", "😀😀", "SKIES", "Dying"];
    for (const word of words) {
      const lower = word.toLowerCase();
      expect(porterStemOfLowerCase(lower), word).toBe(porterStem(lower));
    }
  });
});
