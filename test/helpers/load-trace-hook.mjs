// The loader hook of load-trace.mjs: appends "esm URL" for each ES module loaded.
import { appendFileSync } from "node:fs";

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, `esm ${url}\n`);
  return nextLoad(url, context);
}
