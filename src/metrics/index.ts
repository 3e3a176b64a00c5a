// The metric layer's public API: pure functions, text (or tokens) in, a result with a signature out.
// The plain reference ports the tests compare the fast paths with (./reference/) are not part of it.

export type { MetricResult, PRF } from "./types.js";
export { textSimilarity, tokenizeOnce, type LocalMetric } from "./text-similarity.js";
export {
  checkMetricOptions,
  checkMetricOptionsByMetric,
  type MetricOptions,
  type MetricOptionsByMetric,
  type MetricOptionsMap,
} from "./options.js";
export { formatSignature, parseSignature, REFERENCE_LIBRARIES, type Signature } from "./signature.js";
export {
  fuzzyMatch,
  fuzzRatio,
  indelDistance,
  levenshteinDistance,
  type FuzzyMatchOptions,
  type FuzzyMeasure,
  type FuzzyUnits,
} from "./fuzzy-match.js";
export { bleu, sentenceBleu, type BleuMetricOptions, type BleuOptions, type BleuSmoothing } from "./bleu.js";
export { gleu, sentenceGleu, type GleuMetricOptions, type GleuOptions } from "./gleu.js";
export { meteor, meteorScore, type MeteorMetricOptions, type MeteorOptions } from "./meteor.js";
export {
  rouge,
  rougeN,
  rougeL,
  rougeLsum,
  rougeScores,
  type RougeMeasure,
  type RougeMetricOptions,
  type RougeOptions,
  type RougeType,
} from "./rouge.js";
export { cosineSimilarity } from "./cosine.js";
export { porterStem } from "./porter-stemmer.js";
export { synonyms as wordnetSynonyms } from "./wordnet.js";
export {
  nltkTokenize,
  nistInternationalTokenize,
  punktSentences,
  pythonSplit,
  treebankWordTokenize,
  TOKENIZERS,
  TOKENIZER_NAMES,
  type TokenizerName,
} from "./tokenize/index.js";
export { rougeTokenize } from "./tokenize/rouge.js";
