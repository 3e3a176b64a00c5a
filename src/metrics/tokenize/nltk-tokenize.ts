// promptflow-evals' `nltk_tokenize` (the "pf" tokenizer behind Azure OpenAI's hosted bleu grader):
// printable Latin-1 text goes through `nltk.word_tokenize`, anything else through NLTK's NIST
// international tokenizer. One newline, tab, curly quote or emoji switches the whole text.

import { nistInternationalTokenize } from "./nist.js";
import { textUnits } from "./chunk-memo.js";
import { tokenizeUnits } from "./treebank.js";

/** A char outside U+0020–U+007E and U+00A0–U+00FF (in UTF-16 units: a surrogate is outside too). */
const NOT_PRINTABLE_LATIN1 = /[^\x20-\x7e\xa0-\xff]/;

/** Every char in U+0020–U+007E or U+00A0–U+00FF (the empty string qualifies). */
export function isPrintableLatin1(text: string): boolean {
  return !NOT_PRINTABLE_LATIN1.test(text);
}

/** The `nltk_tokenize` of promptflow-evals / graderkit's default for bleu, gleu and meteor. */
export function nltkTokenize(text: string): string[] {
  if (!isPrintableLatin1(text)) return nistInternationalTokenize(text);
  return tokenizeUnits(text, textUnits(text), false);
}
