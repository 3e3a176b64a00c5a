import { describe, expect, it } from "vitest";
import { GradingFailure } from "../src/core/response.js";
import { compileTemplate, parsePlaceholders, TemplateSyntaxError, unclosedOpenings } from "../src/templates/template.js";

const scope = {
  sample: {
    output_text: "line one\nline two <b>&amp;</b>",
    output_json: { answer: "42", score: 0.5, ok: true, none: null, list: [1, "two"], nested: { a: { b: "deep" } } },
    output_tools: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
  },
  item: { answer: "Paris", "answer-key": "hyphen", n: 3, tags: ["x", "y"], empty: "" },
};

describe("templates", () => {
  it("resolves item and sample paths, with and without whitespace", () => {
    expect(compileTemplate("{{item.answer}}").render(scope)).toBe("Paris");
    expect(compileTemplate("{{ item.answer }}").render(scope)).toBe("Paris");
    expect(compileTemplate("{{   item.answer\t}}").render(scope)).toBe("Paris");
    expect(compileTemplate("{{ sample.output_json.nested.a.b }}").render(scope)).toBe("deep");
  });
  it("follows [N] indices", () => {
    expect(compileTemplate("{{ sample.output_tools[0].function.name }}").render(scope)).toBe("get_weather");
    expect(compileTemplate("{{ item.tags[1] }}").render(scope)).toBe("y");
    expect(compileTemplate("{{ sample.output_json.list[1] }}").render(scope)).toBe("two");
  });
  it("keeps strings verbatim: newlines, no HTML escaping", () => {
    expect(compileTemplate("<{{ sample.output_text }}>").render(scope)).toBe("<line one\nline two <b>&amp;</b>>");
  });
  it("renders non-strings as compact JSON", () => {
    expect(compileTemplate("{{ item.n }}").render(scope)).toBe("3");
    expect(compileTemplate("{{ sample.output_json.score }}").render(scope)).toBe("0.5");
    expect(compileTemplate("{{ sample.output_json.ok }}").render(scope)).toBe("true");
    expect(compileTemplate("{{ sample.output_json.none }}").render(scope)).toBe("null");
    expect(compileTemplate("{{ item.tags }}").render(scope)).toBe('["x","y"]');
    expect(compileTemplate("{{ sample.output_json.nested }}").render(scope)).toBe('{"a":{"b":"deep"}}');
  });
  it("builds raw JSON by concatenation (the guide's example, no escaping)", () => {
    const t = compileTemplate('{"answer": "{{ item.answer }}", "n": {{ item.n }}}');
    expect(t.render(scope)).toBe('{"answer": "Paris", "n": 3}');
  });
  it("an empty string is a value, not missing", () => {
    expect(compileTemplate("[{{ item.empty }}]").render(scope)).toBe("[]");
  });
  it("keys with hyphens", () => {
    expect(compileTemplate("{{ item.answer-key }}").render(scope)).toBe("hyphen");
  });
  it("an unclosed {{ is plain text", () => {
    expect(parsePlaceholders("a {{ b")).toEqual([]);
    expect(compileTemplate("{{ item.answer }} and {{ not closed").render(scope)).toBe("Paris and {{ not closed");
  });
  it("text without placeholders is constant", () => {
    expect(compileTemplate("no vars { here }").render(scope)).toBe("no vars { here }");
  });
  it("a missing path throws invalid_variable_error naming the path and field", () => {
    const cases = ["{{ item.missing }}", "{{ item.tags[5] }}", "{{ item.answer.length }}", "{{ sample.output_tools[0].function.nope }}", "{{ item.n[0] }}"];
    for (const c of cases) {
      let err: unknown;
      try {
        compileTemplate(`x ${c} y`, "/reference").render(scope);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GradingFailure);
      expect((err as GradingFailure).flag).toBe("invalid_variable_error");
      expect((err as GradingFailure).path).toBe("/reference");
      expect((err as GradingFailure).message).toContain(c);
    }
  });
  it("rejects malformed placeholders and unknown namespaces at compile time", () => {
    for (const bad of ["{{ }}", "{{ answer }}", "{{ items.answer }}", "{{ item..a }}", "{{ item.a[-1] }}", "{{ item.a[b] }}", "{{ item.a b }}"]) {
      expect(() => parsePlaceholders(bad), bad).toThrow(TemplateSyntaxError);
    }
  });
  it("parses each placeholder once, with canonical paths", () => {
    const ps = parsePlaceholders("{{ sample.output_tools[0].function.name }} and {{item.a}}");
    expect(ps.map((p) => p.path)).toEqual(["sample.output_tools[0].function.name", "item.a"]);
  });
  it("a missing path's message says what is there instead", () => {
    const message = (t: string) => {
      try {
        compileTemplate(t).render(scope);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("rendered");
    };
    expect(message("{{ item.anwser }}")).toBe("template variable {{ item.anwser }} not found: item.anwser does not exist in this item (item has: answer, answer-key, n, tags, empty)");
    expect(message("{{ item.answer.length }}")).toMatch(/\(item\.answer is a string\)$/);
    expect(message("{{ item.tags[5] }}")).toMatch(/\(item\.tags is an array of 2\)$/);
    expect(message("{{ sample.output_json.nested.a.c }}")).toMatch(/\(sample\.output_json\.nested\.a has: b\)$/);
    const many = { sample: {}, item: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) };
    expect(() => compileTemplate("{{ item.x }}").render(many)).toThrow(/item has: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, … \(20 keys\)\)$/);
    expect(() => compileTemplate("{{ item.x }}").render({ sample: {}, item: {} })).toThrow(/\(item is empty\)$/);
  });
  it("finds the unclosed openings", () => {
    expect(unclosedOpenings("{{ item.a }} and {{ b")).toEqual([17]);
    expect(unclosedOpenings("{{ x {{ item.a }}")).toEqual([]);
    expect(unclosedOpenings("{{ a }} {{ b }}")).toEqual([]);
    expect(unclosedOpenings("a {{ b {{ c")).toEqual([2, 7]);
  });
});
