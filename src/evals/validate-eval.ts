// Eval documents: as the API returned them (`data_source_config.schema`, criteria with their
// hosted `id`) or as they were created (`item_schema`, `include_sample_schema`). The document's
// structure is checked with ajv, every testing criterion with the grader validation (target
// evals: text_similarity needs pass_threshold), and the item schema is compiled. Every problem
// carries a JSON pointer into the eval document (`/testing_criteria/1/operation`).

import type { ValidateFunction } from "ajv";
import { nearestMatch } from "../metrics/nearest.js";
import { ajvProblems, schemaValidator, type Problem } from "../schema/ajv.js";
import type { LeafGrader } from "../schema/types.js";
import { validateGrader } from "../schema/validate.js";
import { canonicalJson } from "../util/canonical-json.js";
import { pointerJoin } from "../util/json-pointer.js";
import { isJsonObject } from "../util/json-object.js";
import { localId } from "./ids.js";
import { passThresholdOf } from "./pass-rules.js";
import { EVAL_KEYS, evalDocumentSchema } from "./schema.js";
import { CRITERION_TYPES, type CriterionType, type DataSourceConfigType, type EvalCriterion, type EvalDefinition } from "./types.js";

export interface EvalCheckResult {
  ok: boolean;
  /** The validated eval; null when it has problems. */
  eval: EvalDefinition | null;
  problems: Problem[];
  warnings: Problem[];
}

const isCriterionType = (t: unknown): t is CriterionType => (CRITERION_TYPES as readonly unknown[]).includes(t);

interface ItemSchemaChoice {
  schema: Record<string, unknown> | null;
  pointer: string;
  includeSample: boolean;
}

/**
 * Which schema items are checked against. Created: `item_schema`. Retrieved: `schema` is the
 * schema of the whole data-source row, `{item, sample}`, so its `properties.item` (the schema
 * itself when it has none). Logs and stored completions without a schema: any object.
 */
function chooseItemSchema(config: Record<string, unknown>, problems: Problem[]): ItemSchemaChoice {
  const base = "/data_source_config";
  const type = config.type as DataSourceConfigType;
  const created = config.item_schema;
  const retrieved = config.schema;
  if (type === "custom") {
    if (created !== undefined && retrieved !== undefined) {
      problems.push({ pointer: base, message: "give 'item_schema' (the eval as created) or 'schema' (as retrieved), not both", code: "conflicting_fields" });
    } else if (created === undefined && retrieved === undefined) {
      problems.push({ pointer: pointerJoin(base, "item_schema"), message: "missing required field 'item_schema' (or 'schema', as a retrieved eval has)", code: "missing_required_field" });
    }
  }
  if (isJsonObject(created)) {
    return { schema: created, pointer: pointerJoin(base, "item_schema"), includeSample: config.include_sample_schema === true };
  }
  if (isJsonObject(retrieved)) {
    const props = isJsonObject(retrieved.properties) ? retrieved.properties : {};
    const hasSample = isJsonObject(props.sample);
    if (isJsonObject(props.item)) {
      return { schema: props.item, pointer: pointerJoin(base, "schema", "properties", "item"), includeSample: type !== "custom" || hasSample };
    }
    return { schema: retrieved, pointer: pointerJoin(base, "schema"), includeSample: type !== "custom" || hasSample };
  }
  return { schema: null, pointer: base, includeSample: type !== "custom" };
}

/**
 * Compile an item schema (checking that it is one). `$schema` is dropped: items are checked
 * with draft-07 semantics whatever the declared dialect (decided; item schemas rarely use
 * anything the drafts disagree on, and a dialect ajv does not load would fail every eval).
 */
