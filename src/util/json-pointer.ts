// JSON pointers (RFC 6901): how every problem, error path and API `param` names a place in a document.

const escapeToken = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** `pointerJoin("/graders", "a/b", 0)` → "/graders/a~1b/0". */
export function pointerJoin(base: string, ...keys: Array<string | number>): string {
  return base + keys.map((k) => "/" + escapeToken(String(k))).join("");
}
