// A deterministic stand-in for a grader model, for the model-graded example suites in graders/tests
// (a fake OpenAI server answers with it): it judges the way a sensible model would on those
// cases, so the suites say what a real judge is expected to do and still run offline, for free.
//
// - score_model: 1 when the "Answer to grade" contains the "Reference answer" (ignoring case),
//   else 0.1.
// - label_model: "rude" when the reply contains an insult (stupid, idiot, shut up), else "polite".
import { answer, scoreContent, type ChatBehaviour } from "./fake-openai-server.js";

const INSULTS = /\b(stupid|idiot|shut up)\b/i;

function promptText(body: any): string {
  return (body.messages ?? [])
    .map((m: any) => (typeof m.content === "string" ? m.content : (Array.isArray(m.content) ? m.content : [m.content]).map((c: any) => c?.text ?? "").join(" ")))
    .join("\n");
}

function field(text: string, label: string): string | undefined {
  return new RegExp(`^${label}: (.*)$`, "m").exec(text)?.[1];
}

export function scriptedJudge(body: any): ChatBehaviour {
  const text = promptText(body);
  const kind = body.response_format?.json_schema?.name;
  if (kind === "label_model_result") {
    const reply = field(text, "Reply") ?? text;
    return answer(scoreContent(INSULTS.test(reply) ? "rude" : "polite"));
  }
  const reference = field(text, "Reference answer");
  const graded = field(text, "Answer to grade");
  const right = reference !== undefined && graded !== undefined && graded.toLowerCase().includes(reference.toLowerCase());
  return answer(scoreContent(right ? 1 : 0.1));
}
