#!/usr/bin/env node
// The `graderkit` executable: runs the compiled CLI (built by `npm run build`, and by `prepare`
// on `npm ci` / `npm install`).
import { main, processIo } from "../dist/cli/main.js";

// `graderkit run ... | head`: a closed pipe ends the command quietly, as in other Unix tools.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`graderkit: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
