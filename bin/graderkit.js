#!/usr/bin/env node
// The `graderkit` executable: runs the compiled CLI (built by `npm run build`, and by `prepare`
// on `npm ci` / `npm install`).
import { main, processIo } from "../dist/cli/main.js";

// `graderkit run ... | head`: a closed pipe ends the command quietly, as in other Unix tools.
// Any other failure to write stdout (`> /dev/full`) is an I/O error: exit 2 with a message.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(`graderkit: stdout: cannot write (${err.code ?? err.message})\n`);
  process.exit(2);
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
