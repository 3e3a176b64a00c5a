// Objects keyed by user data.
/**
 * An object for keys that come from user data (multi keys, model names): no prototype, so a key
 * named "__proto__" or "constructor" is an ordinary entry (JSON.stringify writes it as one).
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
