// string_check (spec §3): exact comparisons, no trimming. like/ilike are substring tests,
// not SQL wildcards.

import type { StringCheckGrader, StringCheckOperation } from "../schema/types.js";
import { compilePair } from "./templated-pair.js";
import type { GraderCompiler } from "./types.js";

export const STRING_CHECK_OPERATIONS: Record<StringCheckOperation, (input: string, reference: string) => boolean> = {
  eq: (input, reference) => input === reference,
  ne: (input, reference) => input !== reference,
  like: (input, reference) => input.includes(reference),
  // Full Unicode lower-casing on both sides (spec §3, decided).
  ilike: (input, reference) => input.toLowerCase().includes(reference.toLowerCase()),
};

export const compileStringCheck: GraderCompiler<StringCheckGrader> = (grader) => {
  const pair = compilePair(grader);
  const op = STRING_CHECK_OPERATIONS[grader.operation];
  if (!op) throw new Error(`unknown string_check operation '${grader.operation}'`);
  return {
    name: grader.name,
    type: "string_check",
    async: false,
    grade(ctx) {
      const [input, reference] = pair.render(ctx);
      return { reward: op(input, reference) ? 1 : 0 };
    },
  };
};
