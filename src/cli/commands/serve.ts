import { availableParallelism } from "node:os";
import { serverEnvironment } from "../../config/env.js";
import { DEFAULT_MAX_FIELD_CHARS } from "../../server/body-limits.js";
import { createGradersServer, SERVER_DEFAULTS } from "../../server/graders-api.js";
import { GRADER_NAME } from "../../server/named-graders.js";
import { isLoopback } from "../../server/request-guard.js";
import type { Grader } from "../../schema/types.js";
import { defineCommand, EXIT, UsageError, type Io } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS } from "../executor-options.js";
import { requireGrader } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const REWARDS = "Reward routes (POST /v1/rewards, /v1/openrlhf/NAME)";

/** Resolves with the first SIGINT/SIGTERM; the handlers are removed again so nothing leaks. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of SIGNALS) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of SIGNALS) process.on(s, onSignal);
  });
}

/** `--grader NAME=FILE ...` → validated graders by name; null when one is invalid (its problems printed). */
function namedGraders(files: Readonly<Record<string, string>>, io: Io): Record<string, Grader> | null {
  const out: Record<string, Grader> = {};
  let valid = true;
  for (const [name, file] of Object.entries(files)) {
    if (!GRADER_NAME.test(name)) throw new UsageError(`--grader ${name}=${file}: a name is 1-64 letters, digits, '_', '-' or '.' (it goes in URLs: /v1/openrlhf/NAME)`);
    const grader = requireGrader(file, "local", io);
    if (grader) out[name] = grader;
    else valid = false;
  }
  return valid ? out : null;
}

export const serveCommand = defineCommand({
  name: "serve",
  summary: COMMAND_SUMMARIES.serve,
  positionals: { names: "", min: 0, max: 0 },
  description: `Routes: POST /v1/fine_tuning/alpha/graders/run and /validate (OpenAI's graders API: point an
OpenAI client at the printed URL), GET /v1/graders, POST /v1/rewards, POST /v1/openrlhf/NAME,
GET /healthz, GET /metrics (Prometheus).
Only JSON requests (Content-Type: application/json) are served, and none from a web page of another
origin or through a Host name that is not this server's (DNS rebinding), unless allowed below.
Stops on SIGINT/SIGTERM: in-flight requests finish (up to --drain-timeout; later ones get a 503 to retry).`,
  options: [
    { name: "host", type: "string", arg: "HOST", default: "127.0.0.1", description: "Address to listen on; 0.0.0.0 exposes the server to the network (use --api-key)" },
    { name: "port", type: "integer", arg: "PORT", min: 0, max: 65535, default: 8787, description: "Port to listen on; 0 picks a free one, printed on stderr" },
    { name: "api-key", type: "string", arg: "KEY", shownDefault: "$GRADERKIT_SERVER_KEY", description: "Require Authorization: Bearer KEY on every route but /healthz" },
    { name: "allow-origin", type: "string", arg: "ORIGIN", multiple: true, description: "A browser origin allowed to call the server (e.g. http://localhost:5173); requests with another Origin header are refused" },
    { name: "allow-host", type: "string", arg: "HOST", multiple: true, description: "A Host header accepted besides the server's own address (a name the server is reached by)" },
    { name: "max-field-chars", type: "integer", arg: "N", min: 1, default: DEFAULT_MAX_FIELD_CHARS, description: "Longest string accepted in model_sample, item or a row (400, or for a row reward 0 with sample_parse_error, beyond)" },
    { name: "max-body-mb", type: "number", arg: "MB", min: 0, aboveMin: true, default: SERVER_DEFAULTS.maxBodyBytes / (1024 * 1024), description: "Largest request body, in MiB (413 beyond)" },
    { name: "drain-timeout", type: "number", arg: "SECONDS", min: 0, default: SERVER_DEFAULTS.closeGraceMs / 1000, description: "On SIGINT/SIGTERM, how long in-flight requests may finish" },
    { name: "grader", type: "pairs", arg: "NAME=FILE", requireValue: true, hint: "e.g. --grader accuracy=graders/exact-answer.json", group: REWARDS, description: "A grader the reward routes know by NAME, validated at start (the server refuses to start on an invalid one)" },
    { name: "workers", type: "integer", arg: "N", min: 0, group: REWARDS, shownDefault: "the number of CPUs", description: "Worker threads grading CPU-bound rows; 0 = the main thread" },
    { name: "max-queue-rows", type: "integer", arg: "N", min: 1, default: SERVER_DEFAULTS.maxQueueRows, group: REWARDS, description: "Rows accepted and not yet answered, at most; beyond, 429 with Retry-After" },
    { name: "request-timeout", type: "number", arg: "SECONDS", min: 0, aboveMin: true, default: SERVER_DEFAULTS.requestTimeoutMs / 1000, group: REWARDS, description: "Longest wait for a batch's rewards: 504 after it, and the same request sent again gets the result" },
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: "0 stopped by a signal, 2 invalid arguments, an invalid --grader, or the address cannot be used.",
  async run({ values }, io) {
    const { host, port } = values;
    const graders = namedGraders(values.grader, io);
    if (!graders) return EXIT.usage;
    const apiKey = values["api-key"] ?? serverEnvironment(io.env).apiKey;
    const setup = await buildExecutors(values, io);
    const server = createGradersServer({
      executors: setup.executors,
      host,
      port,
      allowedOrigins: values["allow-origin"],
      allowedHosts: values["allow-host"],
      maxFieldChars: values["max-field-chars"],
      maxBodyBytes: Math.round(values["max-body-mb"] * 1024 * 1024),
      closeGraceMs: values["drain-timeout"] * 1000,
      graders,
      workers: values.workers ?? availableParallelism(),
      maxQueueRows: values["max-queue-rows"],
      requestTimeoutMs: values["request-timeout"] * 1000,
      apiKey,
    });
    try {
      let url: string;
      try {
        ({ url } = await server.listen());
      } catch (err) {
        io.stderr(`graderkit serve: cannot listen on ${host}:${port}: ${(err as Error).message}\n`);
        return EXIT.usage;
      }
      if (!isLoopback(host) && apiKey === undefined) {
        io.stderr(`warning: graderkit serve: listening on ${host} without --api-key: anyone who can reach this port can run graders (python code included) on this machine\n`);
      }
      // Handle signals before announcing the URL: whoever reads the line may stop us at once.
      const signal = nextSignal();
      const names = Object.keys(graders);
      if (names.length) io.stderr(`graderkit serve: graders ${names.join(", ")}; ${values.workers ?? availableParallelism()} workers\n`);
      io.stderr(`graderkit serve: listening on ${url}\n`);
      io.stderr(`graderkit serve: ${await signal}, stopping\n`);
      await server.close();
      return EXIT.ok;
    } finally {
      await setup.close();
    }
  },
});
