// With a pool, the main thread of a run only reads blocks, hands them to the workers and writes
// the bytes they return: it allocates little, so V8's default young generation (semi-spaces up
// to 16 MB, grown as a busy thread fills them) is mostly empty room that stays resident. A 4 MB
// semi-space keeps ~35 MB out of the peak RSS of a long run on a pool (1.2 GB input, 2 workers:
// 218 vs 256 MB) at no measurable cost in speed (README "Memory").
//
// The flag is process-wide, so runFile never sets it: a process that owns its heap (the CLI's
// run and bench commands) passes this as runFile's onPoolStart. The main thread's own grading
// (--workers 0) keeps the default, where a small young generation would cost speed.

import { setFlagsFromString } from "node:v8";

export const POOL_MAIN_SEMI_SPACE_MB = 4;

export function shrinkYoungGeneration(): void {
  setFlagsFromString(`--max-semi-space-size=${POOL_MAIN_SEMI_SPACE_MB}`);
}
