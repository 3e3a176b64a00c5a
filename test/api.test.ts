// The public API changes only on purpose: each entry point's surface (names and declarations,
// from the built .d.ts files) is compared with the committed report in test/api/. After a
// deliberate change, update the report with `npx vitest run test/api.test.ts -u` and review the diff.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiReport } from "./helpers/api-report.js";
import { ROOT } from "./helpers/cli.js";

const ENTRY_POINTS = {
  graderkit: "dist/index.d.ts",
  "graderkit-metrics": "dist/metrics/index.d.ts",
  "graderkit-server": "dist/server/index.d.ts",
  "graderkit-vitest": "dist/testing/vitest.d.ts",
};

describe("public API", () => {
  for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
    it(`${name} matches test/api/${name}.api.txt`, async () => {
      await expect(apiReport(join(ROOT, entry))).toMatchFileSnapshot(`api/${name}.api.txt`);
    }, 60_000);
  }

  it("does not expose internals", () => {
    const report = apiReport(join(ROOT, ENTRY_POINTS.graderkit));
    for (const internal of ["fsum", "emptyErrors", "Semaphore", "runGrader", "GradingFailure", "compileValidGrader"]) {
      expect(report, internal).not.toMatch(new RegExp(`^${internal}:`, "m"));
    }
  });
});
