import { readFileSync } from "node:fs";

/** The package version, read from package.json (same relative path from src/util/ and dist/util/). */
export const VERSION: string = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
