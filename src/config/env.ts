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

/** Whether output may use ANSI colours: only to a terminal, and not when $NO_COLOR is set (no-color.org). */
export function colorWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !env.NO_COLOR;
}
