// Raw grader JSON as users write it: a BOM (Notepad), syntax errors reported as line:column,
// validation problems as a typed error carrying every pointer.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkGraderText, GraderValidationError, loadGrader } from "../src/schema/load.js";
import { compileGrader } from "../src/graders/compile.js";
import { lineColumn, locateSyntaxError, parseJsonText } from "../src/util/json-text.js";
import { tempDir } from "./helpers/cli.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };

describe("JSON text", () => {
  it("ignores a leading BOM and only a leading one", () => {
    expect(parseJsonText("\ufeff{\"a\": 1}")).toEqual({ a: 1 });
    expect(() => parseJsonText("{\"a\": 1}\ufeff")).toThrow(/line 1, column 9/);
  });

  it("names line and column (1-based) and what was expected", () => {
    const cases: Array<[string, number, number, RegExp]> = [
      ['{\n  "a": 1,\n  "b" 2\n}', 3, 7, /expected ':' after a property name/],
      ['{"a":}', 1, 6, /expected a value/],
      ["[1,]", 1, 4, /trailing comma before '\]'/],
      ['{"a": 1', 1, 8, /the end of the text: expected ',' or '}'/],
      ["", 1, 1, /the end of the text: expected a value/],
      ["{'a': 1}", 1, 2, /property name in double quotes/],
      ['{"a": 1} x', 1, 10, /after the JSON value/],
      ['{"a": "x\ny"}', 1, 9, /control character in a string/],
      ['{"a": "\\q"}', 1, 8, /invalid escape '\\q'/],
      ["[01]", 1, 3, /expected ',' or '\]'/],
      ["[tru]", 1, 2, /expected a value/],
    ];
    for (const [text, line, column, reason] of cases) {
      const err = locateSyntaxError(text);
      expect([err.line, err.column], text).toEqual([line, column]);
      expect(err.message, text).toMatch(reason);
      expect(() => JSON.parse(text), text).toThrow();
    }
  });

  it("counts lines across CRLF and columns from the line start", () => {
    expect(lineColumn("ab\r\ncd\nef", 8)).toEqual({ line: 3, column: 2 });
  });
});

describe("loadGrader", () => {
  const dir = tempDir("graderkit-load-");

  it("reads a grader with a UTF-8 BOM, as Notepad writes it", async () => {
    const file = join(dir, "bom.json");
    writeFileSync(file, "\ufeff" + JSON.stringify(exact));
    expect(await loadGrader(file)).toEqual(exact);
  });

  it("reports a syntax error with the file, line and column", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "type": "string_check",\n  "name": "x"\n  "input": "a"\n}');
    const err = await loadGrader(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraderValidationError);
    const e = err as GraderValidationError;
    expect(e.file).toBe(file);
    expect(e.problems[0]).toMatchObject({ code: "invalid_json", line: 4, column: 3 });
    expect(e.message).toContain(`${file}: invalid grader`);
  });

  it("throws every validation problem with its pointer, and passes warnings to onWarning", async () => {
    const file = join(dir, "invalid.json");
    writeFileSync(file, JSON.stringify({ ...exact, operation: "equals", refrence: "x" }));
    const e = (await loadGrader(file).catch((x: unknown) => x)) as GraderValidationError;
    expect(e.problems.map((p) => p.pointer).sort()).toEqual(["/operation", "/refrence"]);
    const unnamed = join(dir, "unnamed.json");
    const { name: _n, ...rest } = exact;
    writeFileSync(unnamed, JSON.stringify(rest));
    const warnings: string[] = [];
    const g = await loadGrader(unnamed, { onWarning: (w) => warnings.push(w.pointer) });
    expect(g.name).toBe("string_check");
    expect(warnings).toEqual(["/name"]);
  });

  it("leaves I/O errors as they are", async () => {
    await expect(loadGrader(join(dir, "missing.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("checkGraderText reports instead of throwing", () => {
    const r = checkGraderText("{", "g.json");
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ line: 1, column: 2, code: "invalid_json" });
  });
});

describe("compileGrader", () => {
  it("validates and normalises raw JSON (missing name, the single-grader multi form)", () => {
    const { name: _n, ...unnamed } = exact;
    const multi = compileGrader({ type: "multi", graders: unnamed, calculate_output: "string_check" });
    expect(multi.name).toBe("multi");
    expect(multi.grade({ sample: { output_text: "a" }, item: { answer: "a" }, executors: {} })).toMatchObject({ reward: 1, sub_rewards: { string_check: 1 } });
  });

  it("throws GraderValidationError instead of failing every row later", () => {
    expect(() => compileGrader({ type: "string_check", name: "x" })).toThrow(GraderValidationError);
    try {
      compileGrader({ type: "string_check", name: "x" });
    } catch (e) {
      expect((e as GraderValidationError).problems.map((p) => p.pointer).sort()).toEqual(["/input", "/operation", "/reference"]);
    }
  });

  it("throws on a metric option that is unknown or out of its domain, before any row", () => {
    const bleu = { type: "text_similarity", name: "b", input: "a", reference: "b", evaluation_metric: "bleu" };
    expect(() => compileGrader(bleu, { metricOptions: { bleu: { smoothing: 9 } } } as never)).toThrow(RangeError);
    expect(() => compileGrader(bleu, { metricOptions: { bleu: { smothing: 1 } } } as never)).toThrow(TypeError);
    expect(compileGrader(bleu, { metricOptions: { bleu: { smoothing: 1, tokenizer: "split" } } }).name).toBe("b");
  });
});
