// Where graderkit.config.json is looked for, apart from loading it (load.ts, which brings the
// config schema): a command run without a config file needs only this.

import { existsSync } from "node:fs";
import { join } from "node:path";

export const CONFIG_FILE_NAME = "graderkit.config.json";

/** ./graderkit.config.json in `cwd` when it exists. */
export function findConfig(cwd: string): string | undefined {
  const file = join(cwd, CONFIG_FILE_NAME);
  return existsSync(file) ? file : undefined;
}
