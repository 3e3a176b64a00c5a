// The job `integrations` as written on a command line: `wandb:project=P[,entity=E,name=N,tags=a|b]`.
// Weights & Biases is the only integration the fine-tuning API has.

import { nearestMatch } from "../metrics/nearest.js";
import type { WandbIntegration } from "../schema/fine-tuning-types.js";

const WANDB_KEYS = ["project", "entity", "name", "tags"] as const;

/** A malformed integration spec; the message says what is wrong and what is expected. */
export class IntegrationSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntegrationSyntaxError";
  }
}

/** Parse `wandb:project=P,entity=E,name=N,tags=a|b`; throws IntegrationSyntaxError. */
export function parseIntegration(spec: string): WandbIntegration {
  const colon = spec.indexOf(":");
  const type = colon < 0 ? spec : spec.slice(0, colon);
  if (type !== "wandb") {
    throw new IntegrationSyntaxError(`unknown integration '${type}': the fine-tuning API has only wandb (wandb:project=P[,entity=E,name=N,tags=a|b])`);
  }
  const wandb: WandbIntegration["wandb"] = { project: "" };
  const seen = new Set<string>();
  for (const part of colon < 0 ? [] : spec.slice(colon + 1).split(",")) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    if (!(WANDB_KEYS as readonly string[]).includes(key)) {
      const hint = nearestMatch(key, WANDB_KEYS);
      throw new IntegrationSyntaxError(`unknown wandb setting '${key}'${hint ? ` (did you mean ${hint}?)` : ""}; settings are ${WANDB_KEYS.join(", ")}`);
    }
    if (seen.has(key)) throw new IntegrationSyntaxError(`wandb setting '${key}' is given more than once`);
    seen.add(key);
    if (value === "") throw new IntegrationSyntaxError(`wandb setting '${key}' needs a value (${key}=...)`);
    if (key === "tags") {
      const tags = value.split("|");
      if (tags.some((t) => t === "")) throw new IntegrationSyntaxError(`wandb tags '${value}' has an empty tag (tags are separated by '|')`);
      wandb.tags = tags;
    } else wandb[key as "project" | "entity" | "name"] = value;
  }
  if (!wandb.project) throw new IntegrationSyntaxError("a wandb integration needs project=NAME (wandb:project=P[,entity=E,name=N,tags=a|b])");
  return { type: "wandb", wandb };
}
