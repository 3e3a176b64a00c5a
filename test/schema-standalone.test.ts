// The precompiled grader validator (src/schema/generated/, ajv standalone code) must be exactly
// what scripts/build-validators.mjs makes from today's schema and ajv: regenerating it here from
// src/ gives the same bytes, so the schema and its validator cannot drift apart.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script, without type declarations
import { GENERATED_VALIDATORS, validatorModuleSource } from "../scripts/build-validators.mjs";
import { AJV_OPTIONS, schemaValidator } from "../src/schema/ajv.js";
import { graderSchema } from "../src/schema/grader-schema.js";
import { validator } from "../src/schema/generated/grader-validator.js";
import { ROOT } from "./helpers/cli.js";

interface Generated {
  output: string;
  schemaModule: string;
  schemaExport: string;
}

describe("precompiled validators", () => {
  it.each(GENERATED_VALIDATORS as Generated[])("$output is what build-validators makes from src/$schemaModule", async (v) => {
    const schema = (await import(`../src/${v.schemaModule.replace(/\.js$/, ".ts")}`))[v.schemaExport];
    const origin = `src/${v.schemaModule.replace(/\.js$/, ".ts")} (${v.schemaExport})`;
    const committed = readFileSync(`${ROOT}/${v.output}`, "utf8");
    expect(validatorModuleSource(schema, AJV_OPTIONS, origin) === committed, `${v.output} is stale: run npm run build:validators`).toBe(true);
  });

  it("reports the same errors as ajv compiling the grader schema at run time", () => {
    const compiled = schemaValidator(graderSchema);
    const graders: unknown[] = [
      { type: "string_check", name: "x", operation: "eq", input: "a", reference: "b" },
      { type: "string_check", name: "x", operation: "like!", input: 1, refrence: "b" },
      { type: "text_similarity", evaluation_metric: "bleu2", input: "a" },
      { type: "multi", graders: { a: { type: "nope" } }, calculate_output: 3 },
      { type: "score_model", name: "s", model: "m", input: [{ role: "user", content: [{ type: "input_image" }] }], range: [0] },
    ];
    for (const g of graders) {
      const expected = compiled(g);
      expect(validator(g), JSON.stringify(g)).toBe(expected);
      expect(validator.errors ?? null, JSON.stringify(g)).toEqual(compiled.errors ?? null);
    }
  });
});
