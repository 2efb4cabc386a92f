// Reads lakesync's TypeScript sources with the compiler's parser (no type checking): their imports,
// so the architecture tests can state dependency rules, and error-name comparisons.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface Import {
  /** The importing file, relative to the repository root with "/" separators. */
  file: string;
  /** The specifier as written: "@aws-sdk/client-glue", "../aws/clients.ts". */
  specifier: string;
  /** For a relative specifier: the imported file, relative to the repository root. */
  target?: string;
  /**
   * `import type` / `export type` and `import("x").T` type queries: erased when compiled. With
   * verbatimModuleSyntax, `import { type A }` still loads the module, so it is not type-only.
   */
  typeOnly: boolean;
}

/** Every import, re-export and dynamic import of one source text. */
export function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const target = specifier.startsWith(".")
      ? relative(repoRoot, resolve(repoRoot, dirname(file), specifier))
          .split("\\")
          .join("/")
      : undefined;
    found.push({ file, specifier, ...(target !== undefined ? { target } : {}), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Source files under `paths` (folders or files, relative to the root), "/"-separated, sorted. */
export function sourceFiles(...paths: string[]): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    const entries = readdirSync(join(repoRoot, path), { withFileTypes: true });
    for (const entry of entries) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(child);
    }
  };
  for (const path of paths) {
    if (/\.(ts|mts|mjs)$/.test(path)) files.push(path);
    else walk(path);
  }
  return files.sort();
}

export function readImports(files: readonly string[]): Import[] {
  return files.flatMap((file) => importsOf(file, readFileSync(join(repoRoot, file), "utf8")));
}

/** Import cycles among `files` (strongly connected components of more than one file, or a file importing itself). */
export function importCycles(imports: readonly Import[], files: readonly string[]): string[][] {
  const known = new Set(files);
  const edges = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const { file, target } of imports) {
    if (target !== undefined && known.has(file) && known.has(target)) edges.get(file)!.push(target);
  }
  // Tarjan's algorithm.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) connect(file);
  return cycles;
}

/**
 * Comparisons of a `.name` with an error-like string literal (`error.name === "StaleTargetStateError"`):
 * lines of the form "file:line: text". Domain errors are classes and are matched with instanceof.
 */
export function errorNameComparisons(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const equality = new Set([
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
  ]);
  const isName = (node: ts.Expression) => ts.isPropertyAccessExpression(node) && node.name.text === "name";
  const isErrorLiteral = (node: ts.Expression) =>
    ts.isStringLiteralLike(node) && /(Error|Exception)$/.test(node.text);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isBinaryExpression(node) &&
      equality.has(node.operatorToken.kind) &&
      ((isName(node.left) && isErrorLiteral(node.right)) || (isName(node.right) && isErrorLiteral(node.left)))
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${file}:${line}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
