// Which fine-tuning API to talk to: explicit settings (flags) over the environment, OpenAI unless
// an Azure endpoint is given. Azure goes through the SDK's AzureOpenAI client, which needs an API
// version; Azure's v1 API (`{endpoint}/openai/v1`) is OpenAI-compatible: use it as a base URL.

import { fineTuningEnvironment } from "../config/env.js";
import { OPENAI_BASE_URL, type FineTuningEndpoint } from "./fine-tuning.js";

export interface EndpointSettings {
  baseUrl?: string;
  azureEndpoint?: string;
  apiVersion?: string;
  maxRetries?: number;
  timeoutMs?: number;
}

/** A setting that is missing or contradicts another; the message says what to set. */
export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EndpointError";
  }
}

function checkedUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EndpointError(`${what} '${url}' is not a URL`);
  }
  if (parsed.username || parsed.password) throw new EndpointError(`${what} must not carry credentials; the key comes from the environment`);
  return url;
}

export function resolveEndpoint(settings: EndpointSettings, env: NodeJS.ProcessEnv): FineTuningEndpoint {
  const e = fineTuningEnvironment(env);
  const common = {
    ...(settings.maxRetries !== undefined ? { maxRetries: settings.maxRetries } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  };
  if (settings.azureEndpoint !== undefined && settings.baseUrl !== undefined) {
    throw new EndpointError("--azure-endpoint and --base-url are two different endpoints: give one");
  }
  const azureEndpoint = settings.azureEndpoint ?? (settings.baseUrl === undefined ? e.azureEndpoint : undefined);
  if (azureEndpoint !== undefined) {
    const apiVersion = settings.apiVersion ?? e.apiVersion;
    if (!apiVersion) throw new EndpointError("Azure needs an API version: --api-version or $OPENAI_API_VERSION (e.g. 2025-04-01-preview)");
    if (!e.azureApiKey) throw new EndpointError("Azure needs its key in $AZURE_OPENAI_API_KEY");
    return { ...common, azure: { endpoint: checkedUrl(azureEndpoint, "the Azure endpoint"), apiKey: e.azureApiKey, apiVersion } };
  }
  const baseURL = checkedUrl(settings.baseUrl ?? e.baseUrl ?? OPENAI_BASE_URL, "the base URL");
  if (!e.apiKey && new URL(baseURL).hostname === new URL(OPENAI_BASE_URL).hostname) {
    throw new EndpointError("OpenAI needs a key: set $OPENAI_API_KEY");
  }
  return { ...common, baseURL, ...(e.apiKey ? { apiKey: e.apiKey } : {}), ...(e.organization ? { organization: e.organization } : {}), ...(e.project ? { project: e.project } : {}) };
}
