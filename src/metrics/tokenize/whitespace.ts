// Python's str.split() with no arguments: split on runs of Unicode whitespace as CPython defines
// it, dropping empty strings. JS `\s` differs: it lacks U+001C–U+001F and U+0085 and has U+FEFF.

// CPython's Py_UNICODE_ISSPACE set.
const PY_WHITESPACE =
  /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function pythonSplit(text: string): string[] {
  const parts = text.split(PY_WHITESPACE);
  // A leading or trailing separator leaves an empty string at either end, never in the middle.
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === "") start = 1;
  if (end > start && parts[end - 1] === "") end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}
