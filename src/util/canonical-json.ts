import { dictionary } from "./dictionary.js";

/**
 * JSON with object keys sorted at every level, so equal values give equal strings (cache keys).
 * Keys are copied into prototype-less objects: a "__proto__" key stays a key (on a plain object
 * the assignment would set the prototype and drop it, so two different values would collide).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted = dictionary<unknown>();
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
