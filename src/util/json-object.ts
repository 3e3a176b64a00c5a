/** A plain JSON object: not null, not an array (what `typeof v === "object"` alone lets through). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
