// Python `re` (str patterns, Unicode mode) character classes spelled for JavaScript `u` regexes.
// JS `\s`, `\w`, `\d` and `\b` are not Python's, and the ports must match CPython character for
// character, so the tokenizers build their patterns from these fragments instead.

/** Python `\s` (CPython's Py_UNICODE_ISSPACE), as the body of a `[...]` class. */
export const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** Python `\w` (str.isalnum() or "_"), as the body of a `[...]` class. Marks are not word chars. */
export const PY_WORD = "\\p{L}\\p{N}_";

/** Python `\d` (decimal digits, category Nd), as the body of a `[...]` class. */
export const PY_DIGIT = "\\p{Nd}";

/** Python's str.isspace() for one UTF-16 unit (all of Python's whitespace is in the BMP). */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Length of `s.rstrip()` in Python terms (UTF-16 units, for slicing the JS string). */
export function pyRstripLength(s: string): number {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end -= 1;
  return end;
}

/** Python's `s.strip() != ""`. */
export function pyHasNonSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isPySpace(s.charCodeAt(i))) return true;
  return false;
}
