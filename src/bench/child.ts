// The process bench forks for each worker count (child_process.fork of this compiled module):
// one measurement per process, so each run's peak memory is its own and no run inherits
// another's heap or warmed-up code. Receives a MeasureRequest, answers with its Measurement
// (or {error}); CPU-bound graders only, so no executors cross the process boundary.

import { shrinkYoungGeneration } from "../engine/young-generation.js";
import { measureRun, type MeasureRequest } from "./measure-run.js";

process.once("message", (request: MeasureRequest) => {
  const answer = (message: object) => process.send!(message, () => process.disconnect());
  // Peak RSS as `graderkit run` would have it: the run command shrinks the same way.
  measureRun(request, undefined, shrinkYoungGeneration).then(
    (measurement) => answer({ measurement }),
    (err: unknown) => answer({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
