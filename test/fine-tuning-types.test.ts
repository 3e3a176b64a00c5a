// The fine-tuning objects graderkit exports describe the API's JSON: the official SDK's types
// fit ours (checked by tsc over this file), and objects shaped like the API reference's examples
// pass our schemas, while malformed ones do not.
import type { FineTuningJobCheckpoint as SdkCheckpoint } from "openai/resources/fine-tuning/jobs/checkpoints";
import type { FineTuningJobEvent as SdkEvent, FineTuningJobWandbIntegrationObject as SdkWandb, JobCreateParams } from "openai/resources/fine-tuning/jobs/jobs";
import type { DpoHyperparameters as SdkDpoHp, ReinforcementHyperparameters as SdkRftHp } from "openai/resources/fine-tuning/methods";
import { describe, expect, expectTypeOf, it } from "vitest";
import { schemaValidator } from "../src/schema/ajv.js";
import {
  fineTuningJobCheckpointListSchema,
  fineTuningJobCheckpointSchema,
  fineTuningJobEventListSchema,
  fineTuningJobEventSchema,
  fineTuningJobListSchema,
  fineTuningJobObjectSchema,
} from "../src/schema/fine-tuning.js";
import type {
  DpoHyperparameters,
  FineTuningJobCheckpoint,
  FineTuningJobEvent,
  FineTuningJobRequest,
  ReinforcementHyperparameters,
  WandbIntegration,
} from "../src/schema/fine-tuning-types.js";

describe("types", () => {
  it("the SDK's objects are ours, and our request bodies are the SDK's create params", () => {
    expectTypeOf<SdkEvent>().toMatchTypeOf<FineTuningJobEvent>();
    expectTypeOf<SdkCheckpoint>().toMatchTypeOf<FineTuningJobCheckpoint>();
    expectTypeOf<SdkWandb>().toMatchTypeOf<WandbIntegration>();
    expectTypeOf<WandbIntegration>().toMatchTypeOf<SdkWandb>();
    expectTypeOf<DpoHyperparameters>().toEqualTypeOf<SdkDpoHp>();
    expectTypeOf<ReinforcementHyperparameters>().toMatchTypeOf<SdkRftHp>();
    expectTypeOf<Omit<FineTuningJobRequest, "method">>().toMatchTypeOf<Omit<JobCreateParams, "method">>();
  });
});

const valid = (schema: object, value: unknown) => schemaValidator(schema)(value);

// Shaped like the fine-tuning API reference's example objects.
const job = {
  object: "fine_tuning.job",
  id: "ftjob-abc123",
  model: "gpt-4o-mini-2024-07-18",
  created_at: 1721764800,
  finished_at: 1721765800,
  fine_tuned_model: "ft:gpt-4o-mini-2024-07-18:my-org:custom_suffix:7q8mpxmy",
  organization_id: "org-123",
  result_files: ["file-abc123"],
  status: "succeeded",
  validation_file: null,
  training_file: "file-abc123",
  hyperparameters: { n_epochs: 4, batch_size: 1, learning_rate_multiplier: 1.0 },
  trained_tokens: 5768,
  integrations: [],
  seed: 0,
  estimated_finish: 0,
  method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 4, batch_size: 1, learning_rate_multiplier: 1.0 } } },
  metadata: { key: "value" },
  error: null,
};
const event = { object: "fine_tuning.job.event", id: "ft-event-ddTJfwuMVpfLXseO0Am0Gqjm", created_at: 1721764800, level: "info", message: "Fine tuning job successfully completed", data: null, type: "message" };
const checkpoint = {
  object: "fine_tuning.job.checkpoint",
  id: "ftckpt_zc4Q7MP6XxulcVzj4MZdwsAB",
  created_at: 1721764867,
  fine_tuned_model_checkpoint: "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:96olL566:ckpt-step-2000",
  metrics: { full_valid_loss: 0.134, full_valid_mean_token_accuracy: 0.874 },
  fine_tuning_job_id: "ftjob-abc123",
  step_number: 2000,
};

describe("schemas of the API's objects", () => {
  it("accept the reference's examples, their list envelopes, a failed and a paused job", () => {
    expect(valid(fineTuningJobObjectSchema, job)).toBe(true);
    expect(valid(fineTuningJobObjectSchema, { ...job, status: "failed", error: { code: "invalid_training_file", message: "bad", param: "training_file" } })).toBe(true);
    expect(valid(fineTuningJobObjectSchema, { ...job, status: "paused", new_field: "the API adds fields" })).toBe(true);
    expect(valid(fineTuningJobEventSchema, event)).toBe(true);
    expect(valid(fineTuningJobCheckpointSchema, checkpoint)).toBe(true);
    expect(valid(fineTuningJobListSchema, { object: "list", data: [job], has_more: false })).toBe(true);
    expect(valid(fineTuningJobEventListSchema, { object: "list", data: [event], has_more: true })).toBe(true);
    expect(valid(fineTuningJobCheckpointListSchema, { object: "list", data: [checkpoint], has_more: false, first_id: checkpoint.id, last_id: checkpoint.id })).toBe(true);
  });

  it("refuse what is not such an object", () => {
    expect(valid(fineTuningJobObjectSchema, { ...job, status: "done" })).toBe(false);
    expect(valid(fineTuningJobObjectSchema, { ...job, error: { code: "x" } })).toBe(false);
    expect(valid(fineTuningJobEventSchema, { ...event, level: "debug" })).toBe(false);
    expect(valid(fineTuningJobCheckpointSchema, { ...checkpoint, step_number: "2000" })).toBe(false);
    expect(valid(fineTuningJobCheckpointListSchema, { object: "list", data: [checkpoint], has_more: false })).toBe(false);
    expect(valid(fineTuningJobListSchema, { data: [job], has_more: false })).toBe(false);
  });
});
