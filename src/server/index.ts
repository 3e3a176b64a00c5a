// `graderkit/server`: OpenAI's graders API served locally (what `graderkit serve` runs).
export { createGradersServer, type GradersServer, type GradersServerOptions } from "./graders-api.js";
