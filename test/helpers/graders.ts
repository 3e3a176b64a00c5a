// Small graders the testing suites share: an exact match, and a multi of it with a fuzzy match
// ("paris" vs "Paris": exact 0, fuzzy_match 1 - 2/10 = 0.8, reward 0.4).
export const EXACT = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };

export const EXACT_AND_CLOSE = {
  type: "multi",
  name: "mix",
  graders: {
    exact: EXACT,
    close: { type: "text_similarity", name: "close", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", evaluation_metric: "fuzzy_match" },
  },
  calculate_output: "0.5 * exact + 0.5 * close",
};
