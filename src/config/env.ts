// The one place graderkit reads environment variables for executors. Library code below this
// layer takes explicit values; the CLI, the server and createExecutors pass the environment here.

export interface ExecutorEnvironment {
  /** $GRADERKIT_API_KEY, else $OPENAI_API_KEY; an empty value means "no key". */
  apiKey?: string;
  /** $OPENAI_BASE_URL. */
  baseUrl?: string;
}

export function executorEnvironment(env: NodeJS.ProcessEnv): ExecutorEnvironment {
  const key = env.GRADERKIT_API_KEY ?? env.OPENAI_API_KEY;
  const out: ExecutorEnvironment = {};
  if (key) out.apiKey = key;
  if (env.OPENAI_BASE_URL) out.baseUrl = env.OPENAI_BASE_URL;
  return out;
}

/**
 * The fine-tuning jobs API's endpoint settings (graderkit jobs): OpenAI's variables, and Azure's
 * as the official SDK names them. Passed to the SDK explicitly, so it reads no variable itself.
 */
export interface FineTuningEnvironment {
  /** $OPENAI_API_KEY. */
  apiKey?: string;
  /** $OPENAI_BASE_URL. */
  baseUrl?: string;
  /** $OPENAI_ORG_ID, $OPENAI_PROJECT_ID: the OpenAI-Organization / OpenAI-Project headers. */
  organization?: string;
  project?: string;
  /** $AZURE_OPENAI_ENDPOINT, $AZURE_OPENAI_API_KEY, $OPENAI_API_VERSION. */
  azureEndpoint?: string;
  azureApiKey?: string;
  apiVersion?: string;
}

export function fineTuningEnvironment(env: NodeJS.ProcessEnv): FineTuningEnvironment {
  const read: Array<[keyof FineTuningEnvironment, string]> = [
    ["apiKey", "OPENAI_API_KEY"],
    ["baseUrl", "OPENAI_BASE_URL"],
    ["organization", "OPENAI_ORG_ID"],
    ["project", "OPENAI_PROJECT_ID"],
    ["azureEndpoint", "AZURE_OPENAI_ENDPOINT"],
    ["azureApiKey", "AZURE_OPENAI_API_KEY"],
    ["apiVersion", "OPENAI_API_VERSION"],
  ];
  const out: FineTuningEnvironment = {};
  for (const [key, name] of read) if (env[name]) out[key] = env[name];
  return out;
}

/** Whether output may use ANSI colours: only to a terminal, and not when $NO_COLOR is set (no-color.org). */
export function colorWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !env.NO_COLOR;
}

/** The reward server's own settings (graderkit serve). */
export interface ServerEnvironment {
  /** $GRADERKIT_SERVER_KEY: the key clients must send as `Authorization: Bearer` (--api-key wins). */
  apiKey?: string;
}

export function serverEnvironment(env: NodeJS.ProcessEnv): ServerEnvironment {
  return env.GRADERKIT_SERVER_KEY ? { apiKey: env.GRADERKIT_SERVER_KEY } : {};
}
