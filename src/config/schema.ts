// The JSON Schema of graderkit.config.json (draft-07, checked with ajv). Unknown keys are
// errors: a misspelt "timeoutSecond" must not silently fall back to a default.

type Schema = Record<string, unknown>;

const positive: Schema = { type: "number", exclusiveMinimum: 0 };
const count = (minimum: number, maximum?: number): Schema => ({ type: "integer", minimum, ...(maximum !== undefined ? { maximum } : {}) });
const url: Schema = { type: "string", pattern: "^https?://" };
const object = (properties: Schema): Schema => ({ type: "object", additionalProperties: false, properties });

export const configSchema: Schema = {
  $id: "https://graderkit.dev/schema/config.json",
  ...object({
    $schema: { type: "string" },
    executors: object({
      python: object({
        path: { type: "string", minLength: 1 },
        timeoutSeconds: positive,
        memoryMb: count(16),
        workers: count(1),
        sandbox: { enum: ["auto", "bwrap", "none"] },
      }),
      model: object({
        baseUrl: url,
        apiKey: { type: "string" },
        timeoutSeconds: positive,
        maxRetries: count(0, 10),
        concurrency: count(1),
        maxResponseMb: positive,
        routes: {
          type: "object",
          additionalProperties: object({ baseUrl: url, model: { type: "string", minLength: 1 }, apiKey: { type: "string" } }),
        },
      }),
      embedding: object({
        baseUrl: url,
        apiKey: { type: "string" },
        model: { type: "string", minLength: 1 },
        batchSize: count(1, 2048),
      }),
      cache: object({ enabled: { type: "boolean" }, dir: { type: "string", minLength: 1 } }),
    }),
  }),
};
