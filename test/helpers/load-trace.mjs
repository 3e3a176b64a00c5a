// `node --import ./test/helpers/load-trace.mjs ...`: records every module the process loads,
// one per line, in the file named by $GRADERKIT_LOAD_TRACE: ES modules through a loader hook
// (module.register; the hook runs on its own thread, so it appends to the file itself) and
// CommonJS modules from require.cache when the process exits. For tests of what start-up loads.

import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.GRADERKIT_LOAD_TRACE;
if (!file) throw new Error("load-trace: set GRADERKIT_LOAD_TRACE to the file to write");

register(new URL("./load-trace-hook.mjs", import.meta.url), { data: { file } });

const require = createRequire(import.meta.url);
process.on("exit", () => {
  const cjs = Object.keys(require.cache).map((path) => `cjs ${path}`);
  appendFileSync(file, cjs.length > 0 ? cjs.join("\n") + "\n" : "");
});
