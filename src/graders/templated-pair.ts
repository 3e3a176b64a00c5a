// string_check and text_similarity both compare a templated `input` with a templated
// `reference`: one compiled pair serves both.

import { compileTemplate, type TemplateScope } from "../templates/template.js";

export interface TemplatedPair {
  render(scope: TemplateScope): [input: string, reference: string];
}

export function compilePair(grader: { input: string; reference: string }): TemplatedPair {
  const input = compileTemplate(grader.input, "/input");
  const reference = compileTemplate(grader.reference, "/reference");
  return { render: (scope) => [input.render(scope), reference.render(scope)] };
}
