#!/usr/bin/env node
// The `graderkit` executable: runs the compiled CLI (built by `npm run build`, and by `prepare`
// on `npm ci` / `npm install`).
import { main, processIo } from "../dist/cli/main.js";

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`graderkit: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
