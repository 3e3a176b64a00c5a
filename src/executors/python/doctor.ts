// `graderkit doctor`: which interpreter python graders would run on, which sandbox they would
// get (and why not bubblewrap), whether the network namespace works, and which of the hosted
// grader image's packages are importable here (checked inside that same sandbox).

import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";

import { findProgram, networkNamespacePrefix, resolveInterpreter } from "./interpreter.js";
import { resolveLauncher, RUNNER, type SandboxMode } from "./sandbox.js";

/**
 * The packages of the hosted python grader image (image_tag "2025-05-08"), as OpenAI's graders
 * guide lists them: distribution name, import name, pinned version.
 */
export const HOSTED_PACKAGES: ReadonlyArray<{ name: string; module: string; hosted: string }> = [
  { name: "numpy", module: "numpy", hosted: "2.2.4" },
  { name: "scipy", module: "scipy", hosted: "1.15.2" },
  { name: "sympy", module: "sympy", hosted: "1.13.3" },
  { name: "pandas", module: "pandas", hosted: "2.2.3" },
  { name: "rapidfuzz", module: "rapidfuzz", hosted: "3.10.1" },
  { name: "scikit-learn", module: "sklearn", hosted: "1.6.1" },
  { name: "rouge-score", module: "rouge_score", hosted: "0.1.2" },
  { name: "deepdiff", module: "deepdiff", hosted: "8.4.2" },
  { name: "jsonschema", module: "jsonschema", hosted: "4.23.0" },
  { name: "pydantic", module: "pydantic", hosted: "2.10.6" },
  { name: "pyyaml", module: "yaml", hosted: "6.0.2" },
  { name: "nltk", module: "nltk", hosted: "3.9.1" },
  { name: "sqlparse", module: "sqlparse", hosted: "0.5.3" },
  { name: "rdkit", module: "rdkit", hosted: "2024.9.6" },
  { name: "scikit-bio", module: "skbio", hosted: "0.6.3" },
  { name: "ast-grep-py", module: "ast_grep_py", hosted: "0.36.2" },
];

/** NLTK data the hosted image ships, as nltk.data resource paths. */
export const HOSTED_NLTK_DATA: ReadonlyArray<{ name: string; resource: string }> = [
  { name: "punkt", resource: "tokenizers/punkt" },
  { name: "stopwords", resource: "corpora/stopwords" },
  { name: "wordnet", resource: "corpora/wordnet" },
  { name: "omw-1.4", resource: "corpora/omw-1.4" },
  { name: "names", resource: "corpora/names" },
];

export interface PythonDoctorReport {
  interpreter: string | null;
  version: string | null;
  /** `unshare -n` works here (the fallback's network cut; checked without the interpreter). */
  networkNamespace: boolean;
  /** The sandbox python graders get: "bwrap", "audit-hook" (the fallback), or null without an interpreter. */
  sandbox: "bwrap" | "audit-hook" | null;
  /** Why bubblewrap is not used, when it is not. */
  bwrapUnavailable: string | null;
  packages: Array<{ name: string; importable: boolean; version: string | null; hosted: string }>;
  nltkData: Array<{ name: string; available: boolean }>;
  /** Why the interpreter could not be used, when interpreter is null. */
  error?: string;
}

// Imports each package in the same empty environment the workers get, so the answer matches
// what a grader would see.
const CHECK_SCRIPT = `
import importlib, json, sys
try:
    from importlib import metadata
except ImportError:
    metadata = None
pkgs, data = json.loads(sys.argv[1]), json.loads(sys.argv[2])
out = {"packages": [], "nltk": []}
for name, module in pkgs:
    version = None
    try:
        mod = importlib.import_module(module)
        ok = True
    except BaseException:
        ok, mod = False, None
    if ok:
        try:
            version = metadata.version(name)
        except BaseException:
            version = getattr(mod, "__version__", None)
    out["packages"].append([name, ok, version if isinstance(version, str) else None])
try:
    import nltk
    for name, resource in data:
        try:
            nltk.data.find(resource)
            out["nltk"].append([name, True])
        except BaseException:
            out["nltk"].append([name, False])
except BaseException:
    out["nltk"] = [[name, False] for name, _ in data]
print(json.dumps(out))
`;

export async function pythonDoctor(
  python = "python3",
  options: { env?: Record<string, string>; sandbox?: SandboxMode; readOnlyPaths?: string[] } = {},
): Promise<PythonDoctorReport> {
  const report: PythonDoctorReport = {
    interpreter: null,
    version: null,
    networkNamespace: (await networkNamespacePrefix()).length > 0,
    sandbox: null,
    bwrapUnavailable: null,
    packages: HOSTED_PACKAGES.map((p) => ({ name: p.name, importable: false, version: null, hosted: p.hosted })),
    nltkData: HOSTED_NLTK_DATA.map((d) => ({ name: d.name, available: false })),
  };
  const found = await resolveInterpreter(python);
  if (!found.ok) {
    report.error = found.error;
    report.bwrapUnavailable = findProgram("bwrap") ? "no interpreter to run in it" : "bwrap (Debian package bubblewrap) is not installed";
    return report;
  }
  const exe = found.interpreter.executable;
  report.interpreter = exe;
  report.version = found.interpreter.version;
  const launcher = await resolveLauncher(options.sandbox ?? "auto", exe, RUNNER, {
    timeoutSeconds: 120,
    memoryMb: 0,
    outputFileMb: 1024,
    env: options.env ?? {},
    readOnlyPaths: options.readOnlyPaths ?? [],
  });
  report.bwrapUnavailable = launcher.info.bwrapUnavailable ?? null;
  if (!launcher.ok) {
    report.error = launcher.error;
    return report;
  }
  report.sandbox = launcher.info.active;
  if (options.sandbox === "none" && report.bwrapUnavailable === null) report.bwrapUnavailable = "--python-sandbox none";

  const check = launcher.interpreter([
    "-c",
    CHECK_SCRIPT,
    JSON.stringify(HOSTED_PACKAGES.map((p) => [p.name, p.module])),
    JSON.stringify(HOSTED_NLTK_DATA.map((d) => [d.name, d.resource])),
  ]);
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(check.command, check.args, { cwd: check.cwd, env: check.env, timeout: 120_000, maxBuffer: 1 << 20 }, (err, out) =>
        err ? reject(err) : resolve(String(out)),
      );
    });
    const parsed = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
      packages: Array<[string, boolean, string | null]>;
      nltk: Array<[string, boolean]>;
    };
    for (const [name, importable, version] of parsed.packages) {
      const p = report.packages.find((x) => x.name === name);
      if (p) Object.assign(p, { importable, version });
    }
    for (const [name, available] of parsed.nltk) {
      const d = report.nltkData.find((x) => x.name === name);
      if (d) d.available = available;
    }
  } catch (err) {
    report.error = `package check failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    if (check.hostDir) await rm(check.hostDir, { recursive: true, force: true });
    check.releaseHostDir?.();
  }
  return report;
}
