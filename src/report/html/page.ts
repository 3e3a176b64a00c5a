// A self-contained HTML page: every style, script and datum inline, and a Content-Security-Policy
// that lets the page load nothing at all (default-src 'none'): no font, image, stylesheet or
// script from any address, so opening a report makes no network request. The one script is
// allowed by its hash rather than by 'unsafe-inline', so text from a sample that somehow became
// markup still could not run.

import { createHash } from "node:crypto";
import { REPORT_CSS } from "./style.js";
import { rowTableScript } from "./client.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * JSON for a <script type="application/json"> block: "<" is escaped so no "</script>" or
 * "<!--" inside a value can end the block early; JSON.parse reads \u003c back as "<".
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** Bytes a value costs in a page's JSON block: UTF-8, each "<" written as \u003c. */
export function scriptJsonBytes(value: unknown): number {
  const json = JSON.stringify(value) ?? "";
  let angles = 0;
  for (let i = json.indexOf("<"); i >= 0; i = json.indexOf("<", i + 1)) angles++;
  return Buffer.byteLength(json, "utf8") + 5 * angles;
}

const SCRIPT = `(${rowTableScript.toString()})();`;
const SCRIPT_HASH = createHash("sha256").update(SCRIPT, "utf8").digest("base64");

const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

export interface PageOptions {
  title: string;
  /** The page's body HTML (already escaped where needed). */
  body: string;
  /** Whether the page has a row table (and so needs the script). */
  script: boolean;
}

export function page(options: PageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="graderkit">
<title>${escapeHtml(options.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${options.body}
${options.script ? `<script>${SCRIPT}</script>` : ""}
</body>
</html>
`;
}
