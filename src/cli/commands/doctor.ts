import { pythonDoctor } from "../../executors/python/doctor.js";
import { defineCommand, EXIT } from "../command.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

export const doctorCommand = defineCommand({
  name: "doctor",
  summary: COMMAND_SUMMARIES.doctor,
  positionals: { names: "", min: 0, max: 0 },
  description: `A python grader that imports a package missing here works in the hosted service but fails locally
with python_grader_runtime_error (ModuleNotFoundError). Packages are checked inside the sandbox the
workers get.`,
  options: [
    { name: "python", type: "string", arg: "PATH", default: "python3", description: "Interpreter to check" },
    { name: "json", type: "boolean", description: "Print the report as JSON" },
  ],
  exitStatus: "0 the report was printed, 1 no usable interpreter was found, 2 usage error.",
  async run({ values }, io) {
    const report = await pythonDoctor(values.python);
    const status = report.interpreter ? EXIT.ok : EXIT.failed;
    if (values.json) {
      io.stdout(JSON.stringify(report, null, 2) + "\n");
      return status;
    }
    io.stdout(`interpreter: ${report.interpreter ?? `not found (${report.error})`}${report.version ? ` (Python ${report.version})` : ""}\n`);
    const sandbox = report.sandbox === "bwrap" ? "bwrap (bubblewrap namespaces + audit hook)" : report.sandbox === "audit-hook" ? "audit hook only" : "none (no interpreter)";
    io.stdout(`sandbox: ${sandbox}\n`);
    if (report.bwrapUnavailable) io.stdout(`bwrap not used: ${report.bwrapUnavailable}\n`);
    io.stdout(`network namespace (unshare -n): ${report.networkNamespace ? "available" : "not available"}\n`);
    io.stdout("packages of the hosted grader image:\n");
    for (const p of report.packages) io.stdout(`  ${p.importable ? "ok     " : "missing"}  ${p.name}${p.version ? ` ${p.version}` : ""}\n`);
    return status;
  },
});
