// A textual report of a package entry point's public surface, for the API snapshot test: every
// exported name with the declaration text it resolves to (from the emitted .d.ts files), sorted,
// so a change to any exported signature changes the report.
import ts from "typescript";

// Comments are documentation, not surface: the report is of signatures only.
const printer = ts.createPrinter({ removeComments: true });

function declarationText(decl: ts.Declaration): string {
  const text = printer.printNode(ts.EmitHint.Unspecified, decl, decl.getSourceFile()).replace(/\s+/g, " ").trim();
  // A variable's declaration is `name: Type`: say it is a const.
  return ts.isVariableDeclaration(decl) ? `const ${text}` : text;
}

export function apiReport(entry: string): string {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  const lines: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = symbol.getDeclarations() ?? [];
    const body = decls.map(declarationText).join(" | ");
    lines.push(`${exported.getName()}: ${body}`);
  }
  return lines.sort().join("\n") + "\n";
}
