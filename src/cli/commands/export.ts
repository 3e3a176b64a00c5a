import { defineCommand, EXIT } from "../command.js";
import { formatJobProblem, JOB_OPTIONS, jobFromFlags } from "../job-options.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

export const exportCommand = defineCommand({
  name: "export",
  summary: COMMAND_SUMMARIES.export,
  positionals: { names: "[GRADER.json]", min: 0, max: 1 },
  usage: "[GRADER.json] --model M --training-file ID [--method supervised|dpo|reinforcement] [options]",
  description: `GRADER.json is the grader of a reinforcement job (and implies --method reinforcement); supervised
and DPO jobs take none. Problems name what to change: the flag of a job field (--hp n_epochs: ...),
the grader file and a JSON pointer for the grader (G.json: /reference: ...).`,
  options: JOB_OPTIONS,
  exitStatus: "0 printed, 1 a job field or the grader is invalid, 2 usage or I/O error.",
  async run({ values, positionals }, io) {
    const build = jobFromFlags(values, positionals[0]);
    for (const w of build.warnings) io.stderr(`warning: ${formatJobProblem(w, build.graderFile)}\n`);
    if (!build.job) {
      io.stderr(`cannot export the ${build.method} fine-tuning job:\n`);
      for (const p of build.problems) io.stderr(formatJobProblem(p, build.graderFile) + "\n");
      return EXIT.failed;
    }
    io.stdout(JSON.stringify(build.job, null, 2) + "\n");
    return EXIT.ok;
  },
});
