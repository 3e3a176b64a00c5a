// The layering of src/ (README "Project layout"), enforced by `npm test` (npm run lint:layers).
// Each tier may import only the tiers to its left; a folder in a tier of several (templates /
// formula / metrics; the applications) never imports a folder beside it in the first one, and
// may in the second as long as no cycle forms. Type-only imports count: a type is a dependency too.
//
//   util → core → {templates, formula, metrics} → schema → graders → executors → config
//        → {engine, server, export, report, testing, datasets, clients, evals, bench} → cli
//
// src/index.ts is the package's entry point: it re-exports from every layer and nothing imports it.

const TIERS = [
  { name: "util", folders: ["util"] },
  { name: "core", folders: ["core"] },
  { name: "building blocks", folders: ["templates", "formula", "metrics"], isolated: true },
  { name: "schema", folders: ["schema"] },
  { name: "graders", folders: ["graders"] },
  { name: "executors", folders: ["executors"] },
  { name: "config", folders: ["config"] },
  { name: "applications", folders: ["engine", "server", "export", "report", "testing", "datasets", "clients", "evals", "bench"] },
  { name: "cli", folders: ["cli"] },
];

const folderPath = (folders) => `^src/(${folders.join("|")})/`;
const known = TIERS.flatMap((t) => t.folders);

const rightwards = TIERS.slice(0, -1).map((tier, i) => ({
  name: `no-import-rightwards-from-${tier.name.replace(/\s+/g, "-")}`,
  comment: `${tier.name} (${tier.folders.join(", ")}) may not import a layer to its right: ${TIERS.slice(i + 1).map((t) => t.name).join(", ")}`,
  severity: "error",
  from: { path: folderPath(tier.folders) },
  to: { path: folderPath(TIERS.slice(i + 1).flatMap((t) => t.folders)) },
}));

const siblings = TIERS.filter((t) => t.isolated).flatMap((tier) =>
  tier.folders.map((folder) => ({
    name: `no-sibling-import-from-${folder}`,
    comment: `${folder} is a building block: it may not import ${tier.folders.filter((f) => f !== folder).join(" or ")}`,
    severity: "error",
    from: { path: `^src/${folder}/` },
    to: { path: folderPath(tier.folders.filter((f) => f !== folder)) },
  })),
);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "import cycles make modules impossible to read (or load) one at a time",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...rightwards,
    ...siblings,
    {
      name: "no-reference-port-in-library",
      comment: "src/metrics/reference/ holds the plain ports the tests check the fast paths against; the library never runs them",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/metrics/reference/" },
      to: { path: "^src/metrics/reference/" },
    },
    {
      name: "no-import-of-entry-point",
      comment: "src/index.ts is the public entry point; library code imports the module that defines a thing",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      name: "no-unknown-folder",
      comment: `every module lives in a folder of the layering (${known.join(", ")}); add a new folder to .dependency-cruiser.cjs and the README`,
      severity: "error",
      from: { path: "^src/", pathNot: [folderPath(known), "^src/index\\.ts$"] },
      to: {},
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Resolve packages' "exports" maps as Node does for an ES module: gpt-tokenizer/encoding/* is
    // only in its map, and vega-lite has no "main".
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "types", "node", "default"] },
    exclude: { path: "^(dist|node_modules)/" },
  },
};
