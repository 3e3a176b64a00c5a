// The tokenizers of the metric layer, and the named set that result signatures refer to
// (`tok:<name>`).

import { nltkTokenize } from "./nltk-tokenize.js";
import { treebankWordTokenize } from "./treebank.js";
import { pythonSplit } from "./whitespace.js";

export { pythonSplit } from "./whitespace.js";
export { punktSentences } from "./punkt.js";
export { treebankWordTokenize, type TreebankOptions } from "./treebank.js";
export { nistInternationalTokenize } from "./nist.js";
export { nltkTokenize, isPrintableLatin1 } from "./nltk-tokenize.js";

/** The tokenizers by the names result signatures use (`tok:<name>`). */
export const TOKENIZER_NAMES = ["split", "treebank", "nltk_tokenize"] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export const TOKENIZERS: Record<TokenizerName, (text: string) => string[]> = {
  /** Python `str.split()` */
  split: pythonSplit,
  /** `nltk.word_tokenize(text, preserve_line=True)`: no sentence splitting */
  treebank: (text) => treebankWordTokenize(text, { preserveLine: true }),
  /** promptflow-evals `nltk_tokenize` */
  nltk_tokenize: nltkTokenize,
};
