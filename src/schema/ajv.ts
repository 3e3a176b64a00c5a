// ajv, set up once for every JSON Schema graderkit checks (graders, jobs, config, suites, data),
// and its errors turned into Problems: a JSON pointer at the offending field and a plain message.

import { createRequire } from "node:module";
import type { Ajv, ErrorObject, Options, ValidateFunction } from "ajv";
import { pointerJoin } from "../util/json-pointer.js";

export interface Problem {
  /** JSON pointer into the validated document, "" for the root. */
  pointer: string;
  message: string;
  /** Machine-readable code, e.g. "missing_required_field", "invalid_template". */
  code: string;
  /** Where in the file, for a problem found while parsing the JSON text (1-based). */
  line?: number;
  column?: number;
}

/** The options of every schema graderkit compiles, the precompiled ones (src/schema/generated/) included. */
export const AJV_OPTIONS: Readonly<Options> = { allErrors: true, discriminator: true, strict: false };

let ajvInstance: Ajv | null = null;
const compiled = new Map<object, ValidateFunction>();

/**
 * The compiled validator of a schema object (compiled once per object). ajv itself is loaded on
 * the first call: a command that only checks a grader uses the precompiled validator and never
 * pays for loading ajv (README "Start-up"). ajv is CommonJS, so it can be required synchronously.
 */
export function schemaValidator(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    if (!ajvInstance) {
      const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
      ajvInstance = new Ajv({ ...AJV_OPTIONS });
    }
    fn = ajvInstance.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}


/** Turn ajv's errors into problems with pointers at the offending field. */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, base = ""): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let pointer = base + e.instancePath;
    let message: string;
    let code = "invalid_value";
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case "required":
        pointer = pointerJoin(pointer, String(p.missingProperty));
        message = `missing required field '${p.missingProperty}'`;
        code = "missing_required_field";
        break;
      case "additionalProperties":
        pointer = pointerJoin(pointer, String(p.additionalProperty));
        message = `unknown field '${p.additionalProperty}'`;
        code = "unknown_field";
        break;
      case "enum":
        message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        code = "invalid_enum_value";
        break;
      case "const":
        message = `must be ${JSON.stringify(p.allowedValue)}`;
        code = "invalid_enum_value";
        break;
      case "discriminator":
        if (p.error === "mapping") {
          pointer = pointerJoin(pointer, String(p.tag));
          message = `unknown ${p.tag} ${JSON.stringify(p.tagValue)}`;
          code = "invalid_enum_value";
        } else {
          pointer = pointerJoin(pointer, String(p.tag));
          message = `'${p.tag}' must be a string`;
        }
        break;
      case "maxLength":
      case "minLength": {
        const n = Number(p.limit);
        message = e.keyword === "maxLength" ? `must be at most ${n} characters` : n === 1 ? "must not be empty" : `must be at least ${n} characters`;
        break;
      }
      case "maxProperties":
        message = `must have at most ${p.limit} entries`;
        break;
      case "anyOf":
      case "oneOf":
        // The branches' own errors say more; keep this only if nothing else is reported here.
        message = "does not match any allowed form";
        code = "invalid_type";
        break;
      default:
        message = e.message ?? e.keyword;
        if (e.keyword === "type") code = "invalid_type";
    }
    if (e.keyword === "propertyNames") continue; // its inner error (below) names the key
    if (e.propertyName !== undefined) message = `key '${e.propertyName}' ${message}`;
    const key = pointer + "\0" + message;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ pointer, message, code });
    }
  }
  // An anyOf/oneOf (nullable fields, content forms) reports every branch's complaint. Keep the
  // specific ones: a branch-level "must be <type>" or "does not match any allowed form" is dropped
  // when a more specific problem sits at the same field or below it.
  const vague = (pr: Problem) => pr.code === "invalid_type";
  return out.filter(
    (pr) => !vague(pr) || !out.some((o) => o !== pr && (o.pointer.startsWith(pr.pointer + "/") || (o.pointer === pr.pointer && !vague(o)))),
  );
}
