// JSON pointers (RFC 6901): how every problem, error path and API `param` names a place in a document.

const escapeToken = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** `pointerJoin("/graders", "a/b", 0)` → "/graders/a~1b/0". */
export function pointerJoin(base: string, ...keys: Array<string | number>): string {
  return base + keys.map((k) => "/" + escapeToken(String(k))).join("");
}

/** Every value inside a JSON value, depth first, with its pointer and depth; iterative, so any nesting is safe. */
export function* walkJson(value: unknown, base = ""): Generator<{ value: unknown; pointer: string; depth: number }> {
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: base, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    const v = node.value;
    if (v === null || typeof v !== "object") continue;
    const entries: Array<readonly [string, unknown]> = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ value: x, pointer: pointerJoin(node.pointer, k), depth: node.depth + 1 });
    }
  }
}
