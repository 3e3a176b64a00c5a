// promptflow-evals' `nltk_tokenize` (the "pf" tokenizer behind Azure OpenAI's hosted bleu grader):
// printable Latin-1 text goes through `nltk.word_tokenize`, anything else through NLTK's NIST
// international tokenizer. One newline, tab, curly quote or emoji switches the whole text.

import { nistInternationalTokenize } from "./nist.js";
import { textUnits } from "./chunk-memo.js";
import { tokenizeUnits } from "./treebank.js";

/** Every char in U+0020–U+007E or U+00A0–U+00FF (the empty string qualifies). */
export function isPrintableLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Surrogates are >= 0xD800, so checking UTF-16 units is the same as checking code points.
    if (c < 0x20 || c > 0xff || (c >= 0x7f && c < 0xa0)) return false;
  }
  return true;
}

/** The `nltk_tokenize` of promptflow-evals / graderkit's default for bleu, gleu and meteor. */
export function nltkTokenize(text: string): string[] {
  // isPrintableLatin1 on the units that the word tokenizer then reads.
  const u = textUnits(text);
  for (let i = 0; i < text.length; i++) {
    const c = u[i]!;
    if (c < 0x20 || c > 0xff || (c >= 0x7f && c < 0xa0)) return nistInternationalTokenize(text);
  }
  return tokenizeUnits(text, u, false);
}
