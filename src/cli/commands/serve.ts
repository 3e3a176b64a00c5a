import { DEFAULT_MAX_FIELD_CHARS } from "../../server/body-limits.js";
import { createGradersServer } from "../../server/graders-api.js";
import { defineCommand, EXIT } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS } from "../executor-options.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

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

export const serveCommand = defineCommand({
  name: "serve",
  summary: COMMAND_SUMMARIES.serve,
  positionals: { names: "", min: 0, max: 0 },
  description: `Point an OpenAI client at the printed URL: new OpenAI({ baseURL: "http://127.0.0.1:8787/v1", apiKey: "any" }).
Only JSON requests (Content-Type: application/json) are served, and none from a web page of another
origin or through a Host name that is not this server's (DNS rebinding), unless allowed below.
Stops on SIGINT/SIGTERM: in-flight requests finish (up to 10 s; later ones get a 503 to retry).`,
  options: [
    { name: "host", type: "string", arg: "HOST", default: "127.0.0.1", description: "Address to listen on" },
    { name: "port", type: "integer", arg: "PORT", min: 0, max: 65535, default: 8787, description: "Port to listen on; 0 picks a free one, printed on stderr" },
    { name: "allow-origin", type: "string", arg: "ORIGIN", multiple: true, description: "A browser origin allowed to call the server (e.g. http://localhost:5173); requests with another Origin header are refused" },
    { name: "allow-host", type: "string", arg: "HOST", multiple: true, description: "A Host header accepted besides the server's own address (a name the server is reached by)" },
    { name: "max-field-chars", type: "integer", arg: "N", min: 1, default: DEFAULT_MAX_FIELD_CHARS, description: "Longest string accepted in model_sample or item (400 beyond)" },
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: "0 stopped by a signal, 2 invalid arguments or the address cannot be used.",
  async run({ values }, io) {
    const { host, port } = values;
    const setup = buildExecutors(values, io);
    const server = createGradersServer({
      executors: setup.executors,
      host,
      port,
      allowedOrigins: values["allow-origin"],
      allowedHosts: values["allow-host"],
      maxFieldChars: values["max-field-chars"],
    });
    try {
      let url: string;
      try {
        ({ url } = await server.listen());
      } catch (err) {
        io.stderr(`graderkit serve: cannot listen on ${host}:${port}: ${(err as Error).message}\n`);
        return EXIT.usage;
      }
      // Handle signals before announcing the URL: whoever reads the line may stop us at once.
      const signal = nextSignal();
      io.stderr(`graderkit serve: listening on ${url}\n`);
      io.stderr(`graderkit serve: ${await signal}, stopping\n`);
      await server.close();
      return EXIT.ok;
    } finally {
      await setup.close();
    }
  },
});
