// Deterministic ids for what a local run creates: the same eval, data and run definition give
// the same ids, so two local runs' output items can be diffed line by line. The `_local_` infix
// keeps them from ever being mistaken for (or colliding with) hosted ids.

import { createHash } from "node:crypto";
import { canonicalJson } from "../util/canonical-json.js";

export type LocalIdKind = "eval" | "evalrun" | "outputitem";

/** `<kind>_local_<24 hex digits of sha256 of the canonical JSON of parts>`. */
export function localId(kind: LocalIdKind, ...parts: unknown[]): string {
  return `${kind}_local_${createHash("sha256").update(canonicalJson(parts)).digest("hex").slice(0, 24)}`;
}
