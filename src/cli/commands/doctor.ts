import { pythonDoctor } from "../../executors/python/doctor.js";
import { EXIT, UsageError, type Command } from "../args.js";

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Report the Python interpreter and which of the hosted grader image's packages it can import.",
  usage: "graderkit doctor [--python PATH] [--json]",
  help: `Options:
  --python PATH             Interpreter to check (default python3)
  --json                    Print the report as JSON

A python grader that imports a package missing here works in the hosted service but fails locally
with python_grader_runtime_error (ModuleNotFoundError). Packages are checked inside the sandbox the
workers get. Exit status: 0, or 1 when no usable interpreter was found.`,
  options: { python: { type: "string" }, json: { type: "boolean" } },
  allowPositionals: false,
  async run({ values }, io) {
    if (values.python === "") throw new UsageError("--python needs a path");
    const report = await pythonDoctor((values.python as string | undefined) ?? "python3");
    const status = report.interpreter ? EXIT.ok : EXIT.invalid;
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
};