export function itemSchemaForAjv(schema: Record<string, unknown>): Record<string, unknown> {
  if (!("$schema" in schema)) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

// Compiled item schemas by content: every check of an eval parses a fresh document, and ajv
// refuses to compile a second schema object with the same `$id`.
const itemValidators = new Map<string, ValidateFunction>();

/** The compiled validator of an item schema (compiled once per distinct schema). Throws when it is not a usable schema. */
export function itemValidator(schema: Record<string, unknown>): ValidateFunction {
  const key = canonicalJson(schema);
  let validate = itemValidators.get(key);
  if (!validate) {
    validate = schemaValidator(schema);
    itemValidators.set(key, validate);
  }
  return validate;
}

function checkItemSchema(choice: ItemSchemaChoice, problems: Problem[]): Record<string, unknown> | null {
  if (!choice.schema) return null;
  const schema = itemSchemaForAjv(choice.schema);
  try {
    itemValidator(schema);
  } catch (err) {
    problems.push({ pointer: choice.pointer, message: `not a usable JSON Schema: ${err instanceof Error ? err.message : String(err)}`, code: "invalid_item_schema" });
    return null;
  }
  return schema;
}

function checkCriterion(raw: unknown, index: number, problems: Problem[], warnings: Problem[]): EvalCriterion | null {
  const pointer = pointerJoin("/testing_criteria", index);
  if (!isJsonObject(raw)) return null; // the schema reported it
  const type = raw.type;
  if (!isCriterionType(type)) {
    const allowed = CRITERION_TYPES.join(", ");
    const hint = typeof type === "string" ? nearestMatch(type, CRITERION_TYPES) : undefined;
    const message =
      type === "multi"
        ? `'multi' is not an eval testing criterion (each criterion is graded and counted on its own); evals take ${allowed}`
        : `unknown testing criterion type ${JSON.stringify(type)}${hint ? ` (did you mean '${hint}'?)` : ""}; evals take ${allowed}`;
    problems.push({ pointer: pointerJoin(pointer, "type"), message, code: "invalid_enum_value" });
    return null;
  }
  // A retrieved eval's criteria carry the hosted id ("name-<uuid>"): it names the criterion in
  // results and counts, and is not a grader field.
  const { id, ...graderJson } = raw;
  if (id !== undefined && (typeof id !== "string" || id === "")) {
    problems.push({ pointer: pointerJoin(pointer, "id"), message: "must be a non-empty string", code: "invalid_type" });
  }
  const result = validateGrader(graderJson, { target: "evals", pointer });
  problems.push(...result.problems);
  warnings.push(...result.warnings);
  if (!result.ok || !result.grader) return null;
  const grader = result.grader as LeafGrader & { type: CriterionType };
  const threshold = (grader as { pass_threshold?: number }).pass_threshold;
  return {
    name: grader.name,
    resultName: typeof id === "string" && id !== "" ? id : grader.name,
    grader,
    passThreshold: passThresholdOf(type, threshold),
    pointer,
  };
}

/** Validate an eval document (already parsed JSON). Never throws for problems in it. */
export function checkEval(input: unknown): EvalCheckResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (!isJsonObject(input)) {
    return { ok: false, eval: null, problems: [{ pointer: "", message: "an eval must be a JSON object", code: "invalid_type" }], warnings };
  }
  const validate = schemaValidator(evalDocumentSchema);
  if (!validate(input)) problems.push(...ajvProblems(validate.errors));
  for (const key of Object.keys(input)) {
    if (!(EVAL_KEYS as readonly string[]).includes(key)) {
      warnings.push({ pointer: pointerJoin("", key), message: `unknown field '${key}' (ignored)`, code: "unknown_field" });
    }
  }

  const config = isJsonObject(input.data_source_config) ? input.data_source_config : null;
  const configOk = config !== null && ["custom", "logs", "stored_completions"].includes(config.type as string);
  const choice = configOk ? chooseItemSchema(config, problems) : null;
  const itemSchema = choice ? checkItemSchema(choice, problems) : null;

  const criteria: EvalCriterion[] = [];
  const rawCriteria = Array.isArray(input.testing_criteria) ? input.testing_criteria : [];
  rawCriteria.forEach((raw, i) => {
    const c = checkCriterion(raw, i, problems, warnings);
    if (c) criteria.push(c);
  });
  // Results are matched to criteria by name: two criteria with one name could not be told apart.
  const seen = new Map<string, string>();
  for (const c of criteria) {
    const first = seen.get(c.resultName);
    if (first !== undefined) {
      problems.push({ pointer: pointerJoin(c.pointer, "name"), message: `duplicate criterion name '${c.resultName}' (also ${first}/name): results could not be told apart`, code: "duplicate_name" });
    } else seen.set(c.resultName, c.pointer);
  }

  if (problems.length > 0 || !config || !choice) return { ok: false, eval: null, problems, warnings };
  return {
    ok: true,
    eval: {
      id: typeof input.id === "string" ? input.id : localId("eval", input),
      name: typeof input.name === "string" ? input.name : null,
      configType: config.type as DataSourceConfigType,
      itemSchema,
      includeSampleSchema: choice.includeSample,
      criteria,
    },
    problems,
    warnings,
  };
}
